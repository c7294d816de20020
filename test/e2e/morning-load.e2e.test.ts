import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import { trackPath } from '../../src/tracking/codes.js';
import { MONDAY_9AM, staffSession, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

/** Markup a careless page would run; every staff page must show it as text. */
const XSS = '<img src=x class=pwned> & "kutip"';

/** Five counters and the services they call, as on a Monday morning. */
const COUNTERS: Record<string, string[]> = {
  'loket-1': ['dukcapil-kk-baru', 'dukcapil-ktp-el-baru', 'dukcapil-kia'],
  'loket-2': ['dukcapil-akta-kelahiran', 'dukcapil-kk-baru'],
  'loket-3': ['imigrasi-paspor-baru'],
  'loket-4': ['polri-skck-baru', 'polri-skck-perpanjangan'],
  'loket-5': ['polri-sim-perpanjangan'],
};

async function signedIn(username: string, role: 'counter' | 'operator' | 'admin', counters: string[], viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const { cookie } = await staffSession(app, username, role, counters);
  const context = await browser.newContext({ viewport, locale: 'id-ID' });
  await context.addCookies([{ name: STAFF_COOKIE, value: cookie.split('=')[1]!, url: app.url }]);
  return { context, page: await context.newPage() };
}

/** Numbers of the calls now in /board/state that a board does not show whole: missing, below the running text, cut or wrapped. */
async function badCalls(board: Page): Promise<string[]> {
  const state = (await (await fetch(`${app.url}/board/state`)).json()) as { calling: Array<{ number: string }> };
  return board.evaluate((numbers: string[]) => {
    const footer = document.querySelector('footer')!.getBoundingClientRect().top;
    const shown: Element[] = Array.from(document.querySelectorAll('#calls .call-number'));
    return numbers.filter((n) => {
      const el = shown.find((e) => e.textContent === n);
      if (!el) return true;
      const box = el.getBoundingClientRect();
      const oneLine = box.height < parseFloat(getComputedStyle(el).fontSize) * 1.6;
      return box.width === 0 || box.bottom > footer + 1 || box.right > window.innerWidth || el.scrollWidth > el.clientWidth + 1 || !oneLine;
    });
  }, state.calling.map((c) => c.number));
}

describe('a morning at five counters, the board at two sizes, an incident, the report', () => {
  it('shows every call on both boards, incidents and statuses in the running text, and staff words as text on every page', async () => {
    // ~80 tickets: chat, kiosk and walk-ins over the five counters' services.
    const services = Object.values(COUNTERS).flat();
    for (let i = 0; i < 80; i++) {
      const source = i % 5 === 0 ? 'kiosk' : i % 7 === 0 ? 'counter' : 'chat';
      const citizen = source === 'chat' ? { citizen: { channel: i % 2 ? 'webchat' : 'telegram', userKey: `warga-${i}` } } : {};
      await app.queue.take({ serviceId: services[i % services.length]!, source, ...citizen });
    }

    const boards: Array<[string, Page]> = [];
    for (const [name, viewport] of [['1080p', { width: 1920, height: 1080 }], ['720p', { width: 1280, height: 720 }]] as const) {
      const board = await browser.newPage({ viewport, locale: 'id-ID' });
      await board.goto(`${app.url}/board`);
      await board.locator('#groups li').first().waitFor();
      boards.push([name, board]);
    }
    await expect.poll(() => app.board.openStreams, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const boardErrors = boards.map(([, b]) => watchErrors(b));

    const consoles: Record<string, Page> = {};
    const consoleErrors: string[][] = [];
    for (const [i, counter] of Object.keys(COUNTERS).entries()) {
      const { page } = await signedIn(`petugas${i + 1}`, 'counter', [counter], { width: 1180, height: 820 });
      consoleErrors.push(watchErrors(page));
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${app.url}/counter/${counter}`);
      await page.getByRole('button', { name: 'Panggil berikutnya', exact: true }).waitFor();
      consoles[counter] = page;
    }
    const everyCallShown = async () => {
      for (const [name, board] of boards) await expect.poll(async () => [name, ...(await badCalls(board))], { timeout: 2000 }).toEqual([name]);
    };

    // The first burst: all five counters call within a second, then three rounds of done & next.
    await Promise.all(Object.values(consoles).map((c) => c.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click()));
    await everyCallShown();
    for (let round = 0; round < 3; round++) {
      clock.advance(4 * 60_000);
      await Promise.all(Object.values(consoles).map((c) => c.getByRole('button', { name: 'Selesai & panggil berikutnya' }).click()));
      await everyCallShown();
    }
    expect(((await (await fetch(`${app.url}/board/state`)).json()) as { calling: unknown[] }).calling).toHaveLength(5);
    // Right after the burst: the grid holds every call, the card beside it still announces the last ones.
    await boards[0]![1].screenshot({ path: path.join(ARTIFACTS, 'load-board-1080p.png') });
    await boards[1]![1].screenshot({ path: path.join(ARTIFACTS, 'load-board-720p.png') });

    // An officer's note and an out-of-order reason carrying markup stay text on the console.
    const one = consoles['loket-1']!;
    await one.locator('#note-text').fill(XSS);
    await one.locator('#note button[type=submit]').click();
    await one.locator('#toast-text', { hasText: 'Hasil layanan tersimpan.' }).waitFor();
    await one.getByRole('button', { name: 'Selesai', exact: true }).click();
    await one.locator('#next button.number').nth(2).click();
    await one.locator('#call-reason').fill(XSS);
    await one.locator('#call-form button[type=submit]').click();
    await one.locator('#toast-text', { hasText: 'dipanggil lebih dulu' }).waitFor();
    await everyCallShown();
    expect(await one.locator('#ticket').textContent()).toContain(XSS);
    await one.screenshot({ path: path.join(ARTIFACTS, 'load-console.png'), fullPage: true });

    // A kiosk citizen for SIM (loket-5 only) follows the ticket on a phone.
    const { ticket: sim } = await app.queue.take({ serviceId: 'polri-sim-perpanjangan', source: 'kiosk' });
    const phone = await browser.newPage({ viewport: { width: 360, height: 640 }, locale: 'id-ID' });
    const phoneErrors = watchErrors(phone);
    await phone.goto(`${app.url}${trackPath(await app.tracking.issue(sim.id, sim.day))}`);
    await phone.locator('#eta', { hasText: 'Perkiraan tunggu' }).waitFor();

    // Lunch: loket-4 takes a break, loket-5 closes; the running text says so on both boards.
    await consoles['loket-4']!.getByRole('button', { name: 'Istirahat' }).click();
    await consoles['loket-5']!.getByRole('button', { name: 'Tutup' }).click();
    for (const [, board] of boards) {
      // The two clicks' requests finish in either order: wait for both statuses, each within 3 s.
      await expect.poll(() => board.locator('#ticker').textContent(), { timeout: 3000 }).toContain('Loket 4 Polres (SKCK) istirahat');
      await expect.poll(() => board.locator('#ticker').textContent(), { timeout: 3000 }).toContain('Loket 5 Satpas SIM tutup');
    }
    // ... and the phone says every SIM counter is closed instead of an ETA nobody will keep.
    await phone.locator('#eta', { hasText: 'Semua loket layanan ini sedang tutup' }).waitFor({ timeout: 3000 });
    await phone.screenshot({ path: path.join(ARTIFACTS, 'load-track-closed.png') });

    // An operator declares an incident (after the confirmation) and later resolves it: both boards
    // follow within a few seconds, well before the feed's 15 s re-read, the message as text.
    const { page: ops } = await signedIn('operator.pagi', 'operator', [], { width: 1280, height: 900 });
    await ops.goto(`${app.url}/admin/incidents`);
    await ops.locator('#scope').selectOption('service:dukcapil-kk-baru');
    await ops.locator('#kind').selectOption('blanko_habis');
    await ops.locator('#message').fill(XSS);
    await ops.getByRole('button', { name: 'Periksa sebelum diumumkan' }).click();
    await ops.getByRole('button', { name: 'Ya, kirim sekarang' }).click();
    await ops.waitForURL(/done=new/);
    for (const [, board] of boards) await expect.poll(() => board.locator('#ticker').textContent(), { timeout: 3000 }).toContain(XSS);
    await ops.getByRole('button', { name: 'Tandai selesai dan beri tahu warga' }).click();
    await ops.getByRole('button', { name: 'Ya, kirim sekarang' }).click();
    await ops.waitForURL(/done=resolved/);
    for (const [, board] of boards) await expect.poll(() => board.locator('#ticker').textContent(), { timeout: 3000 }).not.toContain(XSS);

    // The head's report shows the reason as text.
    const { page: head } = await signedIn('kepala.mpp', 'admin', [], { width: 1366, height: 900 });
    const headErrors = watchErrors(head);
    await head.goto(`${app.url}/admin/report`);
    await head.locator('section.out-of-order td', { hasText: XSS }).waitFor();
    await head.screenshot({ path: path.join(ARTIFACTS, 'load-report.png'), fullPage: true });

    for (const page of [...boards.map(([, b]) => b), ...Object.values(consoles), ops, head]) expect(await page.locator('img.pwned').count()).toBe(0);
    expect([...boardErrors, ...consoleErrors, headErrors, phoneErrors].flat()).toEqual([]);
  }, 120_000);
});
