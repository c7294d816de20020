import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import type { StaffRole } from '../../src/staff/accounts.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';

const KIA = 'dukcapil-kia';
/** Offered at the main site only. */
const PASPOR = 'imigrasi-paspor-baru';
const KIOSK_TOKEN = 'kiosk-token-0123456789abcdefghij';
let app: TestApp;
let utara: Site;

beforeAll(async () => {
  app = await startTestApp({ MPP_KIOSK_TOKEN: KIOSK_TOKEN }, new ManualClock(MONDAY_9AM));
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

  it('opens the enrolment form at /kiosk/enrol?site=, also on a kiosk enrolled at another site, so it can be moved', async () => {
    const form = await fetch(`${app.url}/kiosk/enrol?site=kec-utara`, { headers: { accept: 'text/html' } });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('action="/kiosk/enrol?site=kec-utara"');
    expect(html).toContain(utara.mpp.name);
    // A kiosk of the main site is carried to kec-utara: the technician re-enrols it there.
    const enrol = (site: string) => fetch(`${app.url}/kiosk/enrol${site}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: KIOSK_TOKEN }).toString() });
    const atMain = (await enrol('')).headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await fetch(`${app.url}/kiosk`, { headers: { cookie: atMain } })).text()).toContain(app.sites.main.mpp.name);
    const again = await fetch(`${app.url}/kiosk/enrol?site=kec-utara`, { headers: { cookie: atMain, accept: 'text/html' } });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('action="/kiosk/enrol?site=kec-utara"');
    const atNorth = (await enrol('?site=kec-utara')).headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${app.url}/kiosk`, { headers: { cookie: atNorth } })).text();
    expect(page).toContain(utara.mpp.address);
    // An unknown or malformed site: the page listing the sites, never a bare error.
    for (const bad of ['nowhere', 'KEC-UTARA', '../x', 'x'.repeat(5000)]) {
      const res = await fetch(`${app.url}/kiosk/enrol?site=${encodeURIComponent(bad)}`, { headers: { accept: 'text/html' } });
      expect(res.status, bad.slice(0, 20)).toBe(404);
      expect(await res.text()).toContain('href="/kiosk?site=kec-utara"');
    }
  });

  it("offers kec-utara's operator only kec-utara's services for an incident, and refuses a posted one it does not offer", async () => {
    const op = await session('ops.insiden', 'operator', [], ['kec-utara']);
    const page = await (await fetch(`${app.url}/admin/incidents?site=kec-utara`, { headers: { cookie: op.cookie } })).text();
    expect(page).toContain('value="service:pdam-pasang-baru"');
    expect(page).not.toContain(`value="service:${PASPOR}"`);
    expect(page).not.toContain('value="agency:imigrasi"');
    for (const scope of [`service:${PASPOR}`, 'agency:imigrasi']) {
      const form = { _csrf: op.csrf, scope, kind: 'sistem_offline', message: 'Sistem sedang gangguan.', confirm: '1' };
      const res = await fetch(`${app.url}/admin/incidents?site=kec-utara`, { method: 'POST', redirect: 'manual', headers: { cookie: op.cookie }, body: new URLSearchParams(form) });
      expect(res.status, scope).toBe(400);
    }
    expect(await utara.incidents.today()).toEqual([]);
    // The main site still offers passports: its page lists them.
    const everywhere = await session('ops.semua', 'operator');
    expect(await (await fetch(`${app.url}/admin/incidents`, { headers: { cookie: everywhere.cookie } })).text()).toContain(`value="service:${PASPOR}"`);
  });

  it("names the site on the survey comments page of a site's report, and every site on the all-sites one", async () => {
    const head = await session('kepala.k', 'admin');
    const north = await (await fetch(`${app.url}/admin/report/comments?range=day&day=2026-11-23&site=kec-utara`, { headers: { cookie: head.cookie } })).text();
    expect(north).toContain(`<span class="site">${utara.mpp.name}</span>`);
    expect(north).toContain('href="/admin/report?range=day&amp;day=2026-11-23&amp;site=kec-utara"');
    const all = await (await fetch(`${app.url}/admin/report/comments?range=day&day=2026-11-23&site=all`, { headers: { cookie: head.cookie } })).text();
    expect(all).toContain('<span class="site">Semua MPP</span>');
    // An unknown or malformed site, or one the operator does not work at: a page listing the sites to go to.
    for (const bad of ['../x', 'KEC-UTARA', 'x'.repeat(3000)]) {
      const res = await fetch(`${app.url}/admin/report/comments?site=${encodeURIComponent(bad)}`, { headers: { cookie: head.cookie, accept: 'text/html' } });
      expect(res.status, bad.slice(0, 20)).toBe(404);
      expect(await res.text()).toContain('href="/admin/report/comments?site=kec-utara"');
    }
    const op = await session('ops.komentar', 'operator', [], ['kec-utara']);
    const other = await fetch(`${app.url}/admin/report/comments?site=main`, { headers: { cookie: op.cookie, accept: 'text/html' } });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('href="/admin/report/comments?site=kec-utara"');
  });

  it("tells kec-utara's front desk that a booking code is the main site's, instead of \"not found\"", async () => {
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '09:00', { channel: 'webchat', userKey: 'wrong-mpp' });
    const op = await session('ops.janji', 'operator', [], ['kec-utara']);
    const res = await fetch(`${app.url}/staff/api/bookings/check-in?site=kec-utara`, { method: 'POST', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ code: booking.code.toLowerCase() }) });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(404);
    expect(body.error.code).toBe('unknown_booking');
    expect(body.error.message).toContain(app.sites.main.mpp.name);
    expect(body.error.message).toContain(booking.code);
    // Nothing was checked in anywhere, and a code booked nowhere is still "not found".
    expect((await app.appointments.store.get(booking.id))?.status).toBe('active');
    const none = await fetch(`${app.url}/staff/api/bookings/check-in?site=kec-utara`, { method: 'POST', headers: { cookie: op.cookie, 'x-csrf-token': op.csrf, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'JT-ZZZZZ' }) });
    expect(((await none.json()) as { error: { message: string } }).error.message).toContain('tidak ditemukan');
  });

  it("links the bookings and pickup pages of kec-utara back to kec-utara's counters, and the main site's to its own", async () => {
    const head = await session('kepala.back', 'admin');
    for (const path of ['/staff/bookings', '/pickup']) {
      const north = await (await fetch(`${app.url}${path}?site=kec-utara`, { headers: { cookie: head.cookie } })).text();
      expect(north, path).toContain('href="/counter?site=kec-utara"');
      expect(north, path).not.toContain('href="/counter"');
      const main = await (await fetch(`${app.url}${path}`, { headers: { cookie: head.cookie } })).text();
      expect(main, path).toContain('href="/counter"');
    }
  });

  it("never acts on the main site's ticket from kec-utara's console, whatever the action", async () => {
    const me = await session('utari.x', 'counter', ['loket-1'], ['kec-utara']);
    const { ticket } = await app.queue.take({ serviceId: KIA, source: 'test' });
    await app.queue.callNext('loket-1');
    const before = await app.queue.get(ticket.id);
    const attempts: Array<[string, unknown]> = [
      ['transfer', { serviceId: 'dukcapil-kk-baru' }], ['done-next', {}], ['undo-done', {}], ['note', { outcome: 'selesai', note: 'coba' }],
      ['done', {}], ['no-show', {}], ['recall', {}], ['cancel', {}], ['start', {}],
    ];
    for (const [action, body] of attempts) {
      const res = await post(me, `/counter/api/loket-1/tickets/${ticket.id}/${action}?site=kec-utara`, body);
      expect(res.status, action).toBeGreaterThanOrEqual(400);
      expect(res.status, action).toBeLessThan(500);
    }
    const after = await app.queue.get(ticket.id);
    expect(after?.status).toBe(before?.status);
    expect(after?.serviceId).toBe(KIA);
    // ?site=all is no site for a console.
    expect((await post(me, '/counter/api/loket-1/call-next?site=all', {})).body.error?.code).toBe('unknown_site');
    await app.queue.act(ticket.id, 'done');
  });

  it("heads the page of a tracking code not found with every site, not the main site's name alone", async () => {
    const res = await fetch(`${app.url}/t/${'A'.repeat(22)}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Nomor tidak ditemukan');
    expect(html).toContain('<h1>MPP Kota Contoh · MPP Kec. Utara</h1>');
    expect(html).not.toContain(app.sites.main.mpp.name);
  });

  it('refuses the counter API without the CSRF token, even for the right site', async () => {
    const me = await session('utari.c', 'counter', ['loket-1'], ['kec-utara']);
    const res = await post({ cookie: me.cookie }, '/counter/api/loket-1/call-next?site=kec-utara', {});
    expect(res.status).toBe(403);
  });
});
