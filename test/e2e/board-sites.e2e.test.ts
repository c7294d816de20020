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

describe("a site's display board in a real browser", () => {
  it("/board?site=kec-utara shows the call made at kec-utara's loket-1 live, and none of the main site's", async () => {
    const utara = app.sites.get('kec-utara')!;
    await app.staff.store.create('petugas.utara', STAFF_PASSWORD, 'counter', ['loket-1'], ['kec-utara']);
    // The main site is busy with the same counter ids and the same number series.
    const mainTickets = [];
    for (let i = 0; i < 3; i++) mainTickets.push((await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' })).ticket);
    await app.queue.callNext('loket-2');
    await app.queue.callNext('loket-1');
    const { ticket } = await utara.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    expect(ticket.number).toBe(mainTickets[0]!.number);
    clock.advance(3 * 60_000);

    const board = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID' });
    const boardErrors = watchErrors(board);
    await board.goto(`${app.url}/board?site=kec-utara`);
    expect(await board.locator('h1').textContent()).toBe(utara.mpp.name);
    // Nobody called at kec-utara yet, though the main site calls two numbers at its loket-1 and loket-2.
    await board.locator('#no-calls').waitFor();
    expect(await board.locator('#calls .call').count()).toBe(0);
    await expect.poll(() => app.boards.for(utara).openStreams, { timeout: 5000 }).toBeGreaterThan(0);

    const console = await browser.newPage({ viewport: { width: 1180, height: 820 }, locale: 'id-ID' });
    const consoleErrors = watchErrors(console);
    await console.goto(`${app.url}/counter`);
    await console.getByLabel('Nama pengguna').fill('petugas.utara');
    await console.getByLabel('Kata sandi').fill(STAFF_PASSWORD);
    await console.getByRole('button', { name: 'Masuk' }).click();
    await console.waitForURL(`${app.url}/counter/loket-1?site=kec-utara`);
    await console.getByRole('button', { name: 'Panggil berikutnya', exact: true }).click();
    await console.locator('.ticket-number', { hasText: ticket.number }).waitFor();

    // Live over the site's own event stream: its number at its Loket 1, and only that call.
    await board.locator('#calls .call.latest .call-number', { hasText: ticket.number }).waitFor();
    expect(await board.locator('#calls .call').count()).toBe(1);
    expect(await board.locator('#calls .call.latest .call-counter').textContent()).toBe('Loket 1 Dukcapil');
    expect(await board.locator('#calls').textContent()).not.toContain(mainTickets[1]!.number);
    await board.locator('#flash').waitFor({ state: 'hidden', timeout: 10_000 });
    await board.screenshot({ path: path.join(ARTIFACTS, 'board-kec-utara.png') });
    // The main site's board is untouched by kec-utara's call: its own two calls, the newest first.
    const main = await app.board.state('id');
    expect(main.calling.map((c) => c.number).sort()).toEqual([mainTickets[0]!.number, mainTickets[1]!.number].sort());
    expect((await utara.queue.get(ticket.id))?.status).toBe('called');
    expect((await app.queue.get(mainTickets[2]!.id))?.status).toBe('waiting');
    expect(consoleErrors).toEqual([]);
    expect(boardErrors).toEqual([]);
    await board.close();
    await console.close();
  });
});
