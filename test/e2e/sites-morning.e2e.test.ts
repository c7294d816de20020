import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, launchChromium, watchErrors } from './browser.js';

const TOKEN = 'api-token-0123456789abcdefghij';
const KIOSK_TOKEN = 'kiosk-token-0123456789abcdefghij';
let app: TestApp;
let browser: Browser;
let utara: Site;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN, MPP_KIOSK_TOKEN: KIOSK_TOKEN }, clock);
  browser = await launchChromium();
  browser.on('disconnected', () => undefined);
  utara = app.sites.get('kec-utara')!;
});
afterAll(() => closeAppAndBrowser(app, browser));

async function signIn(page: Page, username: string, next = '/counter'): Promise<void> {
  page.setDefaultTimeout(8000);
  await page.goto(`${app.url}${next}`);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForLoadState('networkidle');
}

/** The elements of a page that reach past the window's right edge (a clipped clock, a cut column). */
function pastTheEdge(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els: Element[]): string[] => els.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e): string => e.id || String(e.className)));
}

/** Wider than the window: a page whose layout does not hold at this size. */
function overflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

async function apiTicket(serviceId: string, site?: string) {
  const res = await fetch(`${app.url}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId, ...(site ? { site } : {}) }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticket: { id: string; number: string }; trackUrl: string; site: { id: string; name: string } };
}

describe('a morning at both demo sites at once, in a real browser', () => {
  it('keeps every board, console, kiosk slip and tracking page on its own site', async () => {
    const mainServices = ['dukcapil-kia', 'dukcapil-ktp-el-baru', 'polri-skck-baru', 'imigrasi-paspor-baru', 'samsat-pajak-tahunan'];
    const northServices = ['dukcapil-kia', 'dukcapil-ktp-el-baru', 'polri-skck-baru', 'samsat-pajak-tahunan', 'pdam-pasang-baru'];
    for (let i = 0; i < 40; i++) await app.queue.take({ serviceId: mainServices[i % mainServices.length]!, source: i % 2 ? 'chat' : 'test' });
    const north: Array<Awaited<ReturnType<typeof apiTicket>>> = [];
    for (let i = 0; i < 24; i++) north.push(await apiTicket(northServices[i % northServices.length]!, 'kec-utara'));
    expect(north.every((t) => t.site.id === 'kec-utara')).toBe(true);
    await app.staff.store.create('utari', STAFF_PASSWORD, 'counter', ['loket-1', 'loket-2'], ['kec-utara']);
    await app.staff.store.create('budi', STAFF_PASSWORD, 'counter', ['loket-1']);

    // The two TV boards, at 1080p.
    const boardNorth = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const boardMain = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const boardErrors = [...watchErrors(boardNorth), ...watchErrors(boardMain)];
    await boardNorth.goto(`${app.url}/board?site=kec-utara`);
    await boardMain.goto(`${app.url}/board`);
    expect(await boardNorth.locator('h1').textContent()).toBe(utara.mpp.name);
    expect(await boardMain.locator('h1').textContent()).toBe(app.sites.main.mpp.name);
    await expect.poll(() => app.boards.for(utara).openStreams, { timeout: 5000 }).toBeGreaterThan(0);

    // kec-utara's officer signs in: straight to their site.
    const desk = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'id-ID' });
    const consoleErrors = watchErrors(desk, /status of 403/);
    await signIn(desk, 'utari');
    expect(desk.url()).toBe(`${app.url}/counter`);
    expect(await desk.locator('body').textContent()).toContain(utara.mpp.name);
    await desk.getByRole('link', { name: 'Loket 1 Dukcapil' }).click();
    await desk.waitForURL(`${app.url}/counter/loket-1?site=kec-utara`);
    expect(await overflows(desk)).toBe(false);
    const first = north[0]!;
    const t0 = Date.now();
    await desk.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();
    await boardNorth.locator('#calls .call.latest .call-number', { hasText: first.ticket.number }).waitFor();
    const callToBoardMs = Date.now() - t0;
    expect(await boardMain.locator('#calls .call').count()).toBe(0);
    await desk.screenshot({ path: path.join(ARTIFACTS, 'morning-console-kec-utara-720p.png') });
    await boardNorth.screenshot({ path: path.join(ARTIFACTS, 'morning-board-kec-utara-1080p.png') });
    expect(await overflows(boardNorth)).toBe(false);
    expect(callToBoardMs).toBeGreaterThan(0);
    // Finish, undo, then "Selesai & panggil berikutnya": each on kec-utara's queue and board only.
    await desk.getByRole('button', { name: 'Selesai', exact: true }).click();
    await desk.getByRole('button', { name: /Urungkan \(\d+\)/ }).click();
    await desk.locator('.badge.status-serving').waitFor();
    expect((await utara.queue.get(first.ticket.id))?.status).toBe('serving');
    const nextUp = (await utara.queue.nextUp('loket-1', 1))[0]!;
    await desk.getByRole('button', { name: 'Selesai & panggil berikutnya' }).click();
    await boardNorth.locator('#calls .call.latest .call-number', { hasText: nextUp.number }).waitFor();
    expect((await utara.queue.get(first.ticket.id))?.status).toBe('done');
    expect((await app.queue.get(first.ticket.id))).toBeUndefined();
    expect(await boardMain.locator('#calls .call').count()).toBe(0);

    // The main site's officer at the main site's loket-1 (same counter id, same first number).
    const mainConsole = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'id-ID' });
    const mainErrors = watchErrors(mainConsole);
    await signIn(mainConsole, 'budi');
    expect(mainConsole.url()).toBe(`${app.url}/counter/loket-1`);
    await mainConsole.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();
    await boardMain.locator('#calls .call.latest .call-number').waitFor();
    expect(await boardNorth.locator('#calls .call-number', { hasText: nextUp.number }).count()).toBe(1);

    // utari at the main site's console: refused with a page that sends her back to her own site.
    const refused = await desk.goto(`${app.url}/counter?site=main`);
    expect(refused?.status()).toBe(403);
    await desk.getByRole('link', { name: utara.mpp.name }).click();
    await desk.waitForURL(/site=kec-utara/);

    // kec-utara's kiosk, enrolled at its site, prints that site's name and address.
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'id-ID' });
    await context.addInitScript(() => {
      window.print = () => undefined;
    });
    const kiosk = await context.newPage();
    kiosk.setDefaultTimeout(8000);
    const kioskErrors = watchErrors(kiosk, /401/);
    await kiosk.goto(`${app.url}/kiosk/enrol?site=kec-utara`);
    await kiosk.getByLabel('Token anjungan').fill(KIOSK_TOKEN);
    await kiosk.getByRole('button', { name: 'Aktifkan' }).click();
    await kiosk.waitForURL(`${app.url}/kiosk`);
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    expect(await kiosk.locator('body').textContent()).toContain(utara.mpp.name);
    await kiosk.locator('[data-agency="pdam"]').click();
    await kiosk.locator('[data-service="pdam-pasang-baru"]').click();
    await kiosk.getByRole('button', { name: 'Ambil nomor' }).click();
    await kiosk.locator('#t-number').waitFor();
    const slip = (await kiosk.locator('#ticket, .ticket').first().textContent()) ?? (await kiosk.locator('body').textContent())!;
    await kiosk.emulateMedia({ media: 'print' });
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'morning-kiosk-slip-kec-utara.png'), fullPage: true });
    const printed = await kiosk.locator('body').innerText();
    expect(printed).toContain(utara.mpp.name);
    expect(printed).toContain(utara.mpp.address);
    expect(printed).not.toContain(app.sites.main.mpp.name);
    expect(slip).toContain(await kiosk.locator('#t-number').textContent());
    const trackLink = (await kiosk.locator('#t-link').textContent())!;

    // Its tracking page names kec-utara and follows kec-utara's queue.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const phoneErrors = watchErrors(phone);
    await phone.goto(trackLink);
    expect(await phone.locator('body').innerText()).toContain(utara.mpp.name);
    expect(await phone.locator('body').innerText()).not.toContain(app.sites.main.mpp.name);
    expect(await overflows(phone)).toBe(false);

    // kec-utara's operator declares an incident at kec-utara: on its board, not the main site's.
    await app.staff.store.create('ops.utara', STAFF_PASSWORD, 'operator', [], ['kec-utara']);
    const ops = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'id-ID' })).newPage();
    const opsErrors = watchErrors(ops, /status of 403/);
    await signIn(ops, 'ops.utara', '/admin/incidents');
    expect(await ops.locator('body').innerText()).toContain(utara.mpp.name);
    const scopes = await ops.locator('#scope option').allTextContents();
    expect(scopes.join(' ')).not.toMatch(/Paspor/i);
    await ops.locator('#scope').selectOption('service:pdam-pasang-baru');
    await ops.locator('#kind').selectOption({ index: 1 });
    await ops.locator('#message').fill('Sistem PDAM sedang gangguan, mohon menunggu.');
    await ops.locator('form button[type=submit]').first().click();
    await ops.locator('form button[type=submit]').first().click();
    await boardNorth.getByText('Sistem PDAM sedang gangguan', { exact: false }).first().waitFor();
    expect(await boardMain.locator('body').innerText()).not.toContain('Sistem PDAM sedang gangguan');
    expect((await app.incidents.today()).length).toBe(0);

    // kec-utara's operator asks for the main site's and every site's report: refused, with her own site offered.
    expect((await ops.goto(`${app.url}/admin/report?site=main`))?.status()).toBe(403);
    expect((await ops.goto(`${app.url}/admin/report?site=all`))?.status()).toBe(403);
    await ops.getByRole('link', { name: utara.mpp.name }).click();
    await ops.waitForURL(/\/admin\/report\?site=kec-utara/);
    expect(await ops.locator('body').innerText()).toContain(utara.mpp.name);

    expect(kioskErrors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    expect(opsErrors).toEqual([]);
    expect(boardErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(mainErrors).toEqual([]);
  });

  it("holds kec-utara's board at 1080p and 720p: its longer name never pushes the clock or the next-in-line column off the screen", async () => {
    await utara.queue.take({ serviceId: 'polri-skck-baru', source: 'test' });
    await utara.queue.take({ serviceId: 'samsat-pajak-tahunan', source: 'test' });
    for (const [width, height, counter] of [[1920, 1080, 'loket-2'], [1280, 720, 'loket-3']] as const) {
      const board = await browser.newPage({ viewport: { width, height }, locale: 'id-ID' });
      const errors = watchErrors(board);
      await board.goto(`${app.url}/board?site=kec-utara`);
      await board.locator('#groups .group').first().waitFor();
      await utara.queue.callNext(counter);
      await board.locator('#flash').waitFor({ state: 'visible' });
      expect(await pastTheEdge(board, '.top, .top *, .board, .board > *, #groups, #flash, .bottom-end'), `${width}x${height}`).toEqual([]);
      expect(await board.evaluate(() => document.body.scrollWidth)).toBeLessThanOrEqual(width);
      // The name is still there to read in full (cut with an ellipsis only on screen).
      expect(await board.locator('h1').textContent()).toBe(utara.mpp.name);
      await board.screenshot({ path: path.join(ARTIFACTS, `morning-board-kec-utara-${height}p.png`) });
      expect(errors).toEqual([]);
      await board.close();
    }
  }, 60_000);
});
