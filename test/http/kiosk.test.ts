import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { KIOSK_COOKIE } from '../../src/http/kiosk/device.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';

const KIOSK_TOKEN = 'kiosk-token-0123456789abcdefghij';
let app: TestApp;
let off: TestApp;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  [app, off] = await Promise.all([startTestApp({ MPP_KIOSK_TOKEN: KIOSK_TOKEN, KIOSK_TICKETS_PER_MINUTE: '12', PUBLIC_URL: 'https://antrean.mpp.example.go.id/' }, clock), startTestApp({})]);
});
afterAll(async () => {
  await Promise.all([app.close(), off.close()]);
});

async function enrol(target = app, token = KIOSK_TOKEN): Promise<{ status: number; cookie?: string; html: string }> {
  const res = await fetch(`${target.url}/kiosk/enrol`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
  const set = res.headers.get('set-cookie') ?? undefined;
  return { status: res.status, html: await res.text(), ...(set ? { cookie: set.split(';')[0]! } : {}) };
}

interface KioskAnswer {
  ticket: { number: string; service: string; agency: string; counters: string[]; status: string; priority: boolean; position: number; etaMinutes: number; issuedAt: string };
  trackUrl: string;
  trackLink: string;
  qr: string;
  error: { code: string; details?: { nextOpen?: string } };
}

async function take(cookie: string | undefined, body: unknown, contentType = 'application/json') {
  const res = await fetch(`${app.url}/kiosk/tickets`, { method: 'POST', headers: { 'content-type': contentType, ...(cookie ? { cookie } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as KioskAnswer };
}

describe('kiosk authorisation', () => {
  it('is off without MPP_KIOSK_TOKEN: the page says so and no ticket can be taken', async () => {
    const page = await fetch(`${off.url}/kiosk`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Anjungan tidak aktif');
    expect((await enrol(off)).status).toBe(404);
    const res = await fetch(`${off.url}/kiosk/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 'djp-npwp', key: 'aaaaaaaaaaaa' }) });
    expect(res.status).toBe(401);
  });

  it('asks a new device for the kiosk token, refuses a wrong one, and enrols with the right one', async () => {
    const page = await fetch(`${app.url}/kiosk`);
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('Token anjungan');
    expect(html).not.toContain('kiosk-data');
    const wrong = await enrol(app, 'not-the-token');
    expect(wrong).toMatchObject({ status: 401 });
    expect(wrong.cookie).toBeUndefined();
    expect(wrong.html).toContain('Token salah');
    const right = await enrol();
    expect(right.status).toBe(303);
    expect(right.cookie).toMatch(new RegExp(`^${KIOSK_COOKIE}=`));
    const enrolled = await fetch(`${app.url}/kiosk`, { headers: { cookie: right.cookie! } });
    expect(enrolled.status).toBe(200);
    const kiosk = await enrolled.text();
    expect(kiosk).toContain('kiosk-data');
    expect(kiosk).toContain('Ambil nomor');
    expect(kiosk).not.toContain(KIOSK_TOKEN);
  });

  it('refuses tickets without the enrolment cookie, with a forged one, and from a form post', async () => {
    const { cookie } = await enrol();
    expect((await take(undefined, { serviceId: 'djp-npwp', key: 'aaaaaaaaaaaa' })).status).toBe(401);
    expect((await take(`${KIOSK_COOKIE}=forged-value`, { serviceId: 'djp-npwp', key: 'aaaaaaaaaaaa' })).status).toBe(401);
    expect((await take(cookie, 'serviceId=djp-npwp&key=aaaaaaaaaaaa', 'application/x-www-form-urlencoded')).status).toBe(415);
    // The API's bearer token is not a kiosk cookie either.
    expect((await take(`${KIOSK_COOKIE}=${KIOSK_TOKEN}`, { serviceId: 'djp-npwp', key: 'aaaaaaaaaaaa' })).status).toBe(401);
  });
});

describe('kiosk tickets', () => {
  it('issues a kiosk ticket with service, counter, time, position, QR and tracking link; a retry gets the same one', async () => {
    const { cookie } = await enrol();
    const first = await take(cookie, { serviceId: 'polri-skck-baru', key: 'tap-000000000001', ready: [0, 2, 99] });
    expect(first.status).toBe(201);
    expect(first.body.ticket).toMatchObject({ number: 'C-001', service: 'SKCK baru', counters: ['Loket 4 Polres (SKCK)'], status: 'waiting', position: 1, issuedAt: '23 November 2026 pukul 09.00' });
    expect(first.body.trackUrl).toMatch(/^\/t\/[A-Za-z0-9_-]{22}$/);
    // The address phones reach (PUBLIC_URL), not the kiosk's own view of the server.
    expect(first.body.trackLink).toBe(`https://antrean.mpp.example.go.id${first.body.trackUrl}`);
    expect(first.body.qr).toBe(`${first.body.trackUrl}/qr.svg`);
    // A retry with the same key gets the same ticket, and the service it is for even when the
    // retry names another one (so the printout never shows a service the ticket is not in).
    const retry = await take(cookie, { serviceId: 'polri-skck-perpanjangan', key: 'tap-000000000001' });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ ticket: { number: 'C-001', service: 'SKCK baru', counters: ['Loket 4 Polres (SKCK)'] }, trackUrl: first.body.trackUrl });
    // An anonymous ticket from the kiosk (nobody to notify), with what the citizen ticked.
    const waiting = await app.queue.waiting('polri-skck-baru');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ source: 'kiosk', channel: '', to: '', subject: '', checklist: { serviceId: 'polri-skck-baru', ready: [0, 2], missing: [] } });
  });

  it('puts a ticket marked priority (lansia, disabilitas, ibu hamil, balita) in the priority line', async () => {
    const { cookie } = await enrol();
    const taken = await take(cookie, { serviceId: 'bpjs-kesehatan-daftar-mandiri', key: 'tap-priority-001', priority: true });
    expect(taken).toMatchObject({ status: 201, body: { ticket: { priority: true } } });
    const waiting = await app.queue.waiting('bpjs-kesehatan-daftar-mandiri');
    expect(waiting.map((t) => [t.number, t.priority])).toEqual([[taken.body.ticket.number, true]]);
    expect(await take(cookie, { serviceId: 'djp-npwp', key: 'tap-priority-002', priority: 'yes' })).toMatchObject({ status: 400 });
  });

  it('counts against the same daily quota as chat tickets and says so when it is used up', async () => {
    const { cookie } = await enrol();
    // imigrasi-paspor-hilang-rusak: quota 10; chat tickets take most of it.
    for (let i = 0; i < 9; i++) await app.queue.take({ serviceId: 'imigrasi-paspor-hilang-rusak', citizen: { channel: 'telegram', userKey: `warga-${i}` }, source: 'chat' });
    expect((await take(cookie, { serviceId: 'imigrasi-paspor-hilang-rusak', key: 'tap-quota-00001' })).status).toBe(201);
    const full = await take(cookie, { serviceId: 'imigrasi-paspor-hilang-rusak', key: 'tap-quota-00002' });
    expect(full).toMatchObject({ status: 409, body: { error: { code: 'quota_full' } } });
  });

  it('says the queue is closed outside hours, with when it opens', async () => {
    const { cookie } = await enrol();
    clock.set(new Date('2026-11-29T03:00:00Z'));
    const closed = await take(cookie, { serviceId: 'djp-npwp', key: 'tap-closed-0001' });
    clock.set(MONDAY_9AM);
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'closed', details: { nextOpen: '2026-11-30T01:00:00.000Z' } } } });
  });

  it('refuses unknown services and malformed bodies', async () => {
    const { cookie } = await enrol();
    expect(await take(cookie, { serviceId: 'no-such-service', key: 'tap-unknown-001' })).toMatchObject({ status: 404, body: { error: { code: 'unknown_service' } } });
    expect(await take(cookie, { serviceId: 'djp-npwp' })).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await take(cookie, { serviceId: 'djp-npwp', key: 'short' })).toMatchObject({ status: 400 });
    expect(await take(cookie, { serviceId: 'djp-npwp', key: 'tap-extra-00001', citizen: 'x' })).toMatchObject({ status: 400 });
    expect((await take(cookie, '{"serviceId":')).status).toBe(400);
  });

  it('limits how many tickets one kiosk takes per minute', async () => {
    const { cookie } = await enrol();
    // 12 a minute in this app (earlier tests used some; a new minute may start meanwhile): never 13 in a row.
    let issued = 0;
    let limited: Awaited<ReturnType<typeof take>> | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const r = await take(cookie, { serviceId: 'djp-efin', key: `tap-rate-${String(i).padStart(6, '0')}` });
      if (r.status === 429) limited = r;
      else issued++;
    }
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(issued).toBeLessThanOrEqual(12);
  });
});
