import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, launchChromium, watchErrors } from './browser.js';

let app: TestApp | undefined;
let browser: Browser | undefined;
beforeAll(async () => {
  // Citizens with no MPP chosen: the page's `?site=` is what tells the chat where they are.
  app = await startTestApp({ WEBCHAT_SITE: 'none' }, undefined, { siteHint: null });
  browser = await launchChromium();
}, 60_000);
afterAll(() => closeAppAndBrowser(app, browser));

describe('web chat page opened for one MPP site', () => {
  it('/?site=kec-utara greets by that site and answers its hours without asking which MPP', async () => {
    const page = await browser!.newPage({ locale: 'id-ID' });
    const errors = watchErrors(page);
    await page.goto(`${app!.url}/?site=kec-utara`);
    await page.locator('.msg', { hasText: 'Kecamatan Contoh Utara' }).first().waitFor();
    await page.getByRole('button', { name: 'Ganti MPP' }).waitFor();
    await page.getByLabel('Ketik pertanyaan Anda').fill('jam buka hari ini');
    await page.getByRole('button', { name: 'Kirim' }).click();
    const answer = page.locator('.msg', { hasText: '08.00–14.00' }).last();
    await answer.waitFor();
    expect(await page.locator('.msg', { hasText: 'Di MPP mana' }).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-site-kec-utara.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('/ with no site asks "di MPP mana?" before the hours, and an unknown ?site= is ignored', async () => {
    const page = await browser!.newPage({ locale: 'id-ID' });
    await page.goto(`${app!.url}/?site=tidak-ada`);
    await page.getByRole('button', { name: 'Ganti MPP' }).waitFor();
    expect(await page.locator('.msg', { hasText: 'Kecamatan Contoh Utara' }).count()).toBe(0);
    await page.getByLabel('Ketik pertanyaan Anda').fill('jam buka hari ini');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await page.locator('.msg', { hasText: 'Di MPP mana' }).last().waitFor();
    await page.close();
  }, 60_000);
});
