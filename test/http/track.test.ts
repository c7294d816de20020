import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { TrackingCodes, TRACKING_MARGIN_MS, isTrackingCode } from '../../src/tracking/codes.js';
import { TrackingKeys } from '../../src/tracking/keys.js';
import { MONDAY_9AM, startTestApp, testPrefix, testRedis, type TestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
let app: TestApp;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN, SSE_STREAMS_PER_ADDRESS: '2' }, clock);
});
afterAll(() => app.close());

const api = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(app.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as { ticket: { id: string; number: string }; trackUrl: string } };
};

/** Reads Server-Sent Events frames from a response until `until` matches one (or the stream ends). */
async function readFrames(res: Response, until: (event: string, data: Record<string, unknown>) => boolean): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Array<{ event: string; data: Record<string, unknown> }> = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return frames;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      frames.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      if (until(event, frames.at(-1)!.data)) {
        await reader.cancel();
        return frames;
      }
    }
  }
}

describe('trackUrl on POST /api/tickets', () => {
  it('gives a tracking path with a 128-bit URL-safe code on 201, and the same path on an idempotent 200', async () => {
    const first = await api('/api/tickets', { serviceId: 'djp-npwp' }, { 'idempotency-key': 'track-1' });
    expect(first.status).toBe(201);
    expect(first.body.trackUrl).toMatch(/^\/t\/[A-Za-z0-9_-]{22}$/);
    const again = await api('/api/tickets', { serviceId: 'djp-npwp' }, { 'idempotency-key': 'track-1' });
    expect(again.status).toBe(200);
    expect(again.body.ticket.id).toBe(first.body.ticket.id);
    expect(again.body.trackUrl).toBe(first.body.trackUrl);
    const other = await api('/api/tickets', { serviceId: 'djp-npwp' });
    expect(other.body.trackUrl).not.toBe(first.body.trackUrl);
  });

  it('keeps the code until the end of the ticket\'s day (MPP time) plus the margin, and not longer', async () => {
    const { body } = await api('/api/tickets', { serviceId: 'djp-efin' });
    const code = body.trackUrl.slice(3);
    const ttl = await testRedis().pttl(new TrackingKeys(app.config.REDIS_PREFIX).code(code));
    // Monday 09:00 WIB; the day ends at 24:00 WIB = 17:00Z; plus 6 h.
    const expected = Date.parse('2026-11-23T17:00:00Z') + TRACKING_MARGIN_MS - MONDAY_9AM.getTime();
    expect(ttl).toBeGreaterThan(expected - 10_000);
    expect(ttl).toBeLessThanOrEqual(expected);
  });
});

describe('the public tracking page', () => {
  it('shows number, service, status, position and ETA, and nothing about the person', async () => {
    const citizen = 'kiosk-person-6281234567890';
    const { body } = await api('/api/tickets', { serviceId: 'polri-sim-perpanjangan', citizen });
    const stateRes = await fetch(`${app.url}${body.trackUrl}/state`);
    expect(stateRes.status).toBe(200);
    const stateText = await stateRes.text();
    const state = JSON.parse(stateText) as Record<string, unknown>;
    expect(state).toMatchObject({ number: body.ticket.number, service: 'Perpanjangan SIM A dan C', status: 'waiting', position: 1, counter: null, today: true });
    expect(Object.keys(state).sort()).toEqual(['counter', 'counterName', 'day', 'etaMinutes', 'number', 'position', 'service', 'status', 'today']);
    const page = await fetch(app.url + body.trackUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(body.ticket.number);
    expect(html).toContain('Mal Pelayanan Publik');
    for (const text of [stateText, html]) {
      expect(text).not.toContain(body.ticket.id);
      expect(text).not.toContain(citizen);
      expect(text).not.toContain('6281234567890');
      expect(text).not.toMatch(/"(channel|subject|to|question|checklist)"/);
    }
  });

  it('answers a friendly Indonesian 404 page for malformed, unknown and expired codes', async () => {
    const { body } = await api('/api/tickets', { serviceId: 'djp-efin' });
    const code = body.trackUrl.slice(3);
    await testRedis().pexpire(new TrackingKeys(app.config.REDIS_PREFIX).code(code), 1);
    await new Promise((r) => setTimeout(r, 20));
    for (const bad of ['abc', 'A'.repeat(22), `${code}x`, '%3Cscript%3Ealert(1)%3C%2Fscript%3E', code]) {
      const res = await fetch(`${app.url}/t/${bad}`);
      expect(res.status, bad).toBe(404);
      const html = await res.text();
      expect(html).toContain('Nomor tidak ditemukan');
      expect(html).not.toContain('<script>alert');
      expect((await fetch(`${app.url}/t/${bad}/state`)).status).toBe(404);
      expect((await fetch(`${app.url}/t/${bad}/qr.svg`)).status).toBe(404);
      expect((await fetch(`${app.url}/t/${bad}/events`)).status).toBe(404);
    }
    expect(await (await fetch(`${app.url}/t/abc/state`)).json()).toMatchObject({ error: { code: 'unknown_ticket' } });
  });

  it('streams the position live and then the counter when the ticket is called', async () => {
    const mine = await api('/api/tickets', { serviceId: 'polri-skck-baru' });
    const before = await api('/api/tickets', { serviceId: 'polri-skck-perpanjangan' });
    expect(before.status).toBe(201);
    const res = await fetch(`${app.url}${mine.body.trackUrl}/events`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reading = readFrames(res, (event, data) => event === 'state' && data.status === 'called');
    await expect.poll(() => app.track.openStreams).toBe(1);
    expect((await api('/api/counters/loket-4/call-next')).body.ticket.id).toBe(mine.body.ticket.id);
    const frames = await reading;
    expect(frames[0]).toMatchObject({ event: 'state', data: { status: 'waiting', position: 1 } });
    expect(frames.at(-1)).toMatchObject({ event: 'state', data: { status: 'called', counter: 'loket-4', counterName: 'Loket 4 Polres (SKCK)', number: mine.body.ticket.number } });
    await expect.poll(() => app.track.openStreams).toBe(0);
  });

  it('moves a waiting ticket\'s position when the one ahead is called', async () => {
    const first = await api('/api/tickets', { serviceId: 'taspen-klaim' });
    const second = await api('/api/tickets', { serviceId: 'taspen-klaim' });
    expect(first.status).toBe(201);
    const res = await fetch(`${app.url}${second.body.trackUrl}/events`);
    const reading = readFrames(res, (event, data) => event === 'state' && data.position === 1);
    await expect.poll(() => app.track.openStreams).toBe(1);
    await api('/api/counters/loket-10/call-next');
    const frames = await reading;
    expect(frames[0]!.data.position).toBe(2);
    expect(frames.at(-1)!.data).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('tells a waiting ticket live when every counter of its service goes on a break or closes, and when one opens again', async () => {
    // BPJS Ketenagakerjaan has one counter (loket-9).
    const mine = await api('/api/tickets', { serviceId: 'bpjs-tk-klaim-jht' });
    expect(mine.status).toBe(201);
    const res = await fetch(`${app.url}${mine.body.trackUrl}/events`);
    const states: Array<Record<string, unknown>> = [];
    // Ends at the first state without a pause after one with it (a late push of the take may come first).
    const reading = readFrames(res, (event, data) => event === 'state' && states.push(data) > 0 && data.paused === undefined && states.some((x) => x.paused));
    await expect.poll(() => app.track.openStreams).toBe(1);
    // The first state (read before any pause) must have arrived: on a loaded machine it can come
    // after the break below was set, and then rightly carries it.
    await expect.poll(() => states.length).toBeGreaterThan(0);
    await app.queue.setCounterStatus('loket-9', 'break');
    await expect.poll(() => states.at(-1)?.paused, { timeout: 3000 }).toBe('break');
    await app.queue.setCounterStatus('loket-9', 'closed');
    await expect.poll(() => states.at(-1)?.paused, { timeout: 3000 }).toBe('closed');
    expect(await (await fetch(`${app.url}${mine.body.trackUrl}/state`)).json()).toMatchObject({ status: 'waiting', position: 1, paused: 'closed' });
    await app.queue.setCounterStatus('loket-9', 'open');
    const frames = await reading;
    expect(frames[0]!.data.paused).toBeUndefined();
    expect(frames.at(-1)!.data).toMatchObject({ status: 'waiting', position: 1 });
  });

  it('caps open tracking streams per address', async () => {
    const { body } = await api('/api/tickets', { serviceId: 'djp-npwp' });
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => fetch(`${app.url}${body.trackUrl}/events`, { signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    await expect.poll(() => app.track.openStreams).toBe(2);
    const third = await fetch(`${app.url}${body.trackUrl}/events`);
    expect(third.status).toBe(429);
    for (const c of controllers) c.abort();
    await expect.poll(() => app.track.openStreams).toBe(0);
    expect((await fetch(`${app.url}${body.trackUrl}/events`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status).toBe(200);
  });

  it('serves a QR code (SVG) of the absolute tracking URL', async () => {
    const { body } = await api('/api/tickets', { serviceId: 'djp-npwp' });
    const res = await fetch(`${app.url}${body.trackUrl}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await res.text()).toMatch(/^<svg[\s\S]*<path/);
  });
});

describe('tracking codes', () => {
  it('are 22 URL-safe characters, one per ticket, and resolve only while they live', async () => {
    const redis = testRedis();
    const codes = new TrackingCodes(redis, testPrefix(), clock, 'Asia/Jakarta');
    const [a, b] = await Promise.all([codes.issue('tk0000000000000001', '2026-11-23'), codes.issue('tk0000000000000001', '2026-11-23')]);
    expect(a).toBe(b);
    expect(isTrackingCode(a)).toBe(true);
    expect(await codes.resolve(a)).toBe('tk0000000000000001');
    expect(await codes.resolve('not a code')).toBeUndefined();
    expect(codes.expiresAt('2026-11-23').toISOString()).toBe('2026-11-23T23:00:00.000Z');
    expect(new TrackingCodes(redis, 'x', clock, 'Asia/Makassar').expiresAt('2026-11-23').toISOString()).toBe('2026-11-23T22:00:00.000Z');
  });
});
