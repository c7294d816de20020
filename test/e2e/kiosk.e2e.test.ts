import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, launchChromium, watchErrors } from './browser.js';
import { readQr } from './kiosk-qr.js';

const KIOSK_TOKEN = 'kiosk-token-0123456789abcdefghij';
let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({ MPP_KIOSK_TOKEN: KIOSK_TOKEN }, clock);
  browser = await launchChromium();
});
afterAll(() => closeAppAndBrowser(app, browser));

/** The QR image on the page as a module matrix: drawn large on a canvas, sampled at module centres. */
async function qrModules(page: Page): Promise<boolean[][]> {
  return page.evaluate(() => {
    const img = document.getElementById('t-qr') as HTMLImageElement;
    const side = 1000;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, side, side);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, side, side);
    const { data } = ctx.getImageData(0, 0, side, side);
    const darkAt = (x: number, y: number) => data[(Math.floor(y) * side + Math.floor(x)) * 4]! < 128;
    // The finder's top-left corner and its 7-module width give the grid.
    let x0 = -1;
    let y0 = -1;
    for (let y = 0; y < side && y0 < 0; y++) {
      for (let x = 0; x < side; x++) {
        if (darkAt(x, y)) {
          x0 = x;
          y0 = y;
          break;
        }
      }
    }
    let run = 0;
    while (darkAt(x0 + run, y0)) run++;
    const module = run / 7;
    let x1 = side - 1;
    while (!darkAt(x1, y0)) x1--;
    const count = Math.round((x1 - x0 + 1) / module);
    return Array.from({ length: count }, (_, r) => Array.from({ length: count }, (_, c) => darkAt(x0 + (c + 0.5) * module, y0 + (r + 0.5) * module)));
  });
}

/** Width and height (points) of each page of a PDF, from its MediaBoxes. */
function pdfPages(pdf: Buffer): Array<{ width: number; height: number }> {
  const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
  return boxes.map((m) => ({ width: Number(m[3]) - Number(m[1]), height: Number(m[4]) - Number(m[2]) }));
}

const MM_PER_PT = 25.4 / 72;

describe('the self-service kiosk in a real browser', () => {
  it('a citizen takes a number, it prints at 80 mm with a QR, and the QR\'s page follows the ticket live until the counter calls it', async () => {
    // Someone already waits for SKCK, so the kiosk ticket starts second in line.
    const ahead = await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'telegram', userKey: 'e2e-ahead' }, source: 'chat' });

    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'id-ID' });
    // Headless Chromium has no printer: count the kiosk's print requests instead (kiosk mode prints silently).
    await context.addInitScript(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    const kiosk = await context.newPage();
    // Enrolment: the technician types the kiosk token once (the form itself comes with a 401).
    await kiosk.goto(`${app.url}/kiosk?paper=80`);
    await kiosk.getByLabel('Token anjungan').fill(KIOSK_TOKEN);
    await kiosk.getByRole('button', { name: 'Aktifkan' }).click();
    await kiosk.waitForURL(`${app.url}/kiosk`);
    const errors = watchErrors(kiosk);
    await kiosk.goto(`${app.url}/kiosk?paper=80`);
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-portrait.png') });

    // Touch targets are big enough for a finger (>= 96 px here, 1080 px wide).
    const tile = kiosk.locator('[data-agency="polri"]');
    expect((await tile.boundingBox())!.height).toBeGreaterThanOrEqual(96);
    await tile.click();
    await kiosk.getByRole('heading', { name: /Pilih layanan/ }).waitFor();
    // A way back at every step.
    await kiosk.getByRole('button', { name: '‹ Kembali' }).click();
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    await tile.click();
    await kiosk.locator('[data-service="polri-skck-baru"]').click();
    await kiosk.getByRole('heading', { name: 'SKCK baru' }).waitFor();
    const checks = kiosk.locator('.checklist').getByRole('checkbox');
    expect(await checks.count()).toBe(app.catalogue.services.get('polri-skck-baru')!.requirements.length);
    await checks.nth(0).click();
    await checks.nth(1).click();
    expect(await checks.nth(0).getAttribute('aria-checked')).toBe('true');
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-requirements-portrait.png') });
    await kiosk.getByRole('button', { name: 'Ambil nomor' }).click();

    // The ticket on screen: number, service, counter, position, QR.
    const number = kiosk.locator('#t-number');
    await number.waitFor();
    expect(await number.textContent()).toBe('C-002');
    expect(await kiosk.locator('#t-service').textContent()).toBe('SKCK baru');
    expect(await kiosk.locator('#t-counter').textContent()).toBe('Loket 4 Polres (SKCK)');
    expect(await kiosk.locator('#t-position').textContent()).toBe('Posisi: ke-2');
    await expect.poll(() => kiosk.locator('#t-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-ticket-portrait.png') });
    // Printed once, by itself, after the QR was in.
    await expect.poll(() => kiosk.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    const link = (await kiosk.locator('#t-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${app.url}/t/[A-Za-z0-9_-]{22}$`));

    // The QR, read by our own reader from the drawn image, is the tracking link printed under it.
    const decoded = readQr(await qrModules(kiosk));
    expect(decoded).toBe(link);

    // The print: only the ticket, on 80 mm paper.
    const pdf = await kiosk.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(path.join(ARTIFACTS, 'kiosk-ticket-80mm.pdf'), pdf);
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.width * MM_PER_PT).toBeCloseTo(80, 0);
    await kiosk.emulateMedia({ media: 'print' });
    await kiosk.setViewportSize({ width: 302, height: 600 });
    expect(await kiosk.locator('.top').isVisible()).toBe(false);
    expect(await number.isVisible()).toBe(true);
    expect(await kiosk.locator('#t-qr').isVisible()).toBe(true);
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-printed-80mm.png'), fullPage: true });
    await kiosk.emulateMedia({ media: 'screen' });
    await kiosk.setViewportSize({ width: 1080, height: 1920 });

    // The stored ticket is an anonymous kiosk ticket in the same line as chat tickets.
    const mine = (await app.queue.waiting('polri-skck-baru')).find((t) => t.number === 'C-002')!;
    expect(mine).toMatchObject({ source: 'kiosk', channel: '', checklist: { ready: [0, 1] } });

    // A phone opens the QR's link: the live position, then the counter when called.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const phoneErrors = watchErrors(phone);
    await phone.goto(decoded);
    await phone.getByText('Posisi Anda: ke-2').waitFor();
    expect(await phone.locator('#number').textContent()).toBe('C-002');
    await expect.poll(() => app.track.openStreams).toBeGreaterThan(0);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'track-waiting.png') });

    const first = await app.queue.callNext('loket-4');
    expect(first!.id).toBe(ahead.ticket.id);
    await phone.getByText('Posisi Anda: ke-1').waitFor({ timeout: 3000 });
    await app.queue.act(first!.id, 'done');
    const called = await app.queue.callNext('loket-4');
    expect(called!.id).toBe(mine.id);
    await phone.getByText('Nomor Anda dipanggil!').waitFor({ timeout: 3000 });
    expect(await phone.locator('#goto').textContent()).toBe('Silakan menuju');
    expect(await phone.locator('#counter').textContent()).toBe('Loket 4 Polres (SKCK)');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'track-called.png') });
    expect(await phone.content()).not.toContain(mine.id);

    // From the tracking page into the web chat: the ticket joins that conversation (reminders there).
    await phone.getByRole('link', { name: 'Lanjut di web chat' }).click();
    await phone.getByText(`Nomor antrean C-002 sekarang tersambung ke chat ini`, { exact: false }).waitFor();
    expect(phone.url()).toBe(`${app.url}/`);
    expect(await app.queue.get(mine.id)).toMatchObject({ channel: 'webchat' });

    await kiosk.getByRole('button', { name: 'Selesai' }).click();
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    expect(errors).toEqual([]);
    expect(phoneErrors).toEqual([]);
    await phone.close();
    await context.close();
  });

  it('fits landscape screens, prints at 58 mm too, tells a full quota on screen, and goes back to the start after an idle minute', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const enrol = await context.request.post(`${app.url}/kiosk/enrol`, { form: { token: KIOSK_TOKEN }, maxRedirects: 0 });
    expect(enrol.status()).toBe(303);
    const kiosk = await context.newPage();
    const errors = watchErrors(kiosk, /409/);
    await kiosk.clock.install({ time: new Date() });
    await kiosk.goto(`${app.url}/kiosk?paper=58&print=0`);
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    // Every agency tile fits the landscape screen without scrolling sideways.
    const width = await kiosk.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(1920);
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-landscape.png') });

    // The quota is used up by chat tickets: the kiosk says so plainly.
    for (let i = 0; i < 10; i++) await app.queue.take({ serviceId: 'imigrasi-paspor-hilang-rusak', citizen: { channel: 'telegram', userKey: `e2e-${i}` }, source: 'chat' });
    await kiosk.locator('[data-agency="imigrasi"]').click();
    await kiosk.locator('[data-service="imigrasi-paspor-hilang-rusak"]').click();
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-requirements-landscape.png') });
    await kiosk.getByRole('button', { name: 'Ambil nomor' }).click();
    await kiosk.getByText('Kuota antrean layanan ini untuk hari ini sudah habis', { exact: false }).waitFor();
    await kiosk.getByRole('button', { name: 'Ke awal' }).click();

    // A 58 mm ticket.
    await kiosk.locator('[data-agency="djp"]').click();
    await kiosk.locator('[data-service="djp-npwp"]').click();
    await kiosk.getByRole('checkbox', { name: /antrean prioritas/ }).click();
    await kiosk.getByRole('button', { name: 'Ambil nomor' }).click();
    await kiosk.locator('#t-number').waitFor();
    expect(await kiosk.locator('#t-priority').textContent()).toBe('ANTREAN PRIORITAS');
    await expect.poll(() => kiosk.locator('#t-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const pdf = await kiosk.pdf({ preferCSSPageSize: true });
    await writeFile(path.join(ARTIFACTS, 'kiosk-ticket-58mm.pdf'), pdf);
    expect(pdfPages(pdf)[0]!.width * MM_PER_PT).toBeCloseTo(58, 0);
    await kiosk.emulateMedia({ media: 'print' });
    await kiosk.setViewportSize({ width: 219, height: 560 });
    await kiosk.screenshot({ path: path.join(ARTIFACTS, 'kiosk-printed-58mm.png'), fullPage: true });
    await kiosk.emulateMedia({ media: 'screen' });
    await kiosk.setViewportSize({ width: 1920, height: 1080 });

    // Idle: the ticket stays up for a while, then the next person finds the start screen.
    await kiosk.clock.fastForward(30_000);
    expect(await kiosk.locator('#t-number').isVisible()).toBe(true);
    await kiosk.clock.fastForward(31_000);
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    // Half-way through a choice too.
    await kiosk.locator('[data-agency="djp"]').click();
    await kiosk.getByRole('heading', { name: /Pilih layanan/ }).waitFor();
    await kiosk.clock.fastForward(61_000);
    await kiosk.getByRole('heading', { name: 'Pilih instansi' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
