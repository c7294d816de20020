import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { citizenSubject } from '../../src/citizen.js';
import { ManualClock } from '../../src/clock.js';
import type { BoardState } from '../../src/http/board/snapshot.js';
import { MONDAY_9AM, leafKeys, staffSession, startTestApp, type TestApp } from '../helpers.js';

const SKCK = 'polri-skck-baru';
let app: TestApp;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({}, clock);
});
afterEach(async () => {
  await app.close();
});

const state = async (query = ''): Promise<BoardState> => (await fetch(`${app.url}/board/state${query}`)).json() as Promise<BoardState>;

/** Reads Server-Sent Events from the board until `until` says enough; returns them parsed. */
async function readEvents(until: (events: Array<{ event: string; data: unknown }>) => boolean, onOpen?: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${app.url}/board/events`, { signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  let opened = false;
  try {
    while (!until(events)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(frame)?.[1];
        const data = /^data: (.+)$/m.exec(frame)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
      if (!opened && events.length > 0 && onOpen) {
        opened = true;
        await onOpen();
      }
    }
  } finally {
    controller.abort();
  }
  return events;
}

describe('display board', () => {
  it('shows a called number at its counter, the newest call first', async () => {
    const first = await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const skck = await app.queue.take({ serviceId: SKCK, source: 'test' });
    await app.queue.callNext('loket-1');
    clock.advance(60_000);
    await app.queue.callNext('loket-4');
    const board = await state();
    expect(board.calling.map((c) => [c.number, c.counter, c.counterName])).toEqual([
      [skck.ticket.number, 'loket-4', 'Loket 4 Polres (SKCK)'],
      [first.ticket.number, 'loket-1', 'Loket 1 Dukcapil'],
    ]);
    expect(board.mpp).toBe(app.catalogue.mpp.name);
    expect(board.timeZone).toBe('Asia/Jakarta');
    expect((await state('?lang=en')).calling[0]!.counterName).toBe('Counter 4 Police (SKCK)');
  });

  it('lists the next waiting numbers of each queue group in order of arrival', async () => {
    for (let i = 0; i < 3; i++) await app.queue.take({ serviceId: SKCK, source: 'test' });
    await app.queue.take({ serviceId: 'polri-sim-perpanjangan', source: 'test' });
    await app.queue.callNext('loket-4');
    const group = (await state()).groups.find((g) => g.id === 'kepolisian-hukum')!;
    expect(group).toMatchObject({ prefix: 'C', name: 'Kepolisian dan hukum', waiting: 3, next: ['C-002', 'C-003', 'C-004'] });
    expect((await state()).groups.find((g) => g.id === 'kependudukan')).toMatchObject({ waiting: 0, next: [] });
  });

  it('never shows personal data: no subject, address, question, checklist or ticket id', async () => {
    const question = 'Apakah KTP lama saya masih berlaku? Rahasia-7319';
    const { ticket } = await app.queue.take({ serviceId: SKCK, citizen: { channel: 'telegram', userKey: '628123456789' }, question, checklist: { ready: [0, 1], missing: [2] }, source: 'test' });
    await app.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'warga-kedua' }, question: 'Pertanyaan-kedua-8842', source: 'test' });
    await app.queue.callNext('loket-4');
    const requirement = app.catalogue.services.get(SKCK)!.requirements[2]!.id;
    const secrets = [citizenSubject('telegram', '628123456789'), '628123456789', 'telegram', 'warga-kedua', 'Rahasia-7319', 'Pertanyaan-kedua-8842', requirement, ticket.id];

    const page = await (await fetch(`${app.url}/board`)).text();
    const json = JSON.stringify(await state());
    const events = await readEvents((e) => e.some((x) => x.event === 'snapshot'));
    const first = JSON.stringify(events.find((e) => e.event === 'snapshot')!.data);
    expect(page).toContain(ticket.number);
    expect(first).toContain(ticket.number);
    for (const output of [page, json, first]) for (const secret of secrets) expect(output).not.toContain(secret);
  });

  it('streams a snapshot on connect, then the call and a fresh snapshot when a counter calls', async () => {
    const { ticket } = await app.queue.take({ serviceId: SKCK, source: 'test' });
    const events = await readEvents(
      (e) => e.filter((x) => x.event === 'snapshot').length >= 2,
      async () => {
        await app.queue.callNext('loket-4');
      },
    );
    expect(events[0]!.event).toBe('snapshot');
    expect((events[0]!.data as BoardState).calling).toEqual([]);
    expect(events.find((e) => e.event === 'called')?.data).toEqual({ number: ticket.number, counter: 'loket-4', counterName: 'Loket 4 Polres (SKCK)', counterNo: 4, calledAt: clock.now().getTime(), recall: false });
    expect((events.at(-1)!.data as BoardState).calling[0]).toMatchObject({ number: ticket.number, counter: 'loket-4' });
  });

  it('sends a recall as a call again, marked as a recall, with the counter number the voice says', async () => {
    await app.queue.take({ serviceId: 'dukcapil-kia', source: 'test' });
    const called = (await app.queue.callNext('loket-2'))!;
    const events = await readEvents(
      (e) => e.some((x) => x.event === 'called'),
      async () => {
        clock.advance(45_000);
        await app.queue.act(called.id, 'recall');
      },
    );
    expect(events.find((e) => e.event === 'called')?.data).toMatchObject({ number: called.number, counter: 'loket-2', counterNo: 2, recall: true, calledAt: clock.now().getTime() });
  });

  it("shows today's incidents as running text, newest first, with the agency or service they are about", async () => {
    expect((await state()).incidents).toEqual([]);
    const declare = (scope: { type: 'agency' | 'service'; id: string }, kind: 'blanko_habis' | 'sistem_offline', message: string) => app.incidents.declare({ scope, kind, message, offers: { cancel: false, move: false }, by: 'operator' });
    await declare({ type: 'agency', id: 'imigrasi' }, 'sistem_offline', 'Sistem paspor sedang gangguan.');
    clock.advance(60_000);
    await declare({ type: 'service', id: 'dukcapil-ktp-el-baru' }, 'blanko_habis', 'Blanko KTP-el habis hari ini.');
    const board = await state();
    expect(board.incidents.map((i) => [i.kind, i.where, i.message])).toEqual([
      ['blanko_habis', app.catalogue.services.get('dukcapil-ktp-el-baru')!.name.id, 'Blanko KTP-el habis hari ini.'],
      ['sistem_offline', app.catalogue.agencies.get('imigrasi')!.name.id, 'Sistem paspor sedang gangguan.'],
    ]);
    expect((await state('?lang=en')).incidents[1]!.where).toBe(app.catalogue.agencies.get('imigrasi')!.name.en);
    // The page carries the incident kinds' words for the running text.
    expect(await (await fetch(`${app.url}/board`)).text()).toContain('Sistem offline');
  });

  it('pushes an incident declared or resolved on the incidents page to open boards at once, not on the 15 s re-read', async () => {
    const op = await staffSession(app, 'operator.board', 'operator');
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${app.url}${path}`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, confirm: '1', ...fields }), redirect: 'manual' });
    const incidentsOf = (events: Array<{ event: string; data: unknown }>) => events.filter((e) => e.event === 'snapshot').map((e) => (e.data as BoardState).incidents.map((i) => i.message));
    // Well under the feed's 15 s re-read: only a push made by the declaration itself arrives in time.
    const within = <T,>(ms: number, work: Promise<T>) => Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms))]);
    const declared = await within(
      4000,
      readEvents(
        (events) => incidentsOf(events).some((m) => m.includes('Sistem SKCK offline.')),
        async () => expect((await post('/admin/incidents', { scope: `service:${SKCK}`, kind: 'sistem_offline', message: 'Sistem SKCK offline.' })).status).toBe(303),
      ),
    );
    expect(incidentsOf(declared)[0]).toEqual([]);
    const [incident] = await app.incidentStore.onDay(app.queue.today());
    const resolved = await within(
      4000,
      readEvents(
        (events) => incidentsOf(events).length > 1 && incidentsOf(events).at(-1)!.length === 0,
        async () => expect((await post(`/admin/incidents/${incident!.id}/resolve`, { message: 'Sistem sudah pulih.' })).status).toBe(303),
      ),
    );
    expect(incidentsOf(resolved)[0]).toEqual(['Sistem SKCK offline.']);
  });

  it('takes an incident off the running text once the operator marks it resolved, and keeps it there after mere news', async () => {
    const declare = (id: string, kind: 'blanko_habis' | 'sistem_offline', message: string) => app.incidents.declare({ scope: { type: 'service', id }, kind, message, offers: { cancel: false, move: false }, by: 'operator' });
    const { incident: blanko } = await declare('dukcapil-ktp-el-baru', 'blanko_habis', 'Blanko KTP-el habis.');
    const { incident: offline } = await declare('dukcapil-kia', 'sistem_offline', 'Sistem KIA gangguan.');
    await app.incidents.followUp(offline.id, { message: 'Masih diperbaiki.', by: 'operator', resolved: false });
    await app.incidents.followUp(blanko.id, { message: 'Blanko sudah datang.', by: 'operator', resolved: true });
    expect((await state()).incidents.map((i) => i.id)).toEqual([offline.id]);
  });

  it('treats a counter without a status as open: no greyed counters, every calling counter open', async () => {
    await app.queue.take({ serviceId: SKCK, source: 'test' });
    await app.queue.callNext('loket-4');
    const board = await state();
    expect(board.counters).toHaveLength(app.catalogue.mpp.counters.length);
    expect(board.counters.find((c) => c.counter === 'loket-4')).toEqual({ counter: 'loket-4', counterName: 'Loket 4 Polres (SKCK)', status: 'open', statusSince: 0 });
    expect(board.counters.every((c) => c.status === 'open')).toBe(true);
    expect(board.calling.map((c) => c.counterStatus)).toEqual(['open']);
  });

  it('serves the page under the CSP with its words filled in and its script from this site', async () => {
    const res = await fetch(`${app.url}/board`, { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Now calling');
    expect(html).toContain('src="/board/assets/board.js"');
    expect(html).not.toMatch(/(src|href)="https?:/);
    // Only the script's own texts keep their `{{param}}` placeholders, inside the JSON data block.
    expect(html.replace(/<script type="application\/json"[^>]*>[^<]*<\/script>/, '')).not.toContain('{{');
    expect((await fetch(`${app.url}/board/assets/board.js`)).status).toBe(200);
  });

  it('has the same words in every language', () => {
    expect(leafKeys('locales/en/board.json')).toEqual(leafKeys('locales/id/board.json'));
  });
});
