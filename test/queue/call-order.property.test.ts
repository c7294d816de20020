import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueKeys } from '../../src/queue/keys.js';
import type { QueueService } from '../../src/queue/queue-service.js';
import { QueueError } from '../../src/queue/ticket.js';
import { parseEvent } from '../../src/queue/events.js';
import type { Outbox } from '../../src/reminders/outbox.js';
import type { NoticeJob } from '../../src/reminders/kinds.js';
import { ReminderScheduler } from '../../src/reminders/scheduler.js';
import { silentLogger, testQueue, testRedis } from '../helpers.js';

/**
 * Position is the number of tickets the calling policy will call before a ticket. A tiny
 * reference model of that policy (oldest first across a pool's lines, one priority ticket after
 * every N regular ones, counted per pool) reads the lines' scores from Redis and predicts every
 * call; after each random step every waiting ticket's reported position must equal its index in
 * the model's order, and every "N orang lagi" the scheduler plans must be for a ticket that really
 * is within N.
 */

const EVERY = 2;
const NEAR_AHEAD = 2;
const LATE = 3;
const SERVICES = ['dukcapil-kia', 'dukcapil-kk-baru', 'polri-skck-baru', 'polri-skck-perpanjangan', 'polri-sim-perpanjangan'];
const COUNTERS = ['loket-1', 'loket-2', 'loket-4', 'loket-5'];

type Step =
  | { kind: 'take'; service: number; priority: boolean }
  | { kind: 'call'; counter: number; finish: 'done' | 'no-show' | 'transfer'; target: number }
  | { kind: 'postpone'; pick: number }
  | { kind: 'transfer'; pick: number; target: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('take' as const), service: fc.nat(SERVICES.length - 1), priority: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(COUNTERS.length - 1), finish: fc.constantFrom('done' as const, 'no-show' as const, 'transfer' as const), target: fc.nat(SERVICES.length - 1) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('postpone' as const), pick: fc.nat(50) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('transfer' as const), pick: fc.nat(50) , target: fc.nat(SERVICES.length - 1) }), weight: 1 },
);

/** The reference model: pools are the counters' service sets; `since` is counted here, not read. */
class Model {
  readonly since = new Map<string, number>();
  constructor(
    private readonly queue: QueueService,
    private readonly keys: QueueKeys,
    private readonly day: string,
  ) {}

  pool(counter: string): string[] {
    return [...this.queue.servicesOf(counter)].sort();
  }

  poolId(counter: string): string {
    return this.pool(counter).join(' ');
  }

  /** Waiting ids in call order for a pool, each with its lane. */
  async order(services: string[], id: string): Promise<Array<{ id: string; priority: boolean }>> {
    const redis = testRedis();
    const read = async (key: string) => {
      const raw = await redis.zrange(key, 0, -1, 'WITHSCORES');
      const out: Array<{ id: string; score: number }> = [];
      for (let i = 0; i < raw.length; i += 2) out.push({ id: raw[i]!, score: Number(raw[i + 1]) });
      return out;
    };
    const regular = await Promise.all(services.map((s) => read(this.keys.wait(s, this.day))));
    const priority = await Promise.all(services.map((s) => read(this.keys.waitPriority(s, this.day))));
    const head = (lines: typeof regular) => {
      let best = -1;
      lines.forEach((l, i) => {
        if (l.length > 0 && (best < 0 || l[0]!.score < lines[best]![0]!.score)) best = i;
      });
      return best;
    };
    let since = this.since.get(id) ?? 0;
    const order: Array<{ id: string; priority: boolean }> = [];
    for (;;) {
      const r = head(regular);
      const p = head(priority);
      if (p >= 0 && (r < 0 || since >= EVERY)) {
        order.push({ id: priority[p]!.shift()!.id, priority: true });
        since = 0;
      } else if (r >= 0) {
        order.push({ id: regular[r]!.shift()!.id, priority: false });
        since++;
      } else return order;
    }
  }

  async orderOf(counter: string) {
    return this.order(this.pool(counter), this.poolId(counter));
  }

  /** Every waiting ticket with its index in its pool's order. */
  async positions(): Promise<Map<string, number>> {
    const positions = new Map<string, number>();
    for (const counter of COUNTERS) (await this.orderOf(counter)).forEach((e, i) => positions.set(e.id, Math.min(i, positions.get(e.id) ?? Infinity)));
    return positions;
  }

  poolOfService(serviceId: string): string {
    return COUNTERS.find((c) => this.queue.servicesOf(c).includes(serviceId))!;
  }
}

async function run(steps: Step[]): Promise<void> {
  const { queue, clock, prefix } = await testQueue({ hoursMode: 'always', policy: { priorityEvery: EVERY, latePlaces: LATE, maxPerDay: 1000 } });
  const keys = new QueueKeys(prefix);
  const day = queue.today();
  const model = new Model(queue, keys, day);
  const planned: NoticeJob[] = [];
  const outbox = { schedule: (_channel: string, job: NoticeJob) => Promise.resolve(void planned.push(job)) } as unknown as Outbox;
  const scheduler = new ReminderScheduler(testRedis(), queue, outbox, { nearAhead: NEAR_AHEAD, nearMinutes: -1, surveyDelayMs: 0 }, clock, silentLogger);
  let lastEvent = '0-0';
  let citizens = 0;

  for (const s of steps) {
    clock.advance(61_000); // past the scheduler's "just saw the ticket card" window
    const waiting = [...(await model.positions()).keys()];
    switch (s.kind) {
      case 'take':
        await queue.take({ serviceId: SERVICES[s.service]!, citizen: { channel: 'test', userKey: `p-${citizens++}` }, priority: s.priority, source: 'test' });
        break;
      case 'call': {
        const counter = COUNTERS[s.counter]!;
        const current = await queue.atCounter(counter);
        if (current) {
          if (s.finish === 'transfer') await queue.transfer(current.id, SERVICES[s.target]!);
          else await queue.act(current.id, s.finish);
        }
        const expected = (await model.orderOf(counter))[0];
        const called = await queue.callNext(counter);
        expect(called?.id).toBe(expected?.id);
        if (expected) model.since.set(model.poolId(counter), expected.priority ? 0 : (model.since.get(model.poolId(counter)) ?? 0) + 1);
        break;
      }
      case 'postpone': {
        const id = waiting[s.pick % Math.max(1, waiting.length)];
        const ticket = id ? await queue.get(id) : undefined;
        if (!ticket) break;
        const counter = model.poolOfService(ticket.serviceId);
        const before = (await model.orderOf(counter)).findIndex((e) => e.id === id);
        const result = await queue.postpone(ticket.id, ticket.channel, ticket.to, LATE).catch((e: unknown) => e);
        if (result instanceof QueueError) {
          expect(ticket.postponed).toBe(true);
          break;
        }
        if (result instanceof Error) throw result;
        const order = await model.orderOf(counter);
        const after = order.findIndex((e) => e.id === id);
        const { moved, ticket: view } = result as Awaited<ReturnType<QueueService['postpone']>>;
        expect(view.ahead).toBe(after);
        expect(moved).toBe(after - before);
        // Back by the stated places, unless nothing of its lane is left behind it.
        const lane = order[after]!.priority;
        if (after < Math.min(before + LATE, order.length - 1)) expect(order.slice(after + 1).some((e) => e.priority === lane)).toBe(false);
        break;
      }
      case 'transfer': {
        const id = waiting[s.pick % Math.max(1, waiting.length)];
        if (id) await queue.transfer(id, SERVICES[s.target]!);
        break;
      }
    }

    const positions = await model.positions();
    for (const [id, index] of positions) {
      const view = await queue.view((await queue.get(id))!);
      expect(view.ahead, `position of ${view.number}`).toBe(index);
    }
    const events = await testRedis().xrange(queue.eventStream, `(${lastEvent}`, '+');
    for (const [eventId, fields] of events) {
      lastEvent = eventId;
      planned.length = 0;
      await scheduler.handle(parseEvent(eventId, fields));
      for (const job of planned.filter((j) => j.kind === 'near')) {
        const ticket = (await queue.get(job.ticketId))!;
        // What the notice says ("N orang lagi") is the ticket's position when it goes out.
        expect((await queue.view(ticket)).ahead).toBe(positions.get(ticket.id));
        expect(positions.get(ticket.id)).toBeLessThanOrEqual(NEAR_AHEAD);
      }
    }
  }
}

describe('position is the place in the call order', () => {
  it('equals the index in a simulated call order after random takes, calls, priorities, postpones, transfers and no-shows', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), run), { numRuns: 25 });
  }, 120_000);
});
