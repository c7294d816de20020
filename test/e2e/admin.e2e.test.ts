import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import { SurveyStore } from '../../src/survey/store.js';
import { MONDAY_9AM, staffSession, testRedis, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

/** bull-board asks for a Google Fonts stylesheet; our CSP refuses it on purpose. */
const BULL_BOARD_FONTS = /fonts\.googleapis\.com/;
let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));


async function operatorPage(): Promise<Page> {
  const { cookie } = await staffSession(app, `op${Math.random().toString(36).slice(2, 8)}`, 'operator');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
  await context.addCookies([{ name: STAFF_COOKIE, value: cookie.split('=')[1]!, url: app.url }]);
  return context.newPage();
}

describe('admin pages in a real browser', () => {
  it('draws the report with its charts and no script or CSP error', async () => {
    const store = new SurveyStore(testRedis(), app.queue.ticketSlot);
    for (const [i, service] of ['polri-skck-baru', 'polri-skck-baru', 'dukcapil-kia'].entries()) {
      await app.queue.take({ serviceId: service, citizen: { channel: 'test', userKey: `w${i}` }, source: 'test' });
    }
    clock.advance(7 * 60_000);
    const called = await app.queue.callNext('loket-4');
    await app.queue.act(called!.id, 'start');
    clock.advance(9 * 60_000);
    await app.queue.act(called!.id, 'done');
    await store.record(called!, [3, 3, 4, 4, 3, 4, 4, 3, 3]);

    const page = await operatorPage();
    const errors = watchErrors(page, BULL_BOARD_FONTS);
    await page.goto(`${app.url}/admin/report`);
    await page.locator('svg.chart').first().waitFor();
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('section').nth(1).locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-report-day.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('runs bull-board under the CSP and lists the outbox queues', async () => {
    const page = await operatorPage();
    const errors = watchErrors(page, BULL_BOARD_FONTS);
    await page.goto(`${app.url}/admin/jobs`);
    await page.getByText('notify-webchat').first().waitFor({ timeout: 15_000 });
    await page.getByText('Loading...').waitFor({ state: 'detached', timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-jobs.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
