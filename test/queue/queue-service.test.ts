import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { QueueKeys } from '../../src/queue/keys.js';
import { QueueError } from '../../src/queue/ticket.js';
import { MONDAY_9AM, testPrefix, testQueue, testRedis } from '../helpers.js';

const citizen = (n: string | number) => ({ channel: 'test', userKey: `warga-${n}` });
const SKCK = 'polri-skck-baru';
const GROUP_A = ['dukcapil-kia', 'dukcapil-akta-kelahiran', 'dukcapil-kk-baru', 'dukcapil-ktp-el-baru', 'dukcapil-akta-kematian'];
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof QueueError ? e.code : String(e)));

describe('ticket numbering', () => {
  it('numbers tickets per group with the group prefix, shared by the services of the group', async () => {
    const { queue } = await testQueue();
    const a = await queue.take({ serviceId: 'dukcapil-kia', citizen: citizen(1), source: 'test' });
    const b = await queue.take({ serviceId: 'dukcapil-akta-kelahiran', citizen: citizen(2), source: 'test' });
    const c = await queue.take({ serviceId: SKCK, citizen: citizen(3), source: 'test' });
    expect([a.ticket.number, b.ticket.number, c.ticket.number]).toEqual(['A-001', 'A-002', 'C-001']);
  });

  it('restarts at local midnight in the MPP time zone, not at UTC midnight', async () => {
    const clock = new ManualClock(new Date('2026-11-23T16:59:00Z')); // Monday 23:59 WIB
    const { queue } = await testQueue({ clock, hoursMode: 'always' });
    expect((await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' })).ticket.number).toBe('C-001');
    expect((await queue.take({ serviceId: SKCK, citizen: citizen(2), source: 'test' })).ticket.number).toBe('C-002');
    clock.set(new Date('2026-11-23T17:00:00Z')); // Tuesday 00:00 WIB, still Monday in UTC
    const next = await queue.take({ serviceId: SKCK, citizen: citizen(3), source: 'test' });
    expect(next.ticket.number).toBe('C-001');
    expect(next.ticket.day).toBe('2026-11-24');
  });

  it('never issues the same number twice, skips none, loses none across two connections', async () => {
    const prefix = testPrefix();
    const one = await testQueue({ prefix, hoursMode: 'always', redis: testRedis() });
    const two = await testQueue({ prefix, hoursMode: 'always', redis: testRedis() });
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => (i % 2 ? one : two).queue.take({ serviceId: GROUP_A[i % GROUP_A.length]!, citizen: citizen(`race-${i}`), source: 'test' })),
    );
    const numbers = results.map((r) => Number(r.ticket.number.split('-')[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const snapshot = await one.queue.snapshot();
    expect(snapshot.services.filter((s) => GROUP_A.includes(s.serviceId)).reduce((n, s) => n + s.waiting, 0)).toBe(150);
  });
});

describe('quota, limits and idempotency', () => {
  it('stops exactly at the daily quota under concurrent requests', async () => {
    const { queue, catalogue } = await testQueue({ hoursMode: 'always' });
    const service = 'perpustakaan-kartu-anggota';
    const quota = catalogue.services.get(service)!.daily_quota;
    const outcomes = await Promise.all(Array.from({ length: quota + 25 }, (_, i) => code(queue.take({ serviceId: service, citizen: citizen(`q-${i}`), source: 'test' }))));
    expect(outcomes.filter((o) => o === 'ok').length).toBe(quota);
    expect(outcomes.filter((o) => o === 'quota_full').length).toBe(25);
    expect((await queue.availability(service)).remaining).toBe(0);
  });

  it('shows the live remaining quota', async () => {
    const { queue, catalogue } = await testQueue();
    const quota = catalogue.services.get(SKCK)!.daily_quota;
    await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    expect(await queue.availability(SKCK)).toMatchObject({ open: true, quota, issued: 1, remaining: quota - 1 });
  });

  it('gives the same ticket again for the same citizen and service (a retried request)', async () => {
    const { queue } = await testQueue();
    const first = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    const again = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(again.created).toBe(false);
    const both = await Promise.all([queue.take({ serviceId: 'djp-npwp', citizen: citizen(2), source: 'test' }), queue.take({ serviceId: 'djp-npwp', citizen: citizen(2), source: 'test' })]);
    expect(both[0].ticket.id).toBe(both[1].ticket.id);
  });

  it('honours an idempotency key for anonymous kiosk tickets', async () => {
    const { queue } = await testQueue();
    const a = await queue.take({ serviceId: SKCK, idempotencyKey: 'kiosk-1-req-9', source: 'api' });
    const b = await queue.take({ serviceId: SKCK, idempotencyKey: 'kiosk-1-req-9', source: 'api' });
    const c = await queue.take({ serviceId: SKCK, source: 'api' });
    expect(b.ticket.id).toBe(a.ticket.id);
    expect(c.ticket.id).not.toBe(a.ticket.id);
  });

  it('allows at most 3 tickets per citizen per day', async () => {
    const { queue } = await testQueue();
    for (const s of ['djp-npwp', 'djp-efin', 'dukcapil-kia']) await queue.take({ serviceId: s, citizen: citizen(1), source: 'test' });
    expect(await code(queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' }))).toBe('limit_reached');
  });

  it('refuses an unknown service', async () => {
    const { queue } = await testQueue();
    expect(await code(queue.take({ serviceId: 'nope', source: 'test' }))).toBe('unknown_service');
  });
});

describe('opening hours', () => {
  it('refuses tickets when closed and says when the MPP opens next', async () => {
    const clock = new ManualClock(new Date('2026-11-29T03:00:00Z')); // Sunday
    const { queue } = await testQueue({ clock });
    const err = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueError);
    expect((err as QueueError).code).toBe('closed');
    expect((err as QueueError).info.nextOpen?.toISOString()).toBe('2026-11-30T01:00:00.000Z');
    clock.set(new Date('2026-11-23T05:15:00Z')); // Monday lunch break
    expect(await code(queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' }))).toBe('closed');
  });

  it('takes tickets at any time with OPENING_HOURS=always', async () => {
    const { queue } = await testQueue({ clock: new ManualClock(new Date('2026-11-29T03:00:00Z')), hoursMode: 'always' });
    expect(await code(queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' }))).toBe('ok');
  });
});

describe('ticket states', () => {
  it('goes waiting -> called -> serving -> done and records the real service time for the estimate', async () => {
    const { queue, clock, catalogue } = await testQueue();
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    const called = await queue.callNext('loket-4');
    expect(called).toMatchObject({ id: ticket.id, status: 'called', counter: 'loket-4' });
    expect((await queue.act(ticket.id, 'start')).status).toBe('serving');
    clock.advance(6 * 60_000);
    expect((await queue.act(ticket.id, 'done')).status).toBe('done');
    // A later ticket's estimate moves from the catalogue's figure towards the real 6 minutes: one
    // real time weighs against the catalogue's estimate counted as 5 of them.
    const estimate = catalogue.services.get(SKCK)!.service_minutes;
    await queue.take({ serviceId: SKCK, citizen: citizen(2), source: 'test' });
    const waiting = await queue.take({ serviceId: SKCK, citizen: citizen(3), source: 'test' });
    expect(waiting.ticket.ahead).toBe(1);
    expect(waiting.ticket.etaMinutes).toBe(Math.ceil((6 + estimate * 5) / 6));
  });

  it('never promises a wait shorter than a quarter of the catalogue estimate after quick services', async () => {
    const { queue, clock, catalogue } = await testQueue();
    const estimate = catalogue.services.get(SKCK)!.service_minutes;
    // Twenty services of 10 seconds each: the real average alone would say "± 1 menit" to everyone.
    for (let i = 0; i < 20; i++) {
      const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(`q${i}`), source: 'test' });
      await queue.callNext('loket-4');
      clock.advance(10_000);
      await queue.act(ticket.id, 'done');
    }
    for (let i = 0; i < 28; i++) await queue.take({ serviceId: SKCK, citizen: citizen(`w${i}`), source: 'test' });
    const last = await queue.take({ serviceId: SKCK, citizen: citizen('last'), source: 'test' });
    expect(last.ticket.ahead).toBe(28);
    expect(last.ticket.etaMinutes).toBeGreaterThanOrEqual(Math.ceil((28 * estimate * 0.25) / queue.countersFor(SKCK).length));
  });

  it('refuses illegal transitions with a clear error', async () => {
    const { queue } = await testQueue();
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    expect(await code(queue.act(ticket.id, 'start'))).toBe('illegal_transition');
    await queue.act(ticket.id, 'cancel');
    expect(await code(queue.act(ticket.id, 'recall'))).toBe('illegal_transition');
    expect(await queue.callNext('loket-4')).toBeUndefined(); // a cancelled ticket is never called
    expect(await code(queue.act('tknotaticket00', 'done'))).toBe('unknown_ticket');
  });

  it('recalls, then marks a no-show; repeated no-shows block remote tickets until staff lift it', async () => {
    const { queue } = await testQueue({ policy: { noshowLimit: 2 } });
    for (let i = 0; i < 2; i++) {
      const { ticket } = await queue.take({ serviceId: i ? SKCK : 'polri-skck-perpanjangan', citizen: citizen('late'), source: 'test' });
      await queue.callNext('loket-4');
      expect((await queue.act(ticket.id, 'recall')).recalls).toBe(1);
      expect((await queue.act(ticket.id, 'no-show')).status).toBe('no-show');
    }
    expect(await queue.isBlocked('test', 'warga-late')).toBeInstanceOf(Date);
    expect(await code(queue.take({ serviceId: 'djp-npwp', citizen: citizen('late'), source: 'test' }))).toBe('blocked');
    expect(await queue.liftBlock('test', 'warga-late')).toBe(true);
    expect(await code(queue.take({ serviceId: 'djp-npwp', citizen: citizen('late'), source: 'test' }))).toBe('ok');
  });

  it('keeps a counter from calling a second ticket while one is open', async () => {
    const { queue } = await testQueue();
    await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    await queue.take({ serviceId: SKCK, citizen: citizen(2), source: 'test' });
    await queue.callNext('loket-4');
    expect(await code(queue.callNext('loket-4'))).toBe('counter_busy');
  });

  it('calls only tickets of the services the counter serves', async () => {
    const { queue } = await testQueue();
    await queue.take({ serviceId: 'polri-sim-perpanjangan', citizen: citizen(1), source: 'test' });
    expect(await queue.callNext('loket-4')).toBeUndefined(); // SKCK counter
    expect((await queue.callNext('loket-5'))?.serviceId).toBe('polri-sim-perpanjangan');
    expect(await code(queue.callNext('loket-99'))).toBe('unknown_counter');
  });

  it('serves one priority ticket after every N regular ones', async () => {
    const { queue, clock } = await testQueue({ policy: { priorityEvery: 2 } });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await queue.take({ serviceId: SKCK, citizen: citizen(`r${i}`), source: 'test' });
      clock.advance(1000);
    }
    await queue.take({ serviceId: SKCK, citizen: citizen('p'), priority: true, source: 'test' });
    for (let i = 0; i < 5; i++) {
      const t = (await queue.callNext('loket-4'))!;
      order.push(t.priority ? 'P' : 'R');
      await queue.act(t.id, 'done');
    }
    expect(order).toEqual(['R', 'R', 'P', 'R', 'R']);
  });

  it('transfers a ticket to another service keeping its original place', async () => {
    const { queue, clock } = await testQueue();
    const early = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    clock.advance(60_000);
    await queue.take({ serviceId: 'polri-skck-perpanjangan', citizen: citizen(2), source: 'test' });
    await queue.callNext('loket-4'); // calls the SKCK baru ticket (oldest)
    const moved = await queue.transfer(early.ticket.id, 'polri-skck-perpanjangan');
    expect(moved).toMatchObject({ status: 'waiting', serviceId: 'polri-skck-perpanjangan', transferredFrom: SKCK, number: early.ticket.number });
    expect((await queue.view(moved)).ahead).toBe(0); // still ahead of the later ticket
    expect((await queue.callNext('loket-4'))?.id).toBe(early.ticket.id);
  });

  it('puts a ticket transferred from another numbering group where its arrival time puts it, not by its old number', async () => {
    const { queue, clock } = await testQueue();
    const PASPOR = 'imigrasi-paspor-baru';
    const take = async (serviceId: string, who: string) => {
      clock.advance(60_000);
      return (await queue.take({ serviceId, citizen: citizen(who), source: 'test' })).ticket;
    };
    const before = [await take(PASPOR, 'b1'), await take(PASPOR, 'b2')];
    for (let i = 1; i <= 7; i++) await take('samsat-pajak-tahunan', `d${i}`);
    const d8 = await take('samsat-pajak-tahunan', 'd8');
    const after = [];
    for (let i = 3; i <= 12; i++) after.push(await take(i % 2 ? PASPOR : 'imigrasi-paspor-penggantian', `b${i}`));
    expect(d8.number).toBe('D-008');
    expect(after.map((t) => t.number)).toContain('B-008'); // its old number would put it behind B-003..B-008

    const moved = await queue.transfer(d8.id, PASPOR);
    expect(moved).toMatchObject({ status: 'waiting', serviceId: PASPOR, number: 'D-008', transferredFrom: 'samsat-pajak-tahunan' });
    expect((await queue.view(moved)).ahead).toBe(2); // behind B-001, B-002 only
    const later = await take(PASPOR, 'b13');
    expect((await queue.view(later)).ahead).toBe(13);
    expect((await queue.view(moved)).ahead).toBe(2);

    const called: string[] = [];
    for (let i = 0; i < 14; i++) {
      const t = (await queue.callNext('loket-3'))!;
      called.push(t.number);
      await queue.act(t.id, 'done');
    }
    expect(called).toEqual([...before, moved, ...after, later].map((t) => t.number));
  });

  it('puts a ticket from another group last when everyone in the new line came earlier, and later tickets behind it', async () => {
    const { queue, clock } = await testQueue();
    const PASPOR = 'imigrasi-paspor-baru';
    const take = async (serviceId: string, who: string) => {
      clock.advance(60_000);
      return (await queue.take({ serviceId, citizen: citizen(who), source: 'test' })).ticket;
    };
    for (let i = 1; i <= 3; i++) await take(PASPOR, `b${i}`);
    const d1 = await take('samsat-pajak-tahunan', 'd1'); // D-001: its number would put it first
    const d2 = await take('samsat-pajak-tahunan', 'd2');
    await queue.transfer(d2.id, PASPOR);
    await queue.transfer(d1.id, PASPOR); // transferred second, came first: ahead of D-002
    const later = [await take(PASPOR, 'b4'), await take(PASPOR, 'b5')];
    const called: string[] = [];
    for (let i = 0; i < 7; i++) {
      const t = (await queue.callNext('loket-3'))!;
      called.push(t.number);
      await queue.act(t.id, 'done');
    }
    expect(called).toEqual(['B-001', 'B-002', 'B-003', 'D-001', 'D-002', 'B-004', 'B-005']);
    expect(later.map((t) => t.number)).toEqual(['B-004', 'B-005']);
  });

  it('puts a ticket from another group first when everyone waiting in the new line came later', async () => {
    const { queue, clock } = await testQueue();
    const d1 = await queue.take({ serviceId: 'samsat-pajak-tahunan', citizen: citizen('d1'), source: 'test' });
    clock.advance(60_000);
    await queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: citizen('b1'), source: 'test' });
    const moved = await queue.transfer(d1.ticket.id, 'imigrasi-paspor-baru');
    expect((await queue.view(moved)).ahead).toBe(0);
    expect((await queue.callNext('loket-3'))?.number).toBe('D-001');
  });

  it('keeps a citizen who moved back to the end of the line ahead of every ticket taken afterwards', async () => {
    for (let run = 0; run < 8; run++) {
      const { queue } = await testQueue();
      const first = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
      for (let i = 2; i <= 3; i++) await queue.take({ serviceId: SKCK, citizen: citizen(i), source: 'test' });
      expect((await queue.postpone(first.ticket.id, 'test', 'warga-1', 5)).ticket.ahead).toBe(2);
      const later = await queue.take({ serviceId: SKCK, citizen: citizen(4), source: 'test' }); // C-004: the number right after the last
      expect((await queue.get(first.ticket.id))!.status).toBe('waiting');
      expect((await queue.view(later.ticket)).ahead).toBe(3);
    }
  });

  it('lets a citizen cancel only their own ticket', async () => {
    const { queue } = await testQueue();
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    expect(await code(queue.cancelOwn(ticket.id, 'test', 'warga-2'))).toBe('unknown_ticket');
    expect((await queue.cancelOwn(ticket.id, 'test', 'warga-1')).status).toBe('cancelled');
    expect(await queue.activeTickets('test', 'warga-1')).toEqual([]);
  });

  it('expires tickets and their citizen links after the retention period', async () => {
    const { queue, prefix } = await testQueue({ policy: { retentionDays: 30 } });
    const keys = new QueueKeys(prefix);
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    const redis = (queue as unknown as { redis: Redis }).redis;
    const ttl = await redis.ttl(keys.ticket(ticket.id));
    expect(ttl).toBeGreaterThan(29 * 86400);
    expect(ttl).toBeLessThanOrEqual(30 * 86400);
    expect(await redis.ttl(keys.citizen(ticket.subject, ticket.day))).toBeLessThanOrEqual(2 * 86400);
    expect(await redis.ttl(keys.stats(SKCK, ticket.day))).toBeGreaterThan(300 * 86400);
  });

  it('emits a queue event for every change', async () => {
    const { queue } = await testQueue();
    const redis = (queue as unknown as { redis: Redis }).redis;
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    await queue.callNext('loket-4');
    await queue.act(ticket.id, 'start');
    await queue.act(ticket.id, 'done');
    const events = await redis.xrange(queue.eventStream, '-', '+');
    const types = events.map(([, fields]) => fields[fields.indexOf('type') + 1]);
    expect(types).toEqual(['issued', 'called', 'serving', 'done']);
    expect(events[1]![1]).toEqual(expect.arrayContaining(['counter', 'loket-4', 'number', ticket.number]));
  });

  it('treats a ticket left open yesterday as no obstacle for today', async () => {
    const clock = new ManualClock(MONDAY_9AM);
    const { queue } = await testQueue({ clock });
    await queue.take({ serviceId: SKCK, citizen: citizen(1), source: 'test' });
    await queue.callNext('loket-4');
    clock.advance(24 * 3600_000);
    await queue.take({ serviceId: SKCK, citizen: citizen(2), source: 'test' });
    expect((await queue.callNext('loket-4'))?.number).toBe('C-001');
  });
});

describe('erasure keeps the abuse record', () => {
  it('"hapus data saya" does not lift a no-show block nor reset the daily cap', async () => {
    const { queue } = await testQueue({ policy: { noshowLimit: 2 } });
    for (const serviceId of ['polri-skck-perpanjangan', SKCK]) {
      const { ticket } = await queue.take({ serviceId, citizen: citizen('eraser'), source: 'test' });
      await queue.callNext('loket-4');
      await queue.act(ticket.id, 'no-show');
    }
    await queue.forgetCitizen('test', 'warga-eraser');
    expect(await code(queue.take({ serviceId: 'djp-npwp', citizen: citizen('eraser'), source: 'test' }))).toBe('blocked');
    expect(await queue.isBlocked('test', 'warga-eraser')).toBeInstanceOf(Date);

    for (const s of ['djp-npwp', 'djp-efin', 'dukcapil-kia']) await queue.take({ serviceId: s, citizen: citizen('capped'), source: 'test' });
    await queue.forgetCitizen('test', 'warga-capped');
    expect(await code(queue.take({ serviceId: SKCK, citizen: citizen('capped'), source: 'test' }))).toBe('limit_reached');
  });
});

describe('free text on a ticket', () => {
  it('keeps the question with NIK, phone numbers and e-mail masked, and cut to a sane length', async () => {
    const { queue } = await testQueue();
    const question = 'paspor baru a.n. Budi NIK 3201234567890001 hp 081234567890 mail budi@contoh.id ' + 'x'.repeat(400);
    const { ticket } = await queue.take({ serviceId: SKCK, citizen: citizen('typed'), question, source: 'test' });
    const stored = (await queue.get(ticket.id))!.question;
    expect(stored).not.toMatch(/3201234567890001|081234567890|budi@contoh\.id/);
    expect(stored).toContain('NIK [nik] hp [phone] mail [email]');
    expect(stored.length).toBeLessThanOrEqual(200);
  });
});
