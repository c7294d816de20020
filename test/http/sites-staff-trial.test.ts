import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import type { StaffRole } from '../../src/staff/accounts.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';

const KIA = 'dukcapil-kia';
/** Offered at the main site only. */
const PASPOR = 'imigrasi-paspor-baru';
let app: TestApp;
let utara: Site;

beforeAll(async () => {
  app = await startTestApp({}, new ManualClock(MONDAY_9AM));
  utara = app.sites.get('kec-utara')!;
});
afterAll(async () => {
  await app.close();
});

async function session(username: string, role: StaffRole, counters: string[] = [], sites: string[] = []) {
  const account = await app.staff.store.create(username, STAFF_PASSWORD, role, counters, sites);
  const s = await app.staff.sessions.create(account);
  return { cookie: `${STAFF_COOKIE}=${s.id}`, csrf: s.csrf };
}

async function post(who: { cookie: string; csrf?: string }, path: string, body: unknown) {
  const headers: Record<string, string> = { accept: 'application/json', cookie: who.cookie, 'content-type': 'application/json', ...(who.csrf ? { 'x-csrf-token': who.csrf } : {}) };
  const res = await fetch(app.url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

describe('staff of two sites, attacked from the other side', () => {
  it("refuses to transfer a kec-utara ticket to a service kec-utara does not offer (no counter there would ever call it)", async () => {
    const me = await session('utari.t', 'counter', ['loket-1'], ['kec-utara']);
    const { ticket } = await utara.queue.take({ serviceId: KIA, source: 'test' });
    expect((await post(me, '/counter/api/loket-1/call-next?site=kec-utara', {})).status).toBe(200);
    const moved = await post(me, `/counter/api/loket-1/tickets/${ticket.id}/transfer?site=kec-utara`, { serviceId: PASPOR });
    expect(moved.status).toBeGreaterThanOrEqual(400);
    expect((await utara.queue.get(ticket.id))?.serviceId).toBe(KIA);
  });

  it("keeps the deployment's help desk figures off a one-site report: kec-utara's operator sees neither the section nor its CSV", async () => {
    const op = await session('ops.utara', 'operator', [], ['kec-utara']);
    const page = await fetch(`${app.url}/admin/report`, { headers: { cookie: op.cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(utara.mpp.name);
    expect(html).not.toContain('class="desk-report"');
    for (const path of ['/admin/report/desk.csv?day=2026-11-23', '/admin/report/desk.csv?day=2026-11-23&site=kec-utara', '/admin/report/desk.csv?day=2026-11-23&site=all', '/admin/report/desk.csv?day=2026-11-23&site=main']) {
      const csv = await fetch(app.url + path, { headers: { cookie: op.cookie } });
      expect(csv.status, path).toBe(403);
    }
    // Staff of every site read it on the all-sites report (its link says so) and on the main site's.
    const head = await session('kepala.t', 'admin');
    const all = await (await fetch(`${app.url}/admin/report?site=all`, { headers: { cookie: head.cookie } })).text();
    expect(all).toContain('href="/admin/report/desk.csv?day=2026-11-23&amp;site=all"');
    const north = await (await fetch(`${app.url}/admin/report?site=kec-utara`, { headers: { cookie: head.cookie } })).text();
    expect(north).not.toContain('class="desk-report"');
    const csv = await fetch(`${app.url}/admin/report/desk.csv?day=2026-11-23&site=all`, { headers: { cookie: head.cookie } });
    expect(csv.status).toBe(200);
    expect((await fetch(`${app.url}/admin/report/desk.csv?day=2026-11-23&site=kec-utara`, { headers: { cookie: head.cookie } })).status).toBe(404);
  });

  it('refuses the counter API without the CSRF token, even for the right site', async () => {
    const me = await session('utari.c', 'counter', ['loket-1'], ['kec-utara']);
    const res = await post({ cookie: me.cookie }, '/counter/api/loket-1/call-next?site=kec-utara', {});
    expect(res.status).toBe(403);
  });
});
