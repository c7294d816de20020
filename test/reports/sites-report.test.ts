import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';
import { parseCsv } from './parse-csv.js';

const SKCK = 'polri-skck-baru';
const KIA = 'dukcapil-kia';
const DAY = '2026-11-23';
let app: TestApp;
let clock: ManualClock;
let utara: Site;

beforeEach(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({}, clock);
  utara = app.sites.get('kec-utara')!;
});
afterEach(async () => {
  await app.close();
});

async function operator(username: string, sites: string[] = []) {
  const account = await app.staff.store.create(username, STAFF_PASSWORD, 'operator', [], sites);
  const session = await app.staff.sessions.create(account);
  return `${STAFF_COOKIE}=${session.id}`;
}

/** Serves one ticket of `serviceId` at `site` after `waitMin` minutes, at `counter`. */
async function serve(site: Site, serviceId: string, counter: string, waitMin: number) {
  const { ticket } = await site.queue.take({ serviceId, citizen: { channel: 'test', userKey: `w-${site.id}-${Math.random()}` }, source: 'chat' });
  clock.advance(waitMin * 60_000);
  expect((await site.queue.callNext(counter, 'budi'))?.id).toBe(ticket.id);
  await site.queue.act(ticket.id, 'done');
}

/** The day's CSV as { service id -> issued, served } plus the total row. */
async function csv(cookie: string, query: string) {
  const res = await fetch(`${app.url}/admin/report.csv?day=${DAY}${query}`, { headers: { cookie } });
  expect(res.status, query).toBe(200);
  const rows = parseCsv((await res.text()).replace(/^\ufeff/, ''), ',');
  const head = rows[0]!;
  const [issued, served] = [head.indexOf('diambil'), head.indexOf('dilayani')];
  const of = (r: string[]) => ({ issued: Number(r[issued]), served: Number(r[served]) });
  return { name: res.headers.get('content-disposition'), services: Object.fromEntries(rows.slice(1, -1).map((r) => [r[2]!, of(r)])), total: of(rows.at(-1)!) };
}

describe('the report per site and over all sites', () => {
  it('counts each site on its own and sums every site with ?site=all', async () => {
    await serve(app.sites.main, SKCK, 'loket-4', 5);
    await serve(utara, SKCK, 'loket-2', 3);
    await serve(utara, KIA, 'loket-1', 2);
    await utara.queue.take({ serviceId: KIA, source: 'chat' });
    const cookie = await operator('sari');

    const main = await csv(cookie, '');
    expect(main.services).toEqual({ [SKCK]: { issued: 1, served: 1 } });
    const north = await csv(cookie, '&site=kec-utara');
    expect(north.services).toEqual({ [SKCK]: { issued: 1, served: 1 }, [KIA]: { issued: 2, served: 1 } });
    expect(north.name).toContain('mpp-report-kec-utara-');
    const all = await csv(cookie, '&site=all');
    expect(all.services).toEqual({ [SKCK]: { issued: 2, served: 2 }, [KIA]: { issued: 2, served: 1 } });
    expect(all.total).toEqual({ issued: 4, served: 3 });

    // The page: the all-sites counters are never merged (loket-1 exists at both sites).
    const page = await (await fetch(`${app.url}/admin/report?site=all`, { headers: { cookie } })).text();
    expect(page).toContain('MPP Kec. Utara · Loket 1 Dukcapil');
    expect(page).toContain('MPP Kota Contoh · Loket 4 Polres (SKCK)');
    expect(page).toContain('<option value="all" selected>');
    expect(page).toContain('href="/admin/report?range=day&amp;day=2026-11-22&amp;site=all"');
  });

  it('shows an operator bound to one site that site only: no other site, no all-sites sum', async () => {
    await serve(utara, KIA, 'loket-1', 2);
    const cookie = await operator('utari', ['kec-utara']);
    const own = await fetch(`${app.url}/admin/report`, { headers: { cookie } });
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain(utara.mpp.name);
    expect(html).not.toContain('<option value="all"');
    const mainPage = await fetch(`${app.url}/admin/report?site=main`, { headers: { cookie } });
    expect(mainPage.status).toBe(403);
    expect(await mainPage.text()).toContain('href="/admin/report?site=kec-utara"');
    expect((await fetch(`${app.url}/admin/report.csv?site=all`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${app.url}/admin/report/comments?site=main`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${app.url}/admin/report?site=nowhere`, { headers: { cookie: await operator('sari') } })).status).toBe(404);
    expect((await fetch(`${app.url}/admin/report.csv?site=nowhere`, { headers: { cookie: await operator('sari2') } })).status).toBe(400);
  });
});
