import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
let app: Awaited<ReturnType<typeof startTestApp>>;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({ MPP_API_TOKEN: TOKEN }, clock);
});
afterAll(async () => {
  await app.close();
});

interface ApiTicket {
  id: string;
  number: string;
  serviceId: string;
  position: number;
  status: string;
  counter: string | null;
}
interface ApiBody {
  ticket: ApiTicket;
  error: { code: string; message: string; details?: unknown };
  services: Array<{ serviceId: string; waiting: number; quota: number; remainingQuota: number; nowServing: unknown[] }>;
}

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as ApiBody };
};

describe('queue JSON API', () => {
  it('refuses requests without the bearer token', async () => {
    const res = await fetch(`${app.url}/api/queue`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await fetch(`${app.url}/api/queue`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('POST /api/tickets issues a ticket: 201 with id, number, serviceId, position, status', async () => {
    const { status, body } = await call('POST', '/api/tickets', { serviceId: 'djp-npwp' });
    expect(status).toBe(201);
    expect(body.ticket).toMatchObject({ id: expect.any(String), number: 'D-001', serviceId: 'djp-npwp', position: 1, status: 'waiting' });
  });

  it('gives the same ticket for the same citizen (retry) and honours Idempotency-Key', async () => {
    const a = await call('POST', '/api/tickets', { serviceId: 'djp-efin', citizen: 'kiosk-citizen-1' });
    const b = await call('POST', '/api/tickets', { serviceId: 'djp-efin', citizen: 'kiosk-citizen-1' });
    expect(b.status).toBe(200);
    expect(b.body.ticket.id).toBe(a.body.ticket.id);
    const c = await call('POST', '/api/tickets', { serviceId: 'djp-efin' }, { 'idempotency-key': 'req-42' });
    const d = await call('POST', '/api/tickets', { serviceId: 'djp-efin' }, { 'idempotency-key': 'req-42' });
    expect(d.body.ticket.id).toBe(c.body.ticket.id);
  });

  it('refuses an Idempotency-Key reused with a different body: 409 idempotency_mismatch, never the first citizen\'s ticket', async () => {
    const first = await call('POST', '/api/tickets', { serviceId: 'djp-efin', citizen: 'kiosk-ani' }, { 'idempotency-key': 'kiosk-7-0001' });
    expect(first.status).toBe(201);
    const other = await call('POST', '/api/tickets', { serviceId: 'djp-efin', citizen: 'kiosk-budi' }, { 'idempotency-key': 'kiosk-7-0001' });
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_mismatch' } } });
    expect(other.body.ticket).toBeUndefined();
    const otherService = await call('POST', '/api/tickets', { serviceId: 'djp-npwp', citizen: 'kiosk-ani' }, { 'idempotency-key': 'kiosk-7-0001' });
    expect(otherService.status).toBe(409);
    // The same request again (keys in another order) is a retry: the same ticket, 200.
    const retry = await call('POST', '/api/tickets', { citizen: 'kiosk-ani', serviceId: 'djp-efin' }, { 'idempotency-key': 'kiosk-7-0001' });
    expect(retry.status).toBe(200);
    expect(retry.body.ticket.id).toBe(first.body.ticket.id);
  });

  it('answers errors with their codes: unknown_service 404, bad body 400, limit_reached 429', async () => {
    expect(await call('POST', '/api/tickets', { serviceId: 'nope' })).toMatchObject({ status: 404, body: { error: { code: 'unknown_service' } } });
    expect(await call('POST', '/api/tickets', { serviceId: 5 })).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await call('POST', '/api/tickets', { serviceId: 'djp-npwp', extra: true })).toMatchObject({ status: 400 });
    for (const s of ['dukcapil-kia', 'dukcapil-kk-baru', 'dukcapil-akta-kelahiran']) await call('POST', '/api/tickets', { serviceId: s, citizen: 'busy-person' });
    expect(await call('POST', '/api/tickets', { serviceId: 'dukcapil-akta-kematian', citizen: 'busy-person' })).toMatchObject({ status: 429, body: { error: { code: 'limit_reached' } } });
  });

  it('call-next gives 200 with the ticket, then 204 when nobody waits; actions move the ticket', async () => {
    const taken = await call('POST', '/api/tickets', { serviceId: 'polri-sim-perpanjangan' });
    const called = await call('POST', '/api/counters/loket-5/call-next');
    expect(called.status).toBe(200);
    expect(called.body.ticket).toMatchObject({ id: taken.body.ticket.id, status: 'called', counter: 'loket-5' });
    expect((await call('POST', `/api/tickets/${taken.body.ticket.id}/recall`)).body.ticket.status).toBe('called');
    expect((await call('POST', `/api/tickets/${taken.body.ticket.id}/start`)).body.ticket.status).toBe('serving');
    expect((await call('POST', `/api/tickets/${taken.body.ticket.id}/done`)).body.ticket.status).toBe('done');
    expect((await call('POST', '/api/counters/loket-5/call-next')).status).toBe(204);
    expect(await call('POST', `/api/tickets/${taken.body.ticket.id}/cancel`)).toMatchObject({ status: 409, body: { error: { code: 'illegal_transition' } } });
    expect(await call('POST', '/api/tickets/tk00000000000000/start')).toMatchObject({ status: 404, body: { error: { code: 'unknown_ticket' } } });
    expect((await call('POST', `/api/tickets/${taken.body.ticket.id}/explode`)).status).toBe(404);
    expect(await call('POST', '/api/counters/loket-404/call-next')).toMatchObject({ status: 404, body: { error: { code: 'unknown_counter' } } });
  });

  it('no-show and cancel through the API', async () => {
    const a = await call('POST', '/api/tickets', { serviceId: 'taspen-klaim' });
    await call('POST', '/api/counters/loket-10/call-next');
    expect((await call('POST', `/api/tickets/${a.body.ticket.id}/no-show`)).body.ticket.status).toBe('no-show');
    const b = await call('POST', '/api/tickets', { serviceId: 'taspen-klaim' });
    expect((await call('POST', `/api/tickets/${b.body.ticket.id}/cancel`)).body.ticket.status).toBe('cancelled');
  });

  it('GET /api/queue gives waiting count, remaining quota and now serving per service', async () => {
    await call('POST', '/api/tickets', { serviceId: 'bnn-skhpn' });
    await call('POST', '/api/tickets', { serviceId: 'bnn-skhpn' });
    await call('POST', '/api/counters/loket-15/call-next');
    const { body } = await call('GET', '/api/queue');
    const bnn = body.services.find((s) => s.serviceId === 'bnn-skhpn')!;
    expect(bnn).toMatchObject({ waiting: 1, remainingQuota: bnn.quota - 2, nowServing: [{ number: 'C-002', counter: 'loket-15', status: 'called' }] });
  });

  it('GET /api/counters lists counters with the services they serve', async () => {
    const body = (await call('GET', '/api/counters')).body as unknown as Array<{ id: string; name: string; services: string[] }>;
    expect(body).toContainEqual({ id: 'loket-4', name: 'Loket 4 Polres (SKCK)', services: ['polri-skck-baru', 'polri-skck-perpanjangan'] });
    expect(body.find((c) => c.id === 'loket-1')!.services).toContain('dukcapil-ktp-el-baru');
  });

  it('says when the MPP is closed with 409 and when it opens next', async () => {
    clock.set(new Date('2026-11-29T03:00:00Z'));
    const r = await call('POST', '/api/tickets', { serviceId: 'djp-spt-tahunan' });
    clock.set(MONDAY_9AM);
    expect(r).toMatchObject({ status: 409, body: { error: { code: 'closed', details: { nextOpen: '2026-11-30T01:00:00.000Z' } } } });
  });
});
