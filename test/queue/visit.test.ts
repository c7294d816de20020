import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/queue/events.js';
import { QueueError } from '../../src/queue/ticket.js';
import { testQueue, testRedis } from '../helpers.js';

const citizen = (n: string | number) => ({ channel: 'test', userKey: `warga-${n}` });
const SIM = 'polri-sim-perpanjangan'; // loket-5
const PAJAK = 'samsat-pajak-tahunan'; // loket-6
const LIB = 'perpustakaan-kartu-anggota';
const MOVE = ['dukcapil-pindah-datang', 'dukcapil-kk-perubahan', 'dukcapil-ktp-el-perubahan-data'];
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => {
      if (e instanceof QueueError) return { code: e.code, serviceId: e.info.serviceId };
      throw e;
    },
  );

async function events(stream: string) {
  return (await testRedis().xrange(stream, '-', '+')).map(([id, f]) => parseEvent(id, f));
}

describe('taking a visit', () => {
  it('takes one ticket per service in plan order: the first waiting, the later ones held and numbered now', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const { visit, created } = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: citizen(1), source: 'test' });
    expect(created).toBe(true);
    expect(visit.steps.map((s) => [s.step, s.serviceId, s.number, s.status, s.held])).toEqual([
      [1, SIM, 'C-001', 'waiting', false],
      [2, PAJAK, 'D-001', 'waiting', true],
    ]);
    expect(visit.current?.serviceId).toBe(SIM);
    expect(visit.next?.serviceId).toBe(PAJAK);
    expect(visit.steps[1]!.counters).toEqual(['loket-6']);
    expect((await queue.availability(PAJAK)).issued).toBe(1);
    const ticket = (await queue.get(visit.steps[1]!.ticketId))!;
    expect(ticket.visit).toEqual({ id: visit.id, step: 2, of: 2, held: true });
  });

  it('refuses the whole visit when one quota is full, and names that service', async () => {
    const { queue, catalogue } = await testQueue({ hoursMode: 'always' });
    const quota = catalogue.services.get(LIB)!.daily_quota;
    for (let i = 0; i < quota; i++) await queue.take({ serviceId: LIB, citizen: citizen(`l${i}`), source: 'test' });
    expect(await refusal(queue.takeVisit({ serviceIds: [SIM, LIB], citizen: citizen(1), source: 'test' }))).toEqual({ code: 'quota_full', serviceId: LIB });
    expect((await queue.availability(SIM)).issued).toBe(0);
    expect(await queue.activeTickets('test', 'warga-1')).toEqual([]);
  });

  it('refuses a blocked citizen, an open ticket for one of the services, and more steps than the daily limit', async () => {
    const { queue } = await testQueue({ hoursMode: 'always', policy: { noshowLimit: 1 } });
    const mine = await queue.take({ serviceId: PAJAK, citizen: citizen(1), source: 'test' });
    expect(await refusal(queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: citizen(1), source: 'test' }))).toEqual({ code: 'already_in_line', serviceId: PAJAK });
    expect(await refusal(queue.takeVisit({ serviceIds: [SIM, LIB, ...MOVE], citizen: citizen(2), source: 'test' }))).toEqual({ code: 'limit_reached', serviceId: undefined });
    await queue.callNext('loket-6');
    await queue.act(mine.ticket.id, 'no-show');
    expect(await refusal(queue.takeVisit({ serviceIds: [SIM, LIB], citizen: citizen(1), source: 'test' }))).toEqual({ code: 'blocked', serviceId: undefined });
    expect((await queue.availability(SIM)).issued).toBe(0);
    expect((await queue.availability(LIB)).issued).toBe(0);
  });

  it('is idempotent: the same key, or the same citizen asking again for the same services (in any order), gives the same visit', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const a = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: citizen(1), idempotencyKey: 'k1', source: 'test' });
    const b = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: citizen(1), idempotencyKey: 'k1', source: 'test' });
    const c = await queue.takeVisit({ serviceIds: [PAJAK, SIM], citizen: citizen(1), source: 'test' });
    expect([b.created, c.created]).toEqual([false, false]);
    expect(b.visit.id).toBe(a.visit.id);
    expect(c.visit.id).toBe(a.visit.id);
    expect((await queue.availability(SIM)).issued).toBe(1);
    const parallel = await Promise.all(Array.from({ length: 5 }, () => queue.takeVisit({ serviceIds: [LIB, PAJAK], citizen: citizen(2), source: 'test' })));
    expect(new Set(parallel.map((p) => p.visit.id)).size).toBe(1);
    expect((await queue.availability(LIB)).issued).toBe(1);
  });

  it('holds a web chat visit to the per-address cap and the web share of every step, all or nothing', async () => {
    const { queue, catalogue } = await testQueue({ hoursMode: 'always', policy: { unverified: { channels: ['web'], perAddress: 1, quotaSharePercent: 50 } } });
    const web = (n: number) => ({ channel: 'web', userKey: `s${n}` });
    await queue.noteOrigin('web', 's1', 'addr-a');
    await queue.noteOrigin('web', 's2', 'addr-a');
    await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: web(1), source: 'test' });
    expect(await refusal(queue.takeVisit({ serviceIds: [LIB, PAJAK], citizen: web(2), source: 'test' }))).toEqual({ code: 'address_limit', serviceId: PAJAK });
    expect((await queue.availability(LIB)).issued).toBe(0);
    // The web share: half of the library's quota, then the visit that needs one more is refused whole.
    const share = catalogue.services.get(LIB)!.daily_quota / 2;
    for (let i = 0; i < share; i++) {
      await queue.noteOrigin('web', `f${i}`, `addr-${i}`);
      await queue.take({ serviceId: LIB, citizen: { channel: 'web', userKey: `f${i}` }, source: 'test' });
    }
    await queue.noteOrigin('web', 's3', 'addr-b');
    expect(await refusal(queue.takeVisit({ serviceIds: [SIM, LIB], citizen: web(3), source: 'test' }))).toEqual({ code: 'web_share_full', serviceId: LIB });
    expect((await queue.availability(SIM)).issued).toBe(1);
  });

  it('rejects an empty visit, a repeated service and an unknown one', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    expect((await refusal(queue.takeVisit({ serviceIds: [], source: 'test' })))?.code).toBe('bad_request');
    expect((await refusal(queue.takeVisit({ serviceIds: [SIM, SIM], source: 'test' })))?.code).toBe('bad_request');
    expect((await refusal(queue.takeVisit({ serviceIds: [SIM, 'nope'], source: 'test' })))?.code).toBe('unknown_service');
  });
});

describe('calling a visit', () => {
  it('passes a held step by, keeps its place, and calls it once the previous step is done', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const { visit } = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: citizen(1), source: 'test' });
    const later = await queue.take({ serviceId: PAJAK, citizen: citizen(2), source: 'test' });
    // The held step stays ahead of the later ticket in its count: release never moves it back.
    expect(later.ticket.ahead).toBe(1);
    expect((await queue.callNext('loket-6'))?.id).toBe(later.ticket.id);
    const sim = await queue.callNext('loket-5');
    expect(sim?.id).toBe(visit.steps[0]!.ticketId);
    await queue.act(later.ticket.id, 'done');
    expect(await queue.callNext('loket-6')).toBeUndefined();
    await queue.act(sim!.id, 'done');
    const released = (await events(queue.eventStream)).filter((e) => e.type === 'released');
    expect(released.map((e) => e.ticket)).toEqual([visit.steps[1]!.ticketId]);
    expect((await queue.visit(visit.id))?.current?.held).toBe(false);
    expect((await queue.callNext('loket-6'))?.id).toBe(visit.steps[1]!.ticketId);
  });

  it('releases the next step after a no-show or a cancel of the step before it', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const one = await queue.takeVisit({ serviceIds: [SIM, PAJAK, LIB], citizen: citizen(1), source: 'test' });
    await queue.callNext('loket-5');
    await queue.act(one.visit.steps[0]!.ticketId, 'no-show');
    let v = (await queue.visit(one.visit.id))!;
    expect(v.steps.map((s) => [s.status, s.held])).toEqual([
      ['no-show', false],
      ['waiting', false],
      ['waiting', true],
    ]);
    const cancelled = await queue.cancelStep(v.steps[1]!.ticketId, 'test', 'warga-1');
    expect(cancelled.remaining.map((s) => s.serviceId)).toEqual([LIB]);
    v = (await queue.visit(one.visit.id))!;
    expect(v.current?.serviceId).toBe(LIB);
    expect(v.current?.held).toBe(false);
  });

  it('never calls one citizen to two counters at once, even with two single tickets', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const sim = await queue.take({ serviceId: SIM, citizen: citizen(1), source: 'test' });
    const pajak = await queue.take({ serviceId: PAJAK, citizen: citizen(1), source: 'test' });
    const other = await queue.take({ serviceId: PAJAK, citizen: citizen(2), source: 'test' });
    expect((await queue.callNext('loket-5'))?.id).toBe(sim.ticket.id);
    expect((await queue.callNext('loket-6'))?.id).toBe(other.ticket.id);
    await queue.act(other.ticket.id, 'done');
    expect(await queue.callNext('loket-6')).toBeUndefined();
    await queue.act(sim.ticket.id, 'done');
    expect((await queue.callNext('loket-6'))?.id).toBe(pajak.ticket.id);
  });
});

describe('cancelling a visit', () => {
  it('cancelling one step reports the remaining steps and those that need its product', async () => {
    const { queue } = await testQueue({ hoursMode: 'always' });
    const { visit } = await queue.takeVisit({ serviceIds: MOVE, citizen: citizen(1), source: 'test' });
    const result = await queue.cancelStep(visit.steps[0]!.ticketId, 'test', 'warga-1');
    expect(result.ticket.status).toBe('cancelled');
    expect(result.remaining.map((s) => s.serviceId)).toEqual(MOVE.slice(1));
    expect(result.dependents).toEqual(MOVE.slice(1));
    expect((await refusal(queue.cancelStep(visit.steps[1]!.ticketId, 'test', 'warga-2')))?.code).toBe('unknown_ticket');
  });

  it('cancelVisit cancels every open step at once, counts them as cancelled, and leaves finished steps alone', async () => {
    const { queue } = await testQueue({ hoursMode: 'always', policy: { maxPerDay: 10 } });
    const { visit } = await queue.takeVisit({ serviceIds: [SIM, PAJAK, LIB], citizen: citizen(1), source: 'test' });
    await queue.callNext('loket-5');
    await queue.act(visit.steps[0]!.ticketId, 'done');
    expect((await refusal(queue.cancelVisit(visit.id, 'test', 'warga-2')))?.code).toBe('unknown_ticket');
    const { visit: after, cancelled } = await queue.cancelVisit(visit.id, 'test', 'warga-1');
    expect(cancelled).toBe(2);
    expect(after.steps.map((s) => s.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(after.current).toBeNull();
    expect(await queue.callNext('loket-6')).toBeUndefined();
    expect(await queue.activeTickets('test', 'warga-1')).toEqual([]);
    expect((await queue.dayCounts([PAJAK], queue.today())).get(PAJAK)?.cancelled).toBe(1);
    expect(await queue.visitRecord(visit.id)).toMatchObject({ steps: [{ serviceId: SIM, outcome: 'done' }, { outcome: 'cancelled' }, { outcome: 'cancelled' }] });
    // The citizen may take the same services again once the visit is over.
    expect((await queue.takeVisit({ serviceIds: [PAJAK, LIB], citizen: citizen(1), source: 'test' })).created).toBe(true);
  });
});
