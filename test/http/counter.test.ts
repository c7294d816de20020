import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterState } from '../../src/http/counter/desk.js';
import { leafKeys, startTestApp, staffSession, type TestApp } from '../helpers.js';

const SKCK = 'polri-skck-baru';
let app: TestApp;
let officer: { cookie: string; csrf: string };

beforeEach(async () => {
  app = await startTestApp();
  officer = await staffSession(app, 'budi', 'counter', ['loket-4']);
});
afterEach(async () => {
  await app.close();
});

interface Answer {
  status: number;
  body: { state: CounterState; called?: string | null; error?: { code: string } } & Partial<CounterState>;
}

async function api(method: 'GET' | 'POST', path: string, opts: { who?: { cookie: string; csrf: string } | null; csrf?: boolean; body?: unknown } = {}): Promise<Answer> {
  const who = opts.who === undefined ? officer : opts.who;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (who) headers.cookie = who.cookie;
  if (who && method === 'POST' && opts.csrf !== false) headers['x-csrf-token'] = who.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}/counter/api/${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const take = (n: number, extra: Partial<Parameters<TestApp['queue']['take']>[0]> = {}) =>
  app.queue.take({ serviceId: SKCK, citizen: { channel: 'test', userKey: `warga-${n}` }, source: 'test', ...extra }).then((r) => r.ticket);

describe('counter console: access', () => {
  it('sends a visitor without a session to the login page, and answers JSON calls with 401', async () => {
    const page = await fetch(`${app.url}/counter`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fcounter');
    const state = await api('GET', 'loket-4/state', { who: null });
    expect(state.status).toBe(401);
    expect(state.body.error?.code).toBe('unauthorized');
    expect((await api('POST', 'loket-4/call-next', { who: null })).status).toBe(401);
  });

  it('keeps an officer of loket-4 out of loket-1, its state and its calls', async () => {
    await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const state = await api('GET', 'loket-1/state');
    expect(state.status).toBe(403);
    expect(state.body.error?.code).toBe('forbidden');
    const call = await api('POST', 'loket-1/call-next');
    expect(call.status).toBe(403);
    expect(call.body.error?.code).toBe('forbidden');
    expect((await app.queue.snapshot()).counters.find((c) => c.id === 'loket-1')?.current).toBeUndefined();
    const page = await fetch(`${app.url}/counter/loket-1`, { headers: { cookie: officer.cookie } });
    expect(page.status).toBe(403);
  });

  it('refuses a POST without the session CSRF token', async () => {
    await take(1);
    const res = await api('POST', 'loket-4/call-next', { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.error?.code).toBe('csrf');
    const wrong = await api('POST', 'loket-4/call-next', { who: { ...officer, csrf: 'x'.repeat(43) } });
    expect(wrong.body.error?.code).toBe('csrf');
  });

  it('opens the only counter of an officer at once, and lets an operator choose among all', async () => {
    const res = await fetch(`${app.url}/counter`, { headers: { cookie: officer.cookie }, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/counter/loket-4');
    const operator = await staffSession(app, 'sari', 'operator');
    const pick = await (await fetch(`${app.url}/counter`, { headers: { cookie: operator.cookie } })).text();
    expect(pick.match(/class="pick"/g)?.length).toBe(app.catalogue.mpp.counters.length);
    expect(pick).toContain('href="/counter/loket-22"');
  });

  it('serves the console page with the session token and no unfilled words', async () => {
    const res = await fetch(`${app.url}/counter/loket-4`, { headers: { cookie: officer.cookie } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('Loket 4 Polres (SKCK)');
    expect(html).toContain('Panggil berikutnya');
    expect(html).toContain(officer.csrf);
    expect(html).toContain('<option value="dukcapil-kia">');
    expect(html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '')).not.toContain('{{');
  });
});

describe('counter console: serving', () => {
  it('calls the next ticket and shows its checklist as confirmed and the question asked', async () => {
    const ticket = await take(1, { checklist: { ready: [0, 1], missing: [3] }, question: 'Apakah pas foto boleh latar biru?' });
    await take(2, { priority: true });
    const res = await api('POST', 'loket-4/call-next');
    expect(res.status).toBe(200);
    expect(res.body.called).toBe(ticket.number);
    const current = res.body.state.current!;
    const requirements = app.catalogue.services.get(SKCK)!.requirements;
    expect(current).toMatchObject({ id: ticket.id, number: ticket.number, serviceName: 'SKCK baru', status: 'called', priority: false, question: 'Apakah pas foto boleh latar biru?' });
    expect(current.checklist).toHaveLength(requirements.length);
    expect(current.checklist![0]).toEqual({ text: requirements[0]!.id, state: 'ready' });
    expect(current.checklist![3]).toEqual({ text: requirements[3]!.id, state: 'missing' });
    expect(current.checklist![2]!.state).toBe('unconfirmed');
    // Services nobody waits for are left out; the list is in call order.
    expect(res.body.state.waiting).toEqual([{ serviceId: 'polri-skck-baru', serviceName: 'SKCK baru', count: 1 }]);
    expect(res.body.state.next.map((t) => [t.number, t.priority])).toEqual([['C-002', true]]);
    const state = await api('GET', 'loket-4/state');
    expect(state.body.current?.number).toBe(ticket.number);
    const empty = await api('POST', 'loket-4/call-next');
    expect(empty.status).toBe(409);
    expect(empty.body.error?.code).toBe('counter_busy');
  });

  it('recalls, starts and finishes a ticket, then refuses an action its state does not allow', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    const recalled = await api('POST', `loket-4/tickets/${ticket.id}/recall`);
    expect(recalled.body.state.current).toMatchObject({ status: 'called', recalls: 1 });
    const started = await api('POST', `loket-4/tickets/${ticket.id}/start`);
    expect(started.body.state.current?.status).toBe('serving');
    const illegal = await api('POST', `loket-4/tickets/${ticket.id}/recall`);
    expect(illegal.status).toBe(409);
    expect(illegal.body.error?.code).toBe('illegal_transition');
    const done = await api('POST', `loket-4/tickets/${ticket.id}/done`);
    expect(done.status).toBe(200);
    expect(done.body.state.current).toBeNull();
    expect((await app.queue.get(ticket.id))?.status).toBe('done');
    expect((await api('POST', `loket-4/tickets/${ticket.id}/start`)).body.error?.code).toBe('illegal_transition');
  });

  it('marks a no-show and cancels a ticket', async () => {
    const first = await take(1);
    const second = await take(2);
    await api('POST', 'loket-4/call-next');
    expect((await api('POST', `loket-4/tickets/${first.id}/no-show`)).body.state.current).toBeNull();
    expect((await app.queue.get(first.id))?.status).toBe('no-show');
    await api('POST', 'loket-4/call-next');
    expect((await api('POST', `loket-4/tickets/${second.id}/cancel`)).status).toBe(200);
    expect((await app.queue.get(second.id))?.status).toBe('cancelled');
    expect((await api('POST', `loket-4/tickets/${second.id}/fly`)).status).toBe(404);
  });

  it('transfers a ticket to another service, after which this counter no longer sees it', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    expect((await api('POST', `loket-4/tickets/${ticket.id}/transfer`, { body: { serviceId: 'nope' } })).body.error?.code).toBe('unknown_service');
    const moved = await api('POST', `loket-4/tickets/${ticket.id}/transfer`, { body: { serviceId: 'dukcapil-kk-perubahan' } });
    expect(moved.status).toBe(200);
    expect(moved.body.state.current).toBeNull();
    expect(await app.queue.get(ticket.id)).toMatchObject({ status: 'waiting', serviceId: 'dukcapil-kk-perubahan', transferredFrom: SKCK });
    const after = await api('POST', `loket-4/tickets/${ticket.id}/cancel`);
    expect(after.status).toBe(403);
    expect(after.body.error?.code).toBe('forbidden');
  });

  it('moves a ticket within its own services and keeps it visible', async () => {
    const ticket = await take(1);
    await api('POST', 'loket-4/call-next');
    const moved = await api('POST', `loket-4/tickets/${ticket.id}/transfer`, { body: { serviceId: 'polri-skck-perpanjangan' } });
    expect(moved.body.state.waiting).toEqual([{ serviceId: 'polri-skck-perpanjangan', serviceName: 'Perpanjangan SKCK', count: 1 }]);
    expect(moved.body.state.next.map((t) => t.number)).toEqual([ticket.number]);
  });

  it('shows checklist answers against the service they answered, labelled, after a transfer', async () => {
    const ticket = await take(1, { checklist: { ready: [0], missing: [1] } });
    await api('POST', 'loket-4/call-next');
    await api('POST', `loket-4/tickets/${ticket.id}/transfer`, { body: { serviceId: 'polri-skck-perpanjangan' } });
    const called = await api('POST', 'loket-4/call-next');
    const current = called.body.state.current!;
    expect(current.serviceId).toBe('polri-skck-perpanjangan');
    const answered = app.catalogue.services.get(SKCK)!;
    expect(current.checklistService).toBe(answered.name.id);
    expect(current.checklist).toHaveLength(answered.requirements.length);
    expect(current.checklist![0]).toEqual({ text: answered.requirements[0]!.id, state: 'ready' });
    expect(current.checklist![1]).toEqual({ text: answered.requirements[1]!.id, state: 'missing' });
  });

  it('refuses to act on a ticket of another agency or one called at another counter', async () => {
    const kia = await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const res = await api('POST', `loket-4/tickets/${kia.ticket.id}/cancel`);
    expect(res.status).toBe(403);
    expect((await app.queue.get(kia.ticket.id))?.status).toBe('waiting');

    const operator = await staffSession(app, 'sari', 'operator');
    const called = await api('POST', 'loket-1/call-next', { who: operator });
    expect(called.body.called).toBe(kia.ticket.number);
    const elsewhere = await api('POST', `loket-2/tickets/${kia.ticket.id}/done`, { who: operator });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error?.code).toBe('forbidden');
    expect((await api('GET', 'loket-2/state', { who: operator })).body.current).toBeNull();
    expect((await api('GET', 'loket-99/state', { who: operator })).body.error?.code).toBe('unknown_counter');
  });

  it('has the same words in every language', () => {
    expect(leafKeys('locales/en/counter.json')).toEqual(leafKeys('locales/id/counter.json'));
  });
});
