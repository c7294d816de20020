import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser } from './browser.js';

let app: TestApp;
let browser: Browser;

beforeAll(async () => ({ app, browser } = await startAppAndBrowser()));
afterAll(() => closeAppAndBrowser(app, browser));

describe('web chat in a real browser', () => {
  it('asks "syarat skck", picks the new certificate and sees the service card', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    await page.getByLabel('Ketik pertanyaan Anda').fill('syarat skck');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.getByRole('button', { name: 'SKCK baru' }).click();
    const card = page.locator('.msg', { hasText: 'Persyaratan (siapkan sebelum datang)' }).last();
    await card.waitFor();
    expect(await card.textContent()).toContain('☐');
    expect(await card.textContent()).toContain('Rp30.000');
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-skck.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows what a citizen typed as text, never as markup', async () => {
    const page = await browser.newPage({ locale: 'id-ID' });
    let dialog = false;
    page.on('dialog', (d) => {
      dialog = true;
      void d.dismiss();
    });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    await page.getByLabel('Ketik pertanyaan Anda').fill('<img src=x onerror=alert(1)><script>alert(2)</script>');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('.msg.me', { hasText: '<img src=x' }).waitFor();
    await page.locator('.msg', { hasText: 'belum menemukan' }).last().waitFor();
    expect(await page.locator('.log img').count()).toBe(0);
    expect(await page.locator('.log script').count()).toBe(0);
    expect(dialog).toBe(false);
    await page.close();
  });

  it('receives a pushed message live over SSE', async () => {
    const page = await browser.newPage({ locale: 'id-ID' });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    const sessionId = await page.evaluate(() => localStorage.getItem('mpp-webchat-session'));
    expect(sessionId).toBeTruthy();
    // Wait until the page's stream is subscribed before pushing.
    await expect.poll(() => app.hub.openStreams, { timeout: 5000 }).toBeGreaterThan(0);
    await app.hub.push(sessionId!.split('.')[0]!, { text: 'Pengingat: 5 nomor lagi giliran Anda.' });
    await page.locator('.msg.push', { hasText: 'Pengingat: 5 nomor lagi' }).waitFor();
    await page.close();
  });
  it('shows a survey that arrived while the tab was closed when the page opens again, and its buttons answer', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const first = await context.newPage();
    await first.goto(app.url);
    await first.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    const key = (await first.evaluate(() => localStorage.getItem('mpp-webchat-session')))!.split('.')[0]!;
    await first.close();
    await expect.poll(() => app.hub.openStreams, { timeout: 5000 }).toBe(0);
    const { ticket } = await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'webchat', userKey: key }, source: 'test' });
    await app.queue.callNext('loket-4');
    await app.queue.act(ticket.id, 'done');
    // The survey notice with the tab closed: the engine speaks it, web chat keeps it (src/channels/webchat/notifier.ts).
    for (const message of await app.engine.push('webchat', key, 'survey', { ticket: ticket.id, notice: 'survey' })) await app.hub.deliver(key, message);
    const page = await context.newPage();
    await page.goto(app.url);
    const survey = page.locator('.msg', { hasText: 'Pertanyaan 1 dari' }).last();
    await survey.waitFor();
    await survey.getByRole('button').first().click();
    const next = page.locator('.msg:not(.me)').last();
    await expect.poll(async () => (await next.textContent()) ?? '', { timeout: 5000 }).toMatch(/Pertanyaan 2 dari|tidak berlaku|Ada yang bisa/);
    expect(await page.locator('.msg', { hasText: 'tidak berlaku' }).count()).toBe(0);
    expect(await next.textContent()).toContain('Pertanyaan 2 dari');
    await context.close();
  });
});
