import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, staffSession, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, launchChromium, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp({ SURVEY_DELAY_MINUTES: '0' });
  // What `npm start` runs besides HTTP: notice delivery and the recorder of finished tickets.
  await app.reminders.start({ scheduler: false });
  await app.pickupRecorder.start();
  browser = await launchChromium();
});
afterAll(() => closeAppAndBrowser(app, browser));

describe('document pickup in real browsers', () => {
  it('a passport marked ready on the staff page reaches the citizen\'s open web chat', async () => {
    // The citizen's web chat.
    const citizen = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const citizenErrors = watchErrors(citizen);
    await citizen.goto(app.url);
    await citizen.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    const userKey = (await citizen.evaluate(() => localStorage.getItem('mpp-webchat-session')))!.split('.')[0]!;
    const { ticket } = await app.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: { channel: 'webchat', userKey }, source: 'chat' });
    await app.queue.callNext('loket-3');
    await app.queue.act(ticket.id, 'done');
    await expect.poll(async () => (await app.pickups.get(ticket.id))?.status, { timeout: 8000 }).toBe('applied');
    const reference = (await app.pickups.get(ticket.id))!.reference;
    await expect.poll(() => app.hub.openStreams, { timeout: 5000 }).toBeGreaterThan(0);

    // The officer's pickup page.
    const officer = await staffSession(app, 'rina', 'counter', ['loket-3']);
    const [name, value] = officer.cookie.split('=') as [string, string];
    const staffContext = await browser.newContext({ locale: 'id-ID', viewport: { width: 1280, height: 800 } });
    await staffContext.addCookies([{ name, value, url: app.url }]);
    const staff = await staffContext.newPage();
    const staffErrors = watchErrors(staff);
    await staff.goto(`${app.url}/pickup`);
    await staff.locator('td', { hasText: reference }).waitFor();
    await staff.getByLabel('Nomor tanda terima atau referensi').fill(reference);
    await staff.getByLabel('Nomor tanda terima (opsional)').fill('TT-2026-0042');
    await staff.getByRole('button', { name: 'Tandai siap diambil' }).click();
    await staff.locator('.notice', { hasText: 'ditandai siap diambil' }).waitFor();
    expect(await staff.locator('.notice').textContent()).toContain('Warga diberi tahu lewat chat');
    await staff.screenshot({ path: path.join(ARTIFACTS, 'pickup-staff.png'), fullPage: true });

    // The citizen's page shows it live.
    const pushed = citizen.locator('.msg.push', { hasText: 'sudah jadi dan bisa diambil' });
    await pushed.waitFor({ timeout: 10_000 });
    const text = (await pushed.textContent()) ?? '';
    expect(text).toContain('Loket Imigrasi di MPP');
    expect(text).toContain('TT-2026-0042');
    expect(text).toContain('Jam layanan MPP');
    await citizen.screenshot({ path: path.join(ARTIFACTS, 'pickup-webchat.png'), fullPage: true });

    // And the chat answers from the same record.
    await citizen.getByLabel('Ketik pertanyaan Anda').fill('paspor saya sudah jadi?');
    await citizen.getByRole('button', { name: 'Kirim' }).click();
    await citizen.locator('.msg', { hasText: 'Sudah jadi dan bisa diambil' }).last().waitFor();
    expect(citizenErrors).toEqual([]);
    expect(staffErrors).toEqual([]);
    await staffContext.close();
    await citizen.close();
  });
});
