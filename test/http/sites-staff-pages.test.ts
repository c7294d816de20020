import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { BoardState } from '../../src/http/board/snapshot.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import type { StaffRole } from '../../src/staff/accounts.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';

const SKCK = 'polri-skck-baru';
let app: TestApp;
let utara: Site;

beforeAll(async () => {
  app = await startTestApp({}, new ManualClock(MONDAY_9AM));
  utara = app.sites.get('kec-utara')!;
});
afterAll(async () => {
  await app.close();
});

async function session(username: string, role: StaffRole, sites: string[] = []) {
  const account = await app.staff.store.create(username, STAFF_PASSWORD, role, [], sites);
  const s = await app.staff.sessions.create(account);
  return { cookie: `${STAFF_COOKIE}=${s.id}`, csrf: s.csrf };
}

describe('incidents and bookings pages per site', () => {
  it("declares an incident at kec-utara from its page: on kec-utara's board and list, not the main site's", async () => {
    const op = await session('op-utara', 'operator', ['kec-utara']);
    const post = (path: string, fields: Record<string, string>) => fetch(`${app.url}${path}`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, ...fields }), redirect: 'manual' });
    // The officer's own site without ?site=: the page's form posts back to kec-utara.
    const page = await (await fetch(`${app.url}/admin/incidents`, { headers: { cookie: op.cookie } })).text();
    expect(page).toContain('action="/admin/incidents?site=kec-utara"');
    const declared = await post('/admin/incidents?site=kec-utara', { scope: `service:${SKCK}`, kind: 'sistem_offline', message: 'Sistem SKCK Utara offline.', confirm: '1' });
    expect(declared.status).toBe(303);
    expect(declared.headers.get('location')).toMatch(/&site=kec-utara$/);
    expect((await utara.incidents.today()).map((i) => i.message)).toEqual(['Sistem SKCK Utara offline.']);
    expect(await app.incidents.today()).toEqual([]);
    const board = async (q: string) => ((await (await fetch(`${app.url}/board/state${q}`)).json()) as BoardState).incidents.map((i) => i.message);
    expect(await board('?site=kec-utara')).toEqual(['Sistem SKCK Utara offline.']);
    expect(await board('')).toEqual([]);
  });

  it('refuses an officer of kec-utara on the main site’s incidents and bookings (403), and an unknown site (400)', async () => {
    const op = await session('op-utara2', 'operator', ['kec-utara']);
    for (const path of ['/admin/incidents?site=main', '/staff/bookings?site=main']) {
      expect((await fetch(`${app.url}${path}`, { headers: { cookie: op.cookie } })).status, path).toBe(403);
    }
    const declare = await fetch(`${app.url}/admin/incidents?site=main`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, scope: `service:${SKCK}`, kind: 'sistem_offline', message: 'x', confirm: '1' }) });
    expect(declare.status).toBe(403);
    expect(await app.incidents.today()).toEqual([]);
    const checkIn = await fetch(`${app.url}/staff/api/bookings/check-in?site=main`, { method: 'POST', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'JT-4K7QX' }) });
    expect(checkIn.status).toBe(403);
    expect((await fetch(`${app.url}/staff/bookings?site=kec-utara`, { headers: { cookie: op.cookie } })).status).toBe(200);
    // A browser gets a page saying so, with a link to the officer's own site.
    const page = await fetch(`${app.url}/admin/incidents?site=main`, { headers: { cookie: op.cookie, accept: 'text/html' } });
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('Bukan MPP Anda');
    expect(html).toContain('href="/admin/incidents?site=kec-utara"');
    expect(html).not.toContain('href="/admin/incidents"');
    const everywhere = await session('op-all', 'operator');
    expect((await fetch(`${app.url}/staff/bookings?site=nowhere`, { headers: { cookie: everywhere.cookie } })).status).toBe(400);
    const unknown = await fetch(`${app.url}/staff/bookings?site=nowhere`, { headers: { cookie: everywhere.cookie, accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('href="/staff/bookings?site=kec-utara"');
    const north = await (await fetch(`${app.url}/staff/bookings?site=kec-utara`, { headers: { cookie: everywhere.cookie } })).text();
    expect(north).toContain('action="/staff/bookings/check-in?site=kec-utara"');
    expect(north).toContain(utara.mpp.name);
    // Without a session the page still sends the visitor to sign in, site or not.
    const anonymous = await fetch(`${app.url}/admin/incidents?site=kec-utara`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });

  it('refuses to sign in an account bound only to a site the content no longer has, and signs in one of a known site with it', async () => {
    await app.staff.store.create('yatim', STAFF_PASSWORD, 'counter', ['loket-1'], ['gone-site']);
    await app.staff.store.create('utari', STAFF_PASSWORD, 'counter', ['loket-1'], ['gone-site', 'kec-utara']);
    const signIn = async (username: string) => {
      const form = await fetch(`${app.url}/login`);
      const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const cookie = form.headers.getSetCookie().find((h) => h.startsWith('mpp_login_csrf='))!.split(';')[0]!;
      return fetch(`${app.url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie }, body: new URLSearchParams({ username, password: STAFF_PASSWORD, _csrf: token, next: '' }) });
    };
    const refused = await signIn('yatim');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('MPP yang sudah tidak ada');
    expect(refused.headers.getSetCookie().some((h) => h.startsWith(`${STAFF_COOKIE}=`))).toBe(false);
    const ok = await signIn('utari');
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((h) => h.startsWith(`${STAFF_COOKIE}=`))!.split(';')[0]!;
    // The session keeps the site that exists: the console opens at kec-utara.
    expect((await fetch(`${app.url}/counter`, { headers: { cookie }, redirect: 'manual' })).headers.get('location')).toBe('/counter/loket-1?site=kec-utara');
  });

  it("lets an officer mark pickups of their own site's counters only: loket-3 at kec-utara is not the main site's passport counter", async () => {
    const { ticket } = await app.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: { channel: 'telegram', userKey: 'paspor-1' }, source: 'chat' });
    await app.queue.callNext('loket-3');
    const pickup = (await app.pickups.recordDone(await app.queue.act(ticket.id, 'done')))!;
    const mark = (who: { cookie: string; csrf: string }, site: string) =>
      fetch(`${app.url}/pickup?site=${site}`, { method: 'POST', redirect: 'manual', headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: who.csrf, reference: pickup.reference, action: 'ready' }).toString() });
    const bound = await app.staff.store.create('samsat-utara', STAFF_PASSWORD, 'counter', ['loket-3'], ['kec-utara']);
    const s = await app.staff.sessions.create(bound);
    const officer = { cookie: `${STAFF_COOKIE}=${s.id}`, csrf: s.csrf };
    expect((await mark(officer, 'kec-utara')).status).toBe(403);
    expect((await mark(officer, 'main')).status).toBe(403);
    expect((await app.pickups.find(pickup.reference))?.status).toBe(pickup.status);
    const page = await (await fetch(`${app.url}/pickup`, { headers: { cookie: officer.cookie } })).text();
    expect(page).toContain('action="/pickup?site=kec-utara"');
    // The main site's passport officer (an account of every site) marks it, and stays on the main site's page.
    const mainAccount = await app.staff.store.create('paspor-kota', STAFF_PASSWORD, 'counter', ['loket-3']);
    const m = await app.staff.sessions.create(mainAccount);
    const marked = await mark({ cookie: `${STAFF_COOKIE}=${m.id}`, csrf: m.csrf }, 'main');
    expect(marked.status).toBe(303);
    expect(marked.headers.get('location')).toMatch(/^\/pickup\?done=ready&ref=[^&]+&told=1$/);
  });
});
