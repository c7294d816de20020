import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

describe('a full hall on the board', () => {
  it('names the counter of every call with its number when 18 counters call at once, at 1080p and 720p', async () => {
    const counters = app.catalogue.mpp.counters.slice(0, 18);
    for (const counter of counters) {
      await app.queue.take({ serviceId: app.queue.servicesOf(counter.id)[0]!, source: 'test' });
      expect(await app.queue.callNext(counter.id)).toBeDefined();
      clock.advance(1000);
    }
    for (const [name, viewport] of [['1080p', { width: 1920, height: 1080 }], ['720p', { width: 1280, height: 720 }]] as const) {
      const board = await browser.newPage({ viewport, locale: 'id-ID' });
      const errors = watchErrors(board);
      await board.goto(`${app.url}/board`);
      await expect.poll(() => board.locator('#calls .call').count()).toBe(18);
      const cells = await board.evaluate(() =>
        Array.from(document.querySelectorAll('#calls .call')).map((li) => {
          const counter = li.querySelector('.call-counter')!;
          return { counter: (li as HTMLElement).dataset.counter, text: counter.textContent, cut: counter.scrollWidth > counter.clientWidth + 1 };
        }),
      );
      // Each cell says where to go: its full name, or "Loket N" where the name does not fit; never "Loket …".
      for (const cell of cells) {
        const no = /(\d+)$/.exec(cell.counter!)![1];
        const full = counters.find((c) => c.id === cell.counter)!.name.id;
        expect([name, cell.cut, [full, `Loket ${no}`]]).toEqual([name, false, expect.arrayContaining([cell.text])]);
      }
      await board.screenshot({ path: path.join(ARTIFACTS, `board-18-calls-${name}.png`) });
      expect(errors).toEqual([]);
      await board.close();
    }
  });
});
