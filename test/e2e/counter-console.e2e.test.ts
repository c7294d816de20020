import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, STAFF_PASSWORD, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);
const DUKCAPIL = ['dukcapil-ktp-el-baru', 'dukcapil-kia', 'dukcapil-kk-baru'];

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

async function signIn(username: string, counters: string[]): Promise<{ page: Page; errors: string[] }> {
  await app.staff.store.create(username, STAFF_PASSWORD, 'counter', counters);
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'id-ID' });
  // Refused on purpose in these tests (409s); everything else must be clean.
  const errors = watchErrors(page, /409 \(Conflict\)/);
  // A step that does not happen fails within the test's time, naming the step.
  page.setDefaultTimeout(6000);
  await page.goto(`${app.url}/counter`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${app.url}/counter/${counters[0]}`);
  // The first state has arrived: the keys work from here.
  await page.getByText(/dilayani hari ini/).waitFor();
  return { page, errors };
}

describe('counter console in a real browser', () => {
  it('with 40 waiting over 3 services: calls by key, finishes and calls next in one tap, undoes Selesai within 10 s only', async () => {
    // A realistic morning at Dukcapil: 40 waiting over three services, some priority, some with answers from the chat.
    for (let n = 0; n < 40; n++) {
      const serviceId = DUKCAPIL[n % 3 === 0 ? 0 : n % 3 === 1 ? 1 : 2]!;
      await app.queue.take({
        serviceId,
        source: 'test',
        priority: n % 11 === 5,
        ...(n % 4 === 0 ? { citizen: { channel: 'telegram', userKey: `warga-${n}` }, checklist: { ready: [0, 1, 2], missing: [3] }, question: n === 0 ? 'Apakah KK lama yang sudah lecek masih bisa dipakai?' : '' } : {}),
      });
      clock.advance(45_000);
    }
    const { page, errors } = await signIn('petugas.dukcapil', ['loket-1']);
    await page.getByText('Belum ada tiket yang dipanggil').waitFor();
    expect(await page.locator('#next button').count()).toBe(40);
    const order = (await app.queue.nextUp('loket-1', 40)).map((t) => t.number);
    expect(await page.locator('#next .n').allTextContents()).toEqual(order);
    // The shortcuts are written on the page.
    await page.getByText('Pintasan papan ketik').click();
    await page.getByText('Urungkan Selesai (dalam 10 detik)').waitFor();

    // N calls the head of the call order.
    await page.keyboard.press('n');
    await page.locator('#ticket .ticket-number', { hasText: order[0]! }).waitFor();
    await page.locator('#next .n', { hasText: order[0]! }).waitFor({ state: 'detached' });
    clock.advance(95_000);
    await page.keyboard.press('m');
    await page.locator('.badge.status-serving').waitFor();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'counter-console.png'), fullPage: true });
    // The toast floats: the main button does not move when it shows.
    const mainButton = page.getByRole('button', { name: 'Selesai & panggil berikutnya' });
    const top = () => mainButton.evaluate((b) => b.getBoundingClientRect().top + window.scrollY);
    const before = await top();

    // An outcome and note typed but not saved go with "Selesai"; typing keys in the note calls no one.
    const served = (await app.queue.atCounter('loket-1'))!;
    await page.getByLabel('Hasil', { exact: true }).selectOption('incomplete');
    await page.getByLabel('Catatan singkat').pressSequentially('Kurang surat pengantar RT');
    expect((await app.queue.atCounter('loket-1'))?.id).toBe(served.id);

    // One tap: the ticket is done and the next one is called.
    await page.getByRole('button', { name: 'Selesai & panggil berikutnya' }).click();
    await page.locator('#ticket .ticket-number', { hasText: order[1]! }).waitFor();
    await page.locator('#toast', { hasText: `Nomor ${order[0]} selesai; nomor ${order[1]} dipanggil.` }).waitFor();
    expect(await page.locator('#toast').evaluate((t) => getComputedStyle(t).position)).toBe('fixed');
    expect(await top()).toBe(before);
    await page.getByText('1 dilayani hari ini').waitFor();
    expect(await app.queue.get(served.id)).toMatchObject({ status: 'done', outcome: 'incomplete', note: 'Kurang surat pengantar RT' });
    const first = (await app.queue.atCounter('loket-1'))!;
    expect(first.number).toBe(order[1]);

    // S finishes; U within 10 s puts it back to serving.
    clock.advance(60_000);
    await page.keyboard.press('s');
    await page.getByText('Belum ada tiket yang dipanggil').waitFor();
    await page.getByRole('button', { name: /Urungkan \(\d+\)/ }).waitFor();
    expect((await app.queue.get(first.id))?.status).toBe('done');
    clock.advance(8_000);
    await page.keyboard.press('u');
    await page.locator('#ticket .ticket-number', { hasText: order[1]! }).waitFor();
    await page.locator('.badge.status-serving').waitFor();
    expect((await app.queue.get(first.id))?.status).toBe('serving');
    await page.getByText('1 dilayani hari ini').waitFor();

    // After 10 s on the server's clock the undo is refused, with the reason shown.
    await page.getByRole('button', { name: 'Selesai', exact: true }).click();
    await page.getByRole('button', { name: /Urungkan \(\d+\)/ }).waitFor();
    clock.advance(10_500);
    await page.getByRole('button', { name: /Urungkan \(\d+\)/ }).click();
    await page.locator('#toast.error', { hasText: 'Sudah lewat 10 detik' }).waitFor();
    expect((await app.queue.get(first.id))?.status).toBe('done');
    await page.getByText('2 dilayani hari ini').waitFor();

    // R recalls, T marks a no-show after the confirmation.
    await page.keyboard.press('n');
    await page.locator('#ticket .ticket-number', { hasText: order[2]! }).waitFor();
    await page.keyboard.press('r');
    await page.getByText('Dipanggil ulang 1×').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.keyboard.press('t');
    await page.getByText('Belum ada tiket yang dipanggil').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('calls a waiting number out of order only with a reason, and shows the reason', async () => {
    for (let n = 0; n < 8; n++) await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const { page, errors } = await signIn('petugas.dukcapil2', ['loket-2']);
    await page.getByText('Belum ada tiket yang dipanggil').waitFor();
    const pick = (await app.queue.nextUp('loket-2', 10))[6]!;
    await page.locator('#next button', { hasText: pick.number }).click();
    await page.getByRole('heading', { name: `Panggil ${pick.number}` }).waitFor();
    await page.getByRole('button', { name: 'Panggil sekarang' }).click();
    await page.getByText('Tulis alasannya (minimal 3 huruf).').waitFor();
    expect((await app.queue.get(pick.id))?.status).toBe('waiting');

    await page.getByLabel('Alasan memanggil lebih dulu').fill('Lansia belum tercatat prioritas');
    await page.getByRole('button', { name: 'Panggil sekarang' }).click();
    await page.locator('#ticket .ticket-number', { hasText: pick.number }).waitFor();
    await page.getByText('Dipanggil lebih dulu: Lansia belum tercatat prioritas').waitFor();
    expect(await app.queue.get(pick.id)).toMatchObject({ status: 'called', counter: 'loket-2', callReason: 'Lansia belum tercatat prioritas' });
    expect((await app.queue.outOfOrderCalls(app.queue.today())).map((c) => [c.number, c.officer])).toEqual([[pick.number, 'petugas.dukcapil2']]);
    // While a ticket is at the counter, the list cannot call another.
    expect(await page.locator('#next button').first().isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'counter-console-out-of-order.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on break: call-next is refused, the board state says so, and reopening calls again', async () => {
    const { page, errors } = await signIn('petugas.skck', ['loket-4']);
    const waiting = await app.queue.take({ serviceId: 'polri-skck-baru', source: 'test' });
    await page.locator('#next .n', { hasText: waiting.ticket.number }).waitFor();
    await page.getByRole('button', { name: 'Istirahat' }).click();
    await page.locator('#paused', { hasText: 'ISTIRAHAT' }).waitFor();
    expect(await page.getByRole('button', { name: 'Panggil berikutnya', exact: true }).isDisabled()).toBe(true);
    await page.keyboard.press('n');
    // The server refuses too, whatever the page shows.
    const refused = await page.evaluate(async () => {
      const csrf = (JSON.parse(document.getElementById('console-data')!.textContent) as { csrf: string }).csrf;
      const res = await fetch('/counter/api/loket-4/call-next', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '{}' });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'counter_not_open' } } });
    expect((await app.queue.get(waiting.ticket.id))?.status).toBe('waiting');
    const board = (await (await fetch(`${app.url}/board/state`)).json()) as { counters: Array<{ counter: string; status: string; statusSince: number }> };
    expect(board.counters.find((c) => c.counter === 'loket-4')).toEqual(expect.objectContaining({ status: 'break', statusSince: clock.now().getTime() }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'counter-console-break.png') });

    await page.getByRole('button', { name: 'Buka', exact: true }).click();
    await page.locator('#paused').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();
    await page.locator('#ticket .ticket-number', { hasText: waiting.ticket.number }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('issues a walk-in ticket for someone without a phone and shows its number large', async () => {
    const { page, errors } = await signIn('petugas.skck2', ['loket-5']);
    await page.keyboard.press('w');
    await page.getByRole('heading', { name: 'Tiket untuk warga tanpa ponsel' }).waitFor();
    await page.getByLabel('Layanan', { exact: true }).selectOption('polri-sim-perpanjangan');
    await page.getByLabel(/Prioritas/).check();
    await page.getByRole('button', { name: 'Buat tiket' }).click();
    const number = page.locator('#walkin-number');
    await number.waitFor();
    const text = (await number.textContent())!;
    expect(text).toMatch(/^C-\d{3}$/);
    expect(parseFloat(await number.evaluate((n) => getComputedStyle(n).fontSize))).toBeGreaterThanOrEqual(64);
    await page.getByText('Dilayani di: Loket 5 Satpas SIM').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'counter-walk-in.png') });
    const ticket = (await app.queue.waiting('polri-sim-perpanjangan')).find((t) => t.number === text)!;
    expect(ticket).toMatchObject({ source: 'counter', priority: true, subject: '' });
    await page.getByRole('button', { name: 'Kembali ke konsol' }).click();
    await page.locator('#next .n', { hasText: text }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the step of a multi-service visit and where the citizen goes next', async () => {
    const { page, errors } = await signIn('petugas.samsat', ['loket-6']);
    const { ticket } = await app.queue.take({ serviceId: 'samsat-pajak-tahunan', source: 'test' });
    // The visit part of the state comes from the queue's visit chaining; here it is added to the answer.
    await page.route('**/counter/api/loket-6/state*', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { current: Record<string, unknown> | null };
      if (body.current) body.current.visit = { id: 'v1', step: 1, of: 2, next: { serviceId: 'djp-npwp', number: 'D-014', counters: ['Loket 7 KPP Pratama'] } };
      await route.fulfill({ response: res, json: body });
    });
    await page.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();
    await page.locator('#ticket .ticket-number', { hasText: ticket.number }).waitFor();
    const visit = page.locator('#ticket .visit');
    await visit.waitFor({ timeout: 8000 });
    expect(await visit.textContent()).toMatch(/^Langkah 1 dari 2 · Selanjutnya: .+, Loket 7 KPP Pratama \(D-014\)$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
