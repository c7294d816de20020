import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, STAFF_PASSWORD, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

/** The citizen's side of the web chat: the HTTP API and its SSE stream, read as it arrives. */
async function webchatCitizen() {
  let sessionId: string | undefined;
  const send = async (text: string) => {
    const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, ...(sessionId ? { sessionId } : {}) }) });
    const json = (await res.json()) as { sessionId: string; messages: Array<{ text: string }> };
    sessionId = json.sessionId;
    return json.messages.map((m) => m.text);
  };
  await send('halo');
  const controller = new AbortController();
  const res = await fetch(`${app.url}/api/webchat/events?sessionId=${encodeURIComponent(sessionId!)}`, { signal: controller.signal });
  const reader = res.body!.getReader();
  let buffer = '';
  const pushed: string[] = [];
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += new TextDecoder().decode(value);
      const events = buffer.split('\n\n');
      buffer = events.pop()!;
      for (const e of events) if (e.startsWith('event: message')) pushed.push((JSON.parse(e.split('data: ')[1]!) as { text: string }).text);
    }
  })();
  /** Waits for a pushed message matching `pattern`, at most `ms`. */
  const received = async (pattern: RegExp, ms: number) => {
    await expect.poll(() => pushed.some((t) => pattern.test(t)), { timeout: ms, interval: 50 }).toBe(true);
  };
  return { send, received, close: () => controller.abort() };
}

describe('help desk in a real browser', () => {
  it('an officer claims a web chat hand-over at /desk, replies, and hands it back to the assistant', async () => {
    await app.staff.store.create('petugas.desk', STAFF_PASSWORD, 'helpdesk', []);
    const citizen = await webchatCitizen();
    const opened = await citizen.send('mau bicara dengan petugas');
    expect(opened.join('\n')).toContain('saya sambungkan Anda dengan petugas MPP');
    expect(opened.join('\n')).toContain('Ketik "menu"');

    const page = await browser.newPage({ viewport: { width: 1180, height: 820 }, locale: 'id-ID' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/desk`);
    await page.getByLabel('Nama pengguna').fill('petugas.desk');
    await page.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${app.url}/desk`);

    const item = page.locator('#waiting [data-conversation]').first();
    await item.click();
    await page.locator('#messages li', { hasText: 'mau bicara dengan petugas' }).first().waitFor();
    await page.getByRole('button', { name: 'Ambil', exact: true }).click();
    await page.locator('#claimed [data-conversation]').first().waitFor();

    await page.locator('textarea[name=text]').fill('Selamat pagi, saya Budi dari MPP. Ada yang bisa dibantu?');
    const sentAt = Date.now();
    await page.locator('#reply button[type=submit]').click();
    await citizen.received(/saya Budi dari MPP/, 5000);
    expect(Date.now() - sentAt).toBeLessThan(5000);
    await page.locator('#messages li.officer', { hasText: 'Terkirim' }).waitFor();

    // The citizen's next message shows on the desk, live, and the assistant says nothing.
    expect(await citizen.send('Saya mau tanya syarat paspor untuk anak')).toEqual([]);
    await page.locator('#messages li.citizen', { hasText: 'syarat paspor untuk anak' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk.png') });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-tablet-portrait.png'), fullPage: true });

    await page.locator('[data-action="release"]').click();
    await citizen.received(/kembali terhubung dengan asisten otomatis/, 5000);
    await page.locator('#claimed li.muted').waitFor();
    const answered = await citizen.send('syarat paspor baru');
    expect(answered.join('\n')).toMatch(/Paspor/i);

    expect(errors).toEqual([]);
    citizen.close();
    await page.close();
  }, 60_000);

  it('an officer moves a chat complaint to selesai from the complaints tab, and the citizen is told each time', async () => {
    const say = (text: string) => app.engine.handle({ channel: 'webchat', userKey: 'e2e-pelapor', text });
    await say('halo');
    await say('mau komplain, pelayanannya lama banget');
    await say('Sudah 3 jam menunggu di loket KTP tanpa kepastian');
    await app.engine.handle({ channel: 'webchat', userKey: 'e2e-pelapor', choice: 'skip' });
    await app.engine.handle({ channel: 'webchat', userKey: 'e2e-pelapor', choice: 'skip' });
    const filed = (await app.engine.handle({ channel: 'webchat', userKey: 'e2e-pelapor', choice: 'show' })).messages.map((m) => m.text).join('\n');
    const reference = /ADU-\d{8}-\d{4}/.exec(filed)![0];

    const page = await browser.newPage({ viewport: { width: 1180, height: 820 }, locale: 'id-ID' });
    const errors = watchErrors(page);
    await page.goto(`${app.url}/login?next=/desk`);
    await page.getByLabel('Nama pengguna').fill('petugas.desk');
    await page.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${app.url}/desk`);
    await page.getByRole('tab', { name: 'Aduan' }).click();
    await page.locator(`[data-complaint="${reference}"] button`).click();
    await page.getByText('Sudah 3 jam menunggu di loket KTP').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'desk-complaints.png') });
    for (const status of ['diproses', 'selesai']) {
      await page.locator(`button[data-status="${status}"]`).click();
      await page.locator('#toast', { hasText: 'Warga sudah diberi tahu' }).waitFor();
    }
    await page.locator(`[data-complaint="${reference}"]`).waitFor({ state: 'detached' });
    expect((await app.hub.takePending('e2e-pelapor')).map((m) => m.text)).toEqual([`Aduan ${reference}: Sedang diproses.`, `Aduan ${reference}: Selesai.`]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
