import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { CounterState } from '../../src/http/counter/desk.js';
import { allText, MONDAY_9AM, startTestApp, staffSession, takeTicketInChat, testRedis, type TestApp } from '../helpers.js';

const SKCK = 'polri-skck-baru';
const SKCK_RENEW = 'polri-skck-perpanjangan';
let app: TestApp;
let clock: ManualClock;
let officer: { cookie: string; csrf: string };

beforeEach(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({}, clock);
  officer = await staffSession(app, 'budi', 'counter', ['loket-4']);
});
afterEach(async () => {
  await app.close();
});

type Body = { state: CounterState; called?: string | null; done?: string; ticket?: { number: string; serviceName: string; ahead: number; counters: string[]; priority: boolean }; error?: { code: string; message: string } };

async function api(method: 'GET' | 'POST', path: string, opts: { who?: { cookie: string; csrf: string }; csrf?: boolean; body?: unknown } = {}): Promise<{ status: number; body: Body }> {
  const who = opts.who ?? officer;
  const headers: Record<string, string> = { accept: 'application/json', cookie: who.cookie };
  if (method === 'POST' && opts.csrf !== false) headers['x-csrf-token'] = who.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}/counter/api/${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  return { status: res.status, body: (await res.json()) as Body };
}

const take = (n: number, serviceId = SKCK) => app.queue.take({ serviceId, citizen: { channel: 'test', userKey: `warga-${n}` }, source: 'test' }).then((r) => r.ticket);

describe('counter console: done and call next', () => {
  it('finishes the current ticket and calls the next one in one request, counting it as served here', async () => {
    const first = await take(1);
    const second = await take(2);
    await api('POST', 'loket-4/call-next');
    clock.advance(3 * 60_000);
    const res = await api('POST', `loket-4/tickets/${first.id}/done-next`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ done: first.number, called: second.number });
    expect(res.body.state.current?.number).toBe(second.number);
    expect(res.body.state.current?.calledAt).toBe(clock.now().getTime());
    expect(res.body.state.counter.servedToday).toBe(1);
    expect((await app.queue.get(first.id))?.status).toBe('done');

    // Nobody left: the ticket is still finished, and nothing is called.
    const last = await api('POST', `loket-4/tickets/${second.id}/done-next`);
    expect(last.body).toMatchObject({ done: second.number, called: null });
    expect(last.body.state.current).toBeNull();
    expect(last.body.state.counter.servedToday).toBe(2);
  });

  it('finishes the ticket at a counter gone on a break and calls nobody, answering 200 rather than an error about the Selesai', async () => {
    const first = await take(1);
    const second = await take(2);
    await api('POST', 'loket-4/call-next');
    await api('POST', 'loket-4/status', { body: { status: 'break' } });
    const res = await api('POST', `loket-4/tickets/${first.id}/done-next`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ done: first.number, called: null, state: { current: null, counter: { status: 'break', servedToday: 1 } } });
    expect((await app.queue.get(first.id))?.status).toBe('done');
    expect((await app.queue.get(second.id))?.status).toBe('waiting');
    // The Selesai can be undone like any other while nobody was called after it.
    expect((await api('POST', `loket-4/tickets/${first.id}/undo-done`)).status).toBe(200);
  });

  it('lists the waiting tickets in call order across the counter\'s services, and only services with someone waiting', async () => {
    const a = await take(1);
    const b = await take(2, SKCK_RENEW);
    const c = await app.queue.take({ serviceId: SKCK, source: 'test', priority: true });
    const d = await take(4);
    const order = (await app.queue.nextUp('loket-4', 10)).map((t) => t.number);
    const state = (await api('GET', 'loket-4/state')).body as unknown as CounterState;
    expect(state.next.map((t) => t.number)).toEqual(order);
    expect(new Set(order)).toEqual(new Set([a.number, b.number, c.ticket.number, d.number]));
    const called = await api('POST', 'loket-4/call-next');
    expect(called.body.called).toBe(order[0]);
    expect(state.waiting.map((w) => [w.serviceId, w.count])).toEqual([[SKCK, 3], [SKCK_RENEW, 1]]);
  });
});

describe('counter console: calling a ticket out of order', () => {
  it('calls the chosen ticket before the head of the line, with the reason on the ticket and in the log', async () => {
    const head = await take(1);
    const chosen = await take(2);
    const res = await api('POST', `loket-4/tickets/${chosen.id}/call`, { body: { reason: '  Lansia,  belum tercatat prioritas ' } });
    expect(res.status).toBe(200);
    expect(res.body.called).toBe(chosen.number);
    expect(res.body.state.current).toMatchObject({ id: chosen.id, status: 'called', callReason: 'Lansia, belum tercatat prioritas' });
    expect(res.body.state.next.map((t) => t.number)).toEqual([head.number]);
    expect(await app.queue.outOfOrderCalls(app.queue.today())).toEqual([
      { at: MONDAY_9AM.getTime(), counter: 'loket-4', officer: 'budi', number: chosen.number, service: SKCK, reason: 'Lansia, belum tercatat prioritas' },
    ]);
    // The citizen is told like any call: the event is a 'called' one, with the reason.
    const events = await testRedis().xrange(app.queue.eventStream, '-', '+');
    const last = events.at(-1)![1];
    expect(last.slice(0, 2)).toEqual(['type', 'called']);
    expect(last).toContain('Lansia, belum tercatat prioritas');
  });

  it('refuses without a reason, with a reason too short or carrying personal data, and keeps the ticket waiting', async () => {
    const ticket = await take(1);
    for (const body of [{}, { reason: '' }, { reason: '  ok ' }, { reason: 'Bapak dengan HP 081234567890' }, { reason: 'x'.repeat(121) }, { reason: 'ok lah', extra: 1 }]) {
      const res = await api('POST', `loket-4/tickets/${ticket.id}/call`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error?.code).toBe('bad_request');
    }
    expect((await app.queue.get(ticket.id))?.status).toBe('waiting');
    expect(await app.queue.outOfOrderCalls(app.queue.today())).toEqual([]);
  });

  it('refuses an unknown ticket, another agency\'s ticket, a ticket no longer waiting, a busy counter and a missing CSRF token', async () => {
    const reason = { reason: 'Kembali setelah melengkapi berkas' };
    expect((await api('POST', 'loket-4/tickets/tk0000000000000000/call', { body: reason })).body.error?.code).toBe('unknown_ticket');
    expect((await api('POST', 'loket-4/tickets/NOT-AN-ID/call', { body: reason })).status).toBe(404);
    const kia = await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const other = await api('POST', `loket-4/tickets/${kia.ticket.id}/call`, { body: reason });
    expect(other.status).toBe(403);
    expect((await app.queue.get(kia.ticket.id))?.status).toBe('waiting');

    const one = await take(1);
    const two = await take(2);
    expect((await api('POST', `loket-4/tickets/${two.id}/call`, { body: reason, csrf: false })).body.error?.code).toBe('csrf');
    await api('POST', `loket-4/tickets/${two.id}/call`, { body: reason });
    const busy = await api('POST', `loket-4/tickets/${one.id}/call`, { body: reason });
    expect(busy.status).toBe(409);
    expect(busy.body.error?.code).toBe('counter_busy');
    await api('POST', `loket-4/tickets/${two.id}/done`);
    const again = await api('POST', `loket-4/tickets/${two.id}/call`, { body: reason });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('illegal_transition');
  });
});

describe('counter console: two counters, one ticket', () => {
  it('gives a ticket called out of order at two counters at once to exactly one of them', async () => {
    const ticket = await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const operator = await staffSession(app, 'sari', 'operator');
    const reason = { reason: 'Janji temu jam ini' };
    const answers = await Promise.all(['loket-1', 'loket-2'].map((c) => api('POST', `${c}/tickets/${ticket.ticket.id}/call`, { who: operator, body: reason })));
    // The loser is refused by the script (409) or, when it read the ticket after the winner, as another counter's (403).
    const [won, lost] = [...answers].sort((a, b) => a.status - b.status);
    expect(won!.status).toBe(200);
    expect([403, 409]).toContain(lost!.status);
    const stored = (await app.queue.get(ticket.ticket.id))!;
    expect(stored.status).toBe('called');
    expect(answers.find((a) => a.status === 200)!.body.state.counter.id).toBe(stored.counter);
    expect(await app.queue.outOfOrderCalls(app.queue.today())).toHaveLength(1);
  });
});

describe('counter console: undo of Selesai', () => {
  it('puts a ticket finished less than 10 s ago back to serving and takes it out of the day\'s counts', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    await api('POST', `loket-4/tickets/${ticket.id}/start`);
    clock.advance(5 * 60_000);
    const before = (await app.queue.dayCounts([SKCK], app.queue.today())).get(SKCK)!;
    const done = await api('POST', `loket-4/tickets/${ticket.id}/done`);
    expect(done.body.state.counter.servedToday).toBe(1);
    expect((await app.queue.dayCounts([SKCK], app.queue.today())).get(SKCK)!.served).toBe(before.served + 1);
    clock.advance(9_000);
    const undone = await api('POST', `loket-4/tickets/${ticket.id}/undo-done`);
    expect(undone.status).toBe(200);
    expect(undone.body.state.current).toMatchObject({ id: ticket.id, status: 'serving' });
    expect(undone.body.state.counter.servedToday).toBe(0);
    expect((await app.queue.dayCounts([SKCK], app.queue.today())).get(SKCK)).toEqual(before);

    // Finished again later: counted once, with the real time at the counter.
    clock.advance(60_000);
    await api('POST', `loket-4/tickets/${ticket.id}/done`);
    const after = (await app.queue.dayCounts([SKCK], app.queue.today())).get(SKCK)!;
    expect(after.served).toBe(1);
    expect(after.serviceMs).toBe(5 * 60_000 + 9_000 + 60_000);
  });

  it('refuses after 10 s with a clear error, and when the counter has called someone since', async () => {
    const first = await take(1);
    const second = await take(2);
    await api('POST', 'loket-4/call-next');
    await api('POST', `loket-4/tickets/${first.id}/done`);
    clock.advance(10_001);
    const late = await api('POST', `loket-4/tickets/${first.id}/undo-done`);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('undo_expired');
    expect((await app.queue.get(first.id))?.status).toBe('done');

    await api('POST', 'loket-4/call-next');
    await api('POST', `loket-4/tickets/${second.id}/done`);
    const third = await take(3);
    await api('POST', 'loket-4/call-next');
    const busy = await api('POST', `loket-4/tickets/${second.id}/undo-done`);
    expect(busy.body.error?.code).toBe('counter_busy');
    expect((await app.queue.get(third.id))?.status).toBe('called');
  });

  it('refuses to undo a ticket that is not done or was finished at another counter', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    expect((await api('POST', `loket-4/tickets/${ticket.id}/undo-done`)).body.error?.code).toBe('illegal_transition');
    const kia = await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const operator = await staffSession(app, 'sari', 'operator');
    await api('POST', 'loket-1/call-next', { who: operator });
    await api('POST', `loket-1/tickets/${kia.ticket.id}/done`, { who: operator });
    const elsewhere = await api('POST', `loket-2/tickets/${kia.ticket.id}/undo-done`, { who: operator });
    expect(elsewhere.status).toBe(403);
    expect((await app.queue.get(kia.ticket.id))?.status).toBe('done');
  });
});

describe('counter console: counter status', () => {
  it('a counter on break calls no one, shows its status on the board, and its services\' ETAs say every counter is paused', async () => {
    const ticket = await take(1);
    const res = await api('POST', 'loket-4/status', { body: { status: 'break' } });
    expect(res.body.state.counter).toMatchObject({ status: 'break', statusSince: MONDAY_9AM.getTime() });
    const refused = await api('POST', 'loket-4/call-next');
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('counter_not_open');
    expect((await api('POST', `loket-4/tickets/${ticket.id}/call`, { body: { reason: 'Janji temu jam ini' } })).body.error?.code).toBe('counter_not_open');
    expect((await app.queue.get(ticket.id))?.status).toBe('waiting');

    const board = (await (await fetch(`${app.url}/board/state`)).json()) as { counters: Array<{ counter: string; status: string; statusSince: number }> };
    expect(board.counters.find((c) => c.counter === 'loket-4')).toMatchObject({ status: 'break', statusSince: MONDAY_9AM.getTime() });
    expect(board.counters.find((c) => c.counter === 'loket-1')).toMatchObject({ status: 'open', statusSince: 0 });
    expect((await app.queue.view(ticket)).servingPaused).toBe('break');

    await api('POST', 'loket-4/status', { body: { status: 'open' } });
    expect((await app.queue.view(ticket)).servingPaused).toBeUndefined();
    expect((await api('POST', 'loket-4/call-next')).body.called).toBe(ticket.number);
  });

  it('counts only open counters as capacity in the wait estimate', async () => {
    for (let n = 0; n < 6; n++) await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const [last] = (await app.queue.nextInLine('dukcapil-kia', 10)).slice(-1);
    const both = last!.etaMinutes;
    const operator = await staffSession(app, 'sari', 'operator');
    await api('POST', 'loket-2/status', { who: operator, body: { status: 'closed' } });
    const one = (await app.queue.view(last!)).etaMinutes;
    expect(one).toBeGreaterThan(both);
    expect((await app.queue.view(last!)).servingPaused).toBeUndefined();
    await api('POST', 'loket-1/status', { who: operator, body: { status: 'closed' } });
    expect((await app.queue.view(last!)).servingPaused).toBe('closed');
  });

  it('tells a citizen taking a ticket in the chat that every counter of the service is closed', async () => {
    await api('POST', 'loket-4/status', { body: { status: 'closed' } });
    const closed = allText(await takeTicketInChat(app.engine, { channel: 'test', userKey: 'warga-chat' }, 'mau bikin skck baru'));
    expect(closed).toContain(app.translator.t('id', 'ticket.card_paused_closed'));
    await api('POST', 'loket-4/status', { body: { status: 'open' } });
    const open = allText(await takeTicketInChat(app.engine, { channel: 'test', userKey: 'warga-chat-2' }, 'mau bikin skck baru'));
    expect(open).toContain('SKCK');
    expect(open).not.toContain(app.translator.t('id', 'ticket.card_paused_closed'));
  });

  it('pushes a fresh board snapshot to open screens when a counter goes on break', async () => {
    const controller = new AbortController();
    const res = await fetch(`${app.url}/board/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const snapshots: Array<{ counters: Array<{ counter: string; status: string }> }> = [];
    let buffer = '';
    let asked = false;
    try {
      while (!snapshots.some((b) => b.counters.find((c) => c.counter === 'loket-4')?.status === 'break')) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: snapshot\ndata: (.+)$/m.exec(frame)?.[1];
          if (data) snapshots.push(JSON.parse(data) as (typeof snapshots)[number]);
        }
        if (snapshots.length > 0 && !asked) {
          asked = true;
          await api('POST', 'loket-4/status', { body: { status: 'break' } });
        }
      }
    } finally {
      controller.abort();
    }
    expect(snapshots[0]!.counters.find((c) => c.counter === 'loket-4')?.status).toBe('open');
    expect(snapshots.at(-1)!.counters.find((c) => c.counter === 'loket-4')?.status).toBe('break');
  });

  it('refuses an unknown status and another officer\'s counter', async () => {
    expect((await api('POST', 'loket-4/status', { body: { status: 'lunch' } })).body.error?.code).toBe('bad_request');
    expect((await api('POST', 'loket-1/status', { body: { status: 'break' } })).status).toBe(403);
    expect((await app.queue.counterStatus('loket-1')).status).toBe('open');
  });
});

describe('counter console: outcome and note', () => {
  it('stores a short outcome and note with the ticket, and refuses personal data or bad values', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    const saved = await api('POST', `loket-4/tickets/${ticket.id}/note`, { body: { outcome: 'incomplete', note: 'Kurang surat pengantar RT' } });
    expect(saved.body.state.current).toMatchObject({ outcome: 'incomplete', note: 'Kurang surat pengantar RT' });
    for (const body of [{ outcome: 'great' }, { note: 'NIK 3201234567890001' }, { note: 'email budi@contoh.id' }, { note: 'x'.repeat(141) }]) {
      const res = await api('POST', `loket-4/tickets/${ticket.id}/note`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await app.queue.get(ticket.id)).toMatchObject({ outcome: 'incomplete', note: 'Kurang surat pengantar RT' });
  });
});

describe('counter console: walk-in tickets', () => {
  it('issues an anonymous counter ticket in the same line, once per request id', async () => {
    const waiting = await take(1);
    const res = await api('POST', 'loket-4/walk-in', { body: { serviceId: SKCK, requestId: 'walkin-0001' } });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatchObject({ serviceName: 'SKCK baru', ahead: 1, counters: ['Loket 4 Polres (SKCK)'], priority: false });
    const again = await api('POST', 'loket-4/walk-in', { body: { serviceId: SKCK, requestId: 'walkin-0001' } });
    expect(again.body.ticket?.number).toBe(res.body.ticket?.number);
    expect(res.body.state.next.map((t) => t.number)).toEqual([waiting.number, res.body.ticket!.number]);
    const stored = (await app.queue.waiting(SKCK)).find((t) => t.number === res.body.ticket!.number)!;
    expect(stored).toMatchObject({ source: 'counter', subject: '', to: '' });
  });

  it('keeps to the daily quota and refuses an unknown service or a bad body', async () => {
    const service = 'imigrasi-paspor-hilang-rusak';
    const quota = app.catalogue.services.get(service)!.daily_quota;
    for (let n = 0; n < quota; n++) await app.queue.take({ serviceId: service, source: 'test' });
    const full = await api('POST', 'loket-4/walk-in', { body: { serviceId: service } });
    expect(full.status).toBe(409);
    expect(full.body.error?.code).toBe('quota_full');
    expect((await api('POST', 'loket-4/walk-in', { body: { serviceId: 'nope' } })).body.error?.code).toBe('unknown_service');
    expect((await api('POST', 'loket-4/walk-in', { body: { serviceId: SKCK, priority: 'yes' } })).status).toBe(400);
    expect((await api('POST', 'loket-4/walk-in', { body: { serviceId: SKCK }, csrf: false })).body.error?.code).toBe('csrf');
  });
});
