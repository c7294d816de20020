import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { QueueCommands } from './commands.js';
import type { QueueKeys } from './keys.js';
import type { QueueLayout } from './layout.js';
import { DAY_TTL_SEC, EVENTS_MAX_LEN, STATS_TTL_SEC, type QueuePolicy } from './policy.js';
import type { QueueReads } from './reads.js';
import { QueueError, type Ticket } from './ticket.js';

export const counterStatuses = ['open', 'break', 'closed'] as const;
/** Open, on a break (lunch, prayer), or closed for the rest of the day. Each day starts open. */
export type CounterStatus = (typeof counterStatuses)[number];
export interface CounterState {
  status: CounterStatus;
  /** When the status was set (ms); 0 for a counter that has been open all day. */
  since: number;
}

/** One ticket called out of order, as logged for the head's report (no personal data). */
export interface OutOfOrderCall {
  at: number;
  counter: string;
  officer: string;
  number: string;
  service: string;
  reason: string;
}

/** How long "Selesai" can be undone: long enough to catch a mis-tap, short enough not to skew the day. */
export const UNDO_DONE_MS = 10_000;

/**
 * What a counter does besides the call order: its status (open, break, closed), the tickets it
 * finished today, calling a chosen ticket out of order with a reason, undoing "Selesai" within
 * a few seconds, and the officer's outcome and note on a ticket.
 */
export class CounterOps {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly commands: QueueCommands,
    private readonly reads: QueueReads,
    private readonly layout: QueueLayout,
    private readonly clock: Clock,
    private readonly policy: QueuePolicy,
  ) {}

  /** Every counter's status today (counters never set are open). */
  async statuses(day = this.layout.today()): Promise<Map<string, CounterState>> {
    const raw = await this.redis.hgetall(this.keys.counterStatus(day));
    return new Map(
      this.layout.catalogue.mpp.counters.map((c) => {
        const status = raw[c.id];
        return [c.id, { status: status === 'break' || status === 'closed' ? status : 'open', since: Number(raw[`${c.id}:since`] ?? 0) }];
      }),
    );
  }

  async status(counterId: string): Promise<CounterState> {
    return (await this.statuses()).get(counterId) ?? { status: 'open', since: 0 };
  }

  /** Sets a counter's status and tells the board (a queue event), which also changes ETAs. */
  async setStatus(counterId: string, status: CounterStatus): Promise<CounterState> {
    if (!this.layout.catalogue.mpp.counters.some((c) => c.id === counterId)) throw new QueueError('unknown_counter', `unknown counter ${counterId}`);
    const now = this.clock.now();
    const day = this.layout.today(now);
    const key = this.keys.counterStatus(day);
    const multi = this.redis.multi();
    if (status === 'open') multi.hdel(key, counterId);
    else multi.hset(key, counterId, status);
    await multi
      .hset(key, `${counterId}:since`, now.getTime())
      .expire(key, DAY_TTL_SEC)
      .xadd(this.keys.events, 'MAXLEN', '~', EVENTS_MAX_LEN, '*', 'type', 'counter-status', 'ticket', '', 'number', '', 'service', '', 'status', status, 'counter', counterId, 'at', now.getTime())
      .exec();
    return { status, since: now.getTime() };
  }

  /** Tickets each counter finished today. */
  async servedToday(day = this.layout.today()): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(this.keys.counterServed(day));
    return new Map(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** Counts a finished ticket for the counter that served it. */
  async countServed(ticket: Ticket): Promise<void> {
    if (!ticket.counter) return;
    const key = this.keys.counterServed(ticket.day);
    await this.redis.multi().hincrby(key, ticket.counter, 1).expire(key, STATS_TTL_SEC).exec();
  }

  /** Refuses a call at a counter on break or closed. */
  async requireOpen(counterId: string): Promise<void> {
    const { status } = await this.status(counterId);
    if (status !== 'open') throw new QueueError('counter_not_open', `counter ${counterId} is ${status}`, { status });
  }

  /** The counter's waiting tickets in the order it will call them (its pool's call order), at most `limit`. */
  async nextUp(counterId: string, limit: number): Promise<Ticket[]> {
    const pool = this.layout.poolOf(counterId);
    if (!pool || pool.services.length === 0) return [];
    const ids = await this.commands.order({ pool, day: this.layout.today(), priorityEvery: this.policy.priorityEvery, limit });
    const tickets = await Promise.all(ids.map((id) => this.reads.get(id)));
    // A held visit step is not the counter's to call yet (call-next passes it by): not "next up".
    return tickets.filter((t): t is Ticket => t?.status === 'waiting' && !t.visit?.held);
  }

  /** How many wait today in each service of the counter, in one round trip. */
  async waitingCounts(counterId: string): Promise<Map<string, number>> {
    const day = this.layout.today();
    const services = this.layout.servicesOf(counterId);
    const pipe = this.redis.pipeline();
    for (const s of services) pipe.zcard(this.keys.wait(s, day)).zcard(this.keys.waitPriority(s, day));
    const replies = ((await pipe.exec()) ?? []).map(([err, v]) => (err ? 0 : Number(v)));
    return new Map(services.map((s, i) => [s, replies[2 * i]! + replies[2 * i + 1]!]));
  }

  /** Calls a chosen waiting ticket at a counter, before the call order's head, with the officer's reason. */
  async callTicket(counterId: string, ticketId: string, reason: string, officer: string): Promise<Ticket> {
    const ticket = await this.reads.get(ticketId);
    if (!ticket) throw new QueueError('unknown_ticket', 'unknown ticket');
    const now = this.clock.now();
    const result = await this.commands.callTicket({ counterId, ticket, day: this.layout.today(now), nowMs: now.getTime(), reason, officer, logTtlSec: STATS_TTL_SEC });
    switch (result.outcome) {
      case 'called':
        return (await this.reads.get(ticketId))!;
      case 'counter_busy':
        throw new QueueError('counter_busy', 'this counter still has a called or serving ticket', { ticketId: result.ticketId });
      case 'citizen_busy':
        throw new QueueError('citizen_busy', 'the citizen is at another counter now (another step of their visit)', { ticketId: result.ticketId });
      case 'counter_not_open':
        throw new QueueError('counter_not_open', `counter ${counterId} is ${result.status}`, { status: result.status });
      case 'illegal_transition':
        throw new QueueError('illegal_transition', `cannot call a ticket that is ${result.status}`, { status: result.status });
      case 'unknown_ticket':
        throw new QueueError('unknown_ticket', 'unknown ticket');
    }
  }

  /** Undoes "Selesai" on a ticket finished less than `UNDO_DONE_MS` ago: it is served again. */
  async undoDone(ticketId: string): Promise<Ticket> {
    const ticket = await this.reads.get(ticketId);
    if (!ticket) throw new QueueError('unknown_ticket', 'unknown ticket');
    const result = await this.commands.undoDone({ ticket, nowMs: this.clock.now().getTime(), windowMs: UNDO_DONE_MS });
    switch (result.outcome) {
      case 'ok':
        return (await this.reads.get(ticketId))!;
      case 'undo_expired':
        throw new QueueError('undo_expired', `"done" can only be undone within ${UNDO_DONE_MS / 1000} s`);
      case 'counter_busy':
        throw new QueueError('counter_busy', 'the counter has called another ticket since', { ticketId: result.ticketId });
      case 'citizen_busy':
        throw new QueueError('citizen_busy', 'the citizen is already at another counter (the next step of their visit)', { ticketId: result.ticketId });
      case 'illegal_transition':
        throw new QueueError('illegal_transition', `cannot undo "done" on a ticket that is ${result.status}`, { status: result.status });
      case 'unknown_ticket':
        throw new QueueError('unknown_ticket', 'unknown ticket');
    }
  }

  /** The officer's outcome and short note on a ticket, kept on the ticket (expiring with it). */
  async note(ticketId: string, outcome: string, note: string): Promise<void> {
    if (!(await this.commands.note(ticketId, outcome, note))) throw new QueueError('unknown_ticket', 'unknown ticket');
  }

  /** Tickets called out of order on a day, oldest first. */
  async outOfOrder(day: string): Promise<OutOfOrderCall[]> {
    const raw = await this.redis.zrange(this.keys.outOfOrder(day), 0, -1);
    return raw.map((r) => {
      const { at, counter, officer, number, service, reason } = JSON.parse(r) as OutOfOrderCall;
      return { at, counter, officer, number, service, reason };
    });
  }
}
