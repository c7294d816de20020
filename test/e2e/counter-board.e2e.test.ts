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


describe('counter console and display board in a real browser', () => {
  it('an officer signs in, calls the next SKCK ticket, and the board shows its number live', async () => {
    await app.staff.store.create('petugas.skck', STAFF_PASSWORD, 'counter', ['loket-4']);
    // A hall with some life in it: other lines waiting, another counter already calling.
    for (const service of ['dukcapil-ktp-el-baru', 'dukcapil-kia', 'dukcapil-kk-baru', 'imigrasi-paspor-baru', 'samsat-pajak-tahunan', 'samsat-pajak-tahunan']) {
      await app.queue.take({ serviceId: service, source: 'test' });
    }
    await app.queue.callNext('loket-1');
    clock.advance(4 * 60_000);
    const { ticket } = await app.queue.take({
      serviceId: 'polri-skck-baru',
      citizen: { channel: 'webchat', userKey: 'e2e-warga' },
      checklist: { ready: [0, 1, 2, 3], missing: [4] },
      question: 'Kalau belum punya kartu sidik jari, bisa dibuat di sini?',
      source: 'test',
    });
    await app.queue.take({ serviceId: 'polri-skck-baru', source: 'test', priority: true });
    await app.queue.take({ serviceId: 'polri-skck-perpanjangan', source: 'test' });
    clock.advance(12 * 60_000);

    const board = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const boardErrors = watchErrors(board);
    await board.goto(`${app.url}/board`);
    await board.locator('#calls .call-number').first().waitFor();
    await expect.poll(() => app.board.openStreams, { timeout: 5000 }).toBeGreaterThan(0);

    const console = await browser.newPage({ viewport: { width: 1180, height: 820 }, locale: 'id-ID' });
    const consoleErrors = watchErrors(console);
    await console.goto(`${app.url}/counter`);
    await console.getByLabel('Nama pengguna').fill('petugas.skck');
    await console.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
    await console.getByRole('button', { name: 'Masuk' }).click();
    await console.waitForURL(`${app.url}/counter/loket-4`);
    await console.getByText('Belum ada tiket yang dipanggil').waitFor();
    await console.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();

    await console.locator('.ticket-number', { hasText: ticket.number }).waitFor();
    expect(await console.locator('.question blockquote').textContent()).toBe('Kalau belum punya kartu sidik jari, bisa dibuat di sini?');
    expect(await console.locator('.check.missing').count()).toBe(1);
    // While a ticket is at the counter, the one primary button finishes it and calls the next.
    expect(await console.getByRole('button', { name: 'Panggil berikutnya', exact: true }).count()).toBe(0);
    expect(await console.getByRole('button', { name: 'Selesai & panggil berikutnya' }).isEnabled()).toBe(true);
    expect(await console.getByRole('button', { name: 'Mulai layani' }).isEnabled()).toBe(true);
    await console.screenshot({ path: path.join(ARTIFACTS, 'counter-console-first-call.png'), fullPage: true });

    // Over SSE: the snapshot puts the number first in "now calling" (the 2.5 s highlight card is
    // checked in board-burst.e2e.test.ts).
    await board.locator('#calls .call.latest .call-number', { hasText: ticket.number }).waitFor();
    expect(await board.locator('#calls .call.latest .call-counter').textContent()).toBe('Loket 4 Polres (SKCK)');
    await board.screenshot({ path: path.join(ARTIFACTS, 'board-call.png') });
    await board.locator('#flash').waitFor({ state: 'hidden', timeout: 10_000 });
    await board.screenshot({ path: path.join(ARTIFACTS, 'board.png') });
    expect(await board.content()).not.toContain('sidik jari, bisa');

    await console.getByRole('button', { name: 'Mulai layani' }).click();
    await console.locator('.badge.status-serving').waitFor();
    await console.setViewportSize({ width: 820, height: 1180 });
    await console.screenshot({ path: path.join(ARTIFACTS, 'counter-console-portrait.png') });
    expect(consoleErrors).toEqual([]);
    expect(boardErrors).toEqual([]);
    await board.close();
    await console.close();
  });
});
