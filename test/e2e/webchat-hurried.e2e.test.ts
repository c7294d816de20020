import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;

beforeAll(async () => ({ app, browser } = await startAppAndBrowser()));
afterAll(() => closeAppAndBrowser(app, browser));

/** Types a message as a citizen does on a phone (Enter to send) and waits for the reply that matches. */
async function say(page: Page, text: string, reply: string | RegExp): Promise<string> {
  const replies = page.locator('.msg:not(.me)', { hasText: reply });
  const before = await replies.count();
  await page.getByLabel('Ketik pertanyaan Anda').fill(text);
  await page.getByLabel('Ketik pertanyaan Anda').press('Enter');
  // A new reply of this kind, not one already on screen.
  await expect.poll(() => replies.count(), { timeout: 10_000 }).toBeGreaterThan(before);
  return (await replies.last().textContent()) ?? '';
}

/** Nothing wider than the phone: no sideways scrolling of the page. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('a hurried citizen in the web chat on a phone (390x844)', () => {
  it('takes a ticket in chat words, asks "udah nomor brp" and "masih lama ga", and cancels with "batalin antrian" / "ya"', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID', hasTouch: true, isMobile: true });
    const errors = watchErrors(page);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    await say(page, 'mau antri perpanjang sim dong', 'Ambil antrean untuk layanan Perpanjangan SIM');
    await say(page, '👍', 'Cek dokumen 1 dari');
    const ticket = await say(page, 'udah semua', /Nomor antrean: [A-Z]-\d{3}/);
    const number = /[A-Z]-\d{3}/.exec(ticket)![0];
    expect(await say(page, 'udah nomor brp', number)).not.toContain('beberapa layanan');
    await say(page, 'masih lama ga', number);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-hurried-status.png') });
    await say(page, 'batalin antrian', 'Yakin');
    await say(page, 'ya', 'dibatalkan');
    await page.getByRole('button', { name: 'Menu utama' }).last().click();
    await page.locator('.msg', { hasText: 'Ada yang bisa saya bantu' }).last().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers emoji, a long unbroken word and a very long message without sideways scrolling or a dead end', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'id-ID', hasTouch: true, isMobile: true });
    const errors = watchErrors(page);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Cari persyaratan layanan' }).waitFor();
    await say(page, '🙏🙏', /ketik|pilih/i);
    await say(page, 'https://contoh.go.id/' + 'x'.repeat(120), /belum menemukan|ketik/);
    // Just under the input's 2,000 characters: the request at the end is still read.
    await say(page, 'tolong '.repeat(250) + 'syarat skck baru', /SKCK/);
    expect(await fitsWidth(page)).toBe(true);
    // The newest reply scrolls into view by itself (a smooth scroll: polled).
    await expect.poll(() => page.locator('.msg').last().evaluate((el) => Math.round(el.getBoundingClientRect().bottom) <= window.innerHeight), { timeout: 5000 }).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-hurried-long.png'), fullPage: false });
    // An empty message sends nothing and breaks nothing.
    const count = await page.locator('.msg').count();
    await page.getByLabel('Ketik pertanyaan Anda').fill('   ');
    await page.getByLabel('Ketik pertanyaan Anda').press('Enter');
    await page.waitForTimeout(300);
    expect(await page.locator('.msg').count()).toBeLessThanOrEqual(count + 2);
    await say(page, 'menu', 'Ada yang bisa saya bantu');
    expect(errors).toEqual([]);
    await page.close();
  });
});
