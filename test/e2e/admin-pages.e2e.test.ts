import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import { MONDAY_9AM, staffSession, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

async function signedIn(role: 'operator' | 'counter', counters: string[] = []): Promise<Page> {
  const { cookie } = await staffSession(app, `${role}${Math.random().toString(36).slice(2, 7)}`, role, counters);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
  await context.addCookies([{ name: STAFF_COOKIE, value: cookie.split('=')[1]!, url: app.url }]);
  return context.newPage();
}

describe('incident and booking pages in a real browser', () => {
  it('declares an incident only after the confirmation page, then marks it over', async () => {
    await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'telegram', userKey: '111222333' }, source: 'chat' });
    await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'kiosk', userKey: 'k-1' }, source: 'kiosk' });
    const page = await signedIn('operator');
    const errors = watchErrors(page);
    await page.goto(`${app.url}/admin`);
    await page.getByRole('link', { name: /Gangguan layanan/ }).click();
    // Without a chosen scope the browser itself refuses to send the form.
    await page.fill('#message', 'Blanko SKCK habis, stok datang pukul 13.00.');
    await page.selectOption('#kind', 'blanko_habis');
    await page.getByRole('button', { name: 'Periksa sebelum diumumkan' }).click();
    expect(page.url()).toBe(`${app.url}/admin/incidents`);
    expect(await app.incidents.today()).toEqual([]);
    await page.selectOption('#scope', 'service:polri-skck-baru');
    await page.getByRole('button', { name: 'Periksa sebelum diumumkan' }).click();
    await page.getByText('Pesan ini akan dikirim ke 1 warga').waitFor();
    expect(await page.getByText('1 pemegang antrean tidak dapat dihubungi').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-incident-confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Ya, kirim sekarang' }).click();
    await page.getByText('Warga yang baru diberi tahu: 1. Tidak dapat dihubungi: 1.').waitFor();
    await page.getByRole('button', { name: 'Tandai selesai dan beri tahu warga' }).click();
    await page.getByRole('button', { name: 'Ya, kirim sekarang' }).click();
    await page.getByText(/Selesai pukul/).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-incidents.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("shows today's bookings and checks one in by code", async () => {
    clock.set(MONDAY_9AM); // booked the day before
    const bookings = [];
    for (const [i, slot] of ['09:00', '09:00', '10:00', '13:00'].entries()) bookings.push(await app.appointments.book('imigrasi-paspor-baru', '2026-11-24', slot, { channel: 'telegram', userKey: `b-${i}` }));
    clock.set(new Date('2026-11-24T02:05:00Z')); // 09:05 WIB
    const page = await signedIn('counter', ['loket-3']);
    // The wrong code's page answers 404 on purpose; Chromium logs that status.
    const errors = watchErrors(page, /status of 404/);
    await page.goto(`${app.url}/staff/bookings`);
    await page.fill('#code', bookings[0]!.code.toLowerCase());
    await page.getByRole('button', { name: 'Check-in' }).click();
    await page.getByText(`Check-in berhasil: ${bookings[0]!.code}`).waitFor();
    await page.fill('#code', 'JT-ZZZZZ');
    await page.getByRole('button', { name: 'Check-in' }).click();
    await page.getByText('Kode JT-ZZZZZ tidak ditemukan').waitFor();
    expect(await page.locator('tr.checked-in').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'staff-bookings.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
