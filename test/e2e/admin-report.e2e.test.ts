import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import { SurveyStore } from '../../src/survey/store.js';
import { MONDAY_9AM, staffSession, testRedis, type TestApp } from '../helpers.js';
import { ARTIFACTS, closeAppAndBrowser, startAppAndBrowser, watchErrors } from './browser.js';

let app: TestApp;
let browser: Browser;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => ({ app, browser } = await startAppAndBrowser(clock)));
afterAll(() => closeAppAndBrowser(app, browser));

/** Deterministic pseudo-random numbers (mulberry32), so the screenshot is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = ['dukcapil-ktp-el-baru', 'dukcapil-kk-perubahan', 'dukcapil-kia', 'dukcapil-akta-kelahiran', 'imigrasi-paspor-baru', 'polri-skck-baru', 'polri-skck-perpanjangan', 'samsat-pajak-tahunan'];
const COUNTERS: Record<string, string[]> = { 'loket-1': ['rina', 'dedi'], 'loket-2': ['wulan'], 'loket-3': ['agus'], 'loket-4': ['budi', 'sri'], 'loket-6': ['yanti'] };
const COMMENTS = ['Petugas ramah dan cepat.', 'Antrean lewat chat sangat membantu, tidak perlu datang pagi.', 'Ruang tunggu panas, mohon AC diperbaiki.', 'Tolong hubungi saya di 0812-3456-7890 soal berkas saya.', 'Syarat di chat dan di loket berbeda, mohon disamakan.', 'Menunggu hampir satu jam di jam sibuk.'];

/**
 * Four working days (Mon 23 – Thu 26 Nov 2026) of an MPP: arrivals from 08:00 to 14:30 with a
 * morning peak, through chat, kiosk and counter walk-ins; five counters with their officers,
 * service times of 3–14 minutes, some no-shows and cancellations, a few transfers, surveys with
 * comments for about a third of those served. A few hundred tickets through the real queue.
 */
async function seedWeek(): Promise<number> {
  const rnd = random(15);
  const survey = new SurveyStore(testRedis(), app.queue.ticketSlot);
  let issued = 0;
  for (const [d, date] of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'].entries()) {
    const open = Date.parse(`${date}T01:00:00Z`); // 08:00 WIB
    const busy = new Map<string, { id: string; serviceId: string; until: number }>();
    for (let minute = 0; minute <= 420; minute += 2) {
      const now = open + minute * 60_000;
      clock.set(new Date(now));
      const hour = 8 + minute / 60;
      const rate = hour < 9 ? 0.6 : hour < 11 ? 1.1 : hour < 12 ? 0.6 : hour < 13 ? 0 : hour < 14.5 ? 0.5 : 0;
      for (let n = Math.floor(rate + rnd()); n > 0; n--) {
        const serviceId = SERVICES[Math.floor(rnd() * SERVICES.length)]!;
        const r = rnd();
        const [channel, source] = r < 0.55 ? ['telegram', 'chat'] : r < 0.7 ? ['webchat', 'chat'] : r < 0.9 ? ['kiosk', 'kiosk'] : ['counter', 'counter'];
        try {
          await app.queue.take({ serviceId, citizen: { channel, userKey: `d${d}-${minute}-${n}` }, source });
          issued++;
        } catch {
          // Closed (lunch) or the quota is full: a real MPP refuses too.
        }
      }
      for (const [counter, officers] of Object.entries(COUNTERS)) {
        const current = busy.get(counter);
        if (current && current.until <= now) {
          const r = rnd();
          if (r < 0.06) await app.queue.act(current.id, 'no-show');
          else if (r < 0.09 && current.serviceId !== 'dukcapil-kk-perubahan') await app.queue.transfer(current.id, 'dukcapil-kk-perubahan');
          else {
            const ticket = await app.queue.act(current.id, 'done');
            if (rnd() < 0.35) {
              const base = rnd() < 0.8 ? 3 : 2;
              await survey.record(ticket, Array.from({ length: 9 }, () => Math.min(4, base + (rnd() < 0.5 ? 1 : 0))));
              if (rnd() < 0.4) await survey.comment(ticket, COMMENTS[Math.floor(rnd() * COMMENTS.length)]!);
            }
          }
          busy.delete(counter);
        }
        if (!busy.has(counter) && hour < 15 && (hour < 12 || hour >= 13)) {
          const called = await app.queue.callNext(counter, officers[Math.floor(rnd() * officers.length)]);
          if (called) busy.set(counter, { id: called.id, serviceId: called.serviceId, until: now + (3 + Math.floor(rnd() * 12)) * 60_000 });
        }
      }
    }
    // The day closes with whatever is still at a counter served.
    for (const current of busy.values()) await app.queue.act(current.id, 'done');
  }
  clock.set(new Date('2026-11-27T02:00:00Z'));
  return issued;
}

describe("the MPP head's report in a real browser", () => {
  it('draws a week of realistic data with charts whose labels fit, and no script or CSP error', async () => {
    const issued = await seedWeek();
    expect(issued).toBeGreaterThan(300);
    const { cookie } = await staffSession(app, 'kepala', 'operator');
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'id-ID' });
    await context.addCookies([{ name: STAFF_COOKIE, value: cookie.split('=')[1]!, url: app.url }]);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${app.url}/admin/report?range=week&day=2026-11-25`);
    await page.locator('svg.chart').first().waitFor();
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('h2.day-title').textContent()).toContain('23 November 2026 – 29 November 2026');
    expect(await page.getByText(/^Cocok: \d+ antrean dipindahkan keluar = \d+ diterima/).count()).toBe(1);
    // No chart label runs into another: the bounding boxes of the row labels never overlap, and stay inside the chart.
    const overlaps = await page.evaluate(() =>
      Array.from(document.querySelectorAll('svg.chart')).map((svg) => {
        const box = svg.getBoundingClientRect();
        const labels = Array.from(svg.querySelectorAll('text.label, text.legend')).map((t) => t.getBoundingClientRect());
        const values = Array.from(svg.querySelectorAll('text.value')).map((t) => t.getBoundingClientRect());
        let bad = values.filter((v) => v.right > box.right + 0.5).length;
        labels.forEach((a, i) => {
          if (a.left < box.left - 0.5 || a.right > box.right + 0.5) bad++;
          labels.slice(i + 1).forEach((b) => {
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) bad++;
          });
        });
        return bad;
      }),
    );
    expect(overlaps).toEqual([0, 0, 0]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-report.png'), fullPage: true });
    await page.getByRole('link', { name: /Baca saran dan komentar/ }).click();
    await page.locator('ol.comments li').first().waitFor();
    expect(await page.content()).not.toContain('0812-3456-7890');
    await page.screenshot({ path: path.join(ARTIFACTS, 'admin-report-comments.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 240_000);
});
