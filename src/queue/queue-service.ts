import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { citizenSubject } from '../citizen.js';
import type { OpeningHours } from '../catalogue/hours.js';
import type { Catalogue } from '../catalogue/loader.js';
import { localTime } from '../catalogue/local-time.js';
import type { Clock } from '../clock.js';
import { QueueKeys } from './keys.js';
import { DAY_TTL_SEC, EVENTS_MAX_LEN, IDEM_TTL_SEC, STATS_TTL_SEC, type QueuePolicy } from './policy.js';
import { defineQueueScripts, type QueueScripts } from './scripts.js';
import { QueueError, isActive, parseTicket, type Ticket, type TicketAction, type TicketView } from './ticket.js';

export interface TakeRequest {
  serviceId: string;
  /** Who takes it; absent for an anonymous kiosk ticket. */
  citizen?: { channel: string; userKey: string };
  priority?: boolean;
  /** A booked citizen checking in: their place was promised when they booked, so the daily quota does not refuse it. */
  reserved?: boolean;
  checklist?: { ready: number[]; missing: number[] };
  question?: string;
  /** Same key twice gives the same ticket (retries of one request). */
  idempotencyKey?: string;
  source: string;
}

export interface Availability {
  open: boolean;
  nextOpen?: Date;
  quota: number;
  issued: number;
  remaining: number;
}

export interface ServiceSnapshot {
  serviceId: string;
  waiting: number;
  quota: number;
  remainingQuota: number;
  nowServing: Array<{ number: string; counter: string; status: string }>;
}

export interface CounterSnapshot {
  id: string;
  current?: { number: string; serviceId: string; status: string; calledAt?: number };
}

/**
 * The virtual queue. Every change is one Lua script on Redis, so any number of app processes
 * can share the queue without handing out a number twice, skipping one, or losing a ticket.
 */
export class QueueService {
  readonly keys: QueueKeys;
  private readonly redis: Redis & QueueScripts;
  private readonly groupOf = new Map<string, { id: string; prefix: string }>();

  constructor(
    redis: Redis,
    prefix: string,
    private readonly catalogue: Catalogue,
    private readonly hours: OpeningHours,
    private readonly clock: Clock,
    readonly policy: QueuePolicy,
  ) {
    this.redis = defineQueueScripts(redis);
    this.keys = new QueueKeys(prefix);
    for (const group of catalogue.mpp.groups) for (const agency of group.agencies) this.groupOf.set(agency, group);
  }

  today(at = this.clock.now()): string {
    return localTime(at, this.catalogue.mpp.timezone).date;
  }

  /** Counters (from content) that serve a service. */
  countersFor(serviceId: string) {
    const service = this.catalogue.services.get(serviceId);
    if (!service) return [];
    return this.catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(serviceId)));
  }

  servicesOf(counterId: string): string[] {
    const counter = this.catalogue.mpp.counters.find((c) => c.id === counterId);
    if (!counter) return [];
    return counter.services ?? [...this.catalogue.services.values()].filter((s) => s.agency === counter.agency).map((s) => s.id);
  }

  async availability(serviceId: string): Promise<Availability> {
    const service = this.requireService(serviceId);
    const now = this.clock.now();
    const status = this.hours.status(now);
    const issued = Number((await this.redis.hget(this.keys.stats(serviceId, this.today(now)), 'issued')) ?? 0);
    return { open: status.open, ...(status.nextOpen ? { nextOpen: status.nextOpen.at } : {}), quota: service.daily_quota, issued, remaining: Math.max(0, service.daily_quota - issued) };
  }

  async take(req: TakeRequest): Promise<{ ticket: TicketView; created: boolean }> {
    const service = this.requireService(req.serviceId);
    const group = this.groupOf.get(service.agency);
    if (!group) throw new QueueError('unknown_service', `service ${service.id} is in no queue group`);
    const now = this.clock.now();
    const status = this.hours.status(now);
    if (!status.open) throw new QueueError('closed', 'the MPP is closed now', status.nextOpen ? { nextOpen: status.nextOpen.at } : {});
    const day = this.today(now);
    const subject = req.citizen ? citizenSubject(req.citizen.channel, req.citizen.userKey) : '';
    const id = newTicketId();
    const ticketKey = this.keys.ticket(id);
    const idemKey = req.idempotencyKey ? this.keys.idem(`${day}:${req.idempotencyKey}`) : ticketKey;
    const keys = [this.keys.seq(group.id, day), this.keys.stats(service.id, day), this.keys.wait(service.id, day), this.keys.waitPriority(service.id, day), this.keys.citizen(subject || '-', day), idemKey, ticketKey, this.keys.events, this.keys.block(subject || '-'), this.keys.citizenTickets(subject || '-')];
    const args = [id, service.id, group.id, group.prefix, day, subject, req.priority ? '1' : '0', req.reserved ? Number.MAX_SAFE_INTEGER : service.daily_quota, this.policy.maxPerDay, now.getTime(), this.policy.retentionDays * 86400, DAY_TTL_SEC, req.checklist ? JSON.stringify(req.checklist) : '', (req.question ?? '').slice(0, 300), req.citizen?.channel ?? '', req.citizen?.userKey ?? '', IDEM_TTL_SEC, STATS_TTL_SEC, this.keys.ticketPrefix, EVENTS_MAX_LEN, req.source];
    const [outcome, value] = await this.redis.mppTake(keys.length, ...keys, ...args);
    switch (outcome) {
      case 'new':
      case 'existing': {
        const ticket = await this.get(String(value));
        if (!ticket) throw new QueueError('unknown_ticket', 'ticket vanished right after it was issued');
        return { ticket: await this.view(ticket), created: outcome === 'new' };
      }
      case 'blocked':
        throw new QueueError('blocked', 'too many no-shows', { until: new Date(now.getTime() + Number(value)) });
      case 'limit_reached':
        throw new QueueError('limit_reached', `at most ${this.policy.maxPerDay} tickets per citizen per day`);
      case 'quota_full':
        throw new QueueError('quota_full', `today's quota of ${service.daily_quota} is used up`, { quota: service.daily_quota, remaining: 0 });
      default:
        throw new Error(`unexpected take outcome ${outcome}`);
    }
  }

  async get(id: string): Promise<Ticket | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(id)) return undefined;
    return parseTicket(await this.redis.hgetall(this.keys.ticket(id)));
  }

  /** Position and wait estimate: people ahead, times the recent average service time, over open counters. */
  async view(ticket: Ticket): Promise<TicketView> {
    if (ticket.status !== 'waiting') return { ...ticket, ahead: 0, position: 0, etaMinutes: 0 };
    const day = ticket.day;
    const [regularAhead, priorityAhead, regularWaiting, priorityWaiting, durations] = await this.redis
      .multi()
      .zcount(this.keys.wait(ticket.serviceId, day), '-inf', `(${ticket.seq}`)
      .zcount(this.keys.waitPriority(ticket.serviceId, day), '-inf', `(${ticket.seq}`)
      .zcard(this.keys.wait(ticket.serviceId, day))
      .zcard(this.keys.waitPriority(ticket.serviceId, day))
      .lrange(this.keys.durations(ticket.serviceId, day), 0, -1)
      .exec()
      .then((r) => (r ?? []).map(([err, v]) => (err ? 0 : v)) as [number, number, number, number, string[]]);
    const every = this.policy.priorityEvery;
    // Priority tickets go ahead of regular ones, but only one after every N regular.
    const ahead = ticket.priority ? priorityAhead + Math.min(regularWaiting, every * (priorityAhead + 1)) : regularAhead + Math.min(priorityWaiting, every === 0 ? priorityWaiting : Math.ceil((regularAhead + 1) / every));
    const minutes = this.averageMinutes(ticket.serviceId, durations);
    const counters = Math.max(1, this.countersFor(ticket.serviceId).length);
    return { ...ticket, ahead, position: ahead + 1, etaMinutes: Math.ceil((ahead * minutes) / counters) };
  }

  /** Rolling average of today's real service times, or the catalogue's estimate before any. */
  private averageMinutes(serviceId: string, durations: string[]): number {
    const fallback = this.catalogue.services.get(serviceId)?.service_minutes ?? 10;
    const values = durations.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    if (values.length === 0) return fallback;
    return values.reduce((a, b) => a + b, 0) / values.length / 60_000;
  }

  /** Today's active tickets of a citizen on a channel. */
  async activeTickets(channel: string, userKey: string): Promise<TicketView[]> {
    const subject = citizenSubject(channel, userKey);
    const entries = await this.redis.hgetall(this.keys.citizen(subject, this.today()));
    const tickets: TicketView[] = [];
    for (const [field, id] of Object.entries(entries)) {
      if (field.startsWith('_')) continue;
      const ticket = await this.get(id);
      if (ticket && isActive(ticket.status)) tickets.push(await this.view(ticket));
    }
    return tickets.sort((a, b) => a.createdAt - b.createdAt);
  }

  async callNext(counterId: string): Promise<TicketView | undefined> {
    const services = this.servicesOf(counterId);
    if (services.length === 0) throw new QueueError('unknown_counter', `unknown counter ${counterId}`);
    const now = this.clock.now();
    const day = this.today(now);
    const keys = [this.keys.counter(counterId), this.keys.events, ...services.flatMap((s) => [this.keys.wait(s, day), this.keys.waitPriority(s, day)])];
    const [outcome, value] = await this.redis.mppCallNext(keys.length, ...keys, counterId, now.getTime(), this.policy.priorityEvery, this.keys.ticketPrefix, EVENTS_MAX_LEN, DAY_TTL_SEC, day);
    if (outcome === 'empty') return undefined;
    if (outcome === 'counter_busy') throw new QueueError('counter_busy', 'this counter still has a called or serving ticket', { ticketId: value });
    const ticket = await this.get(String(value));
    if (!ticket) throw new QueueError('unknown_ticket', 'called ticket vanished');
    return this.view(ticket);
  }

  /** recall, start, done, no-show, cancel: each checked against the ticket's current state. */
  async act(ticketId: string, action: TicketAction): Promise<Ticket> {
    return this.transition(ticketId, action);
  }

  /** Moves a ticket to another service's line, keeping its original place (its number). */
  async transfer(ticketId: string, serviceId: string): Promise<Ticket> {
    this.requireService(serviceId);
    return this.transition(ticketId, 'transfer', serviceId);
  }

  /** A citizen cancelling their own ticket: only tickets they hold. */
  async cancelOwn(ticketId: string, channel: string, userKey: string): Promise<Ticket> {
    const ticket = await this.get(ticketId);
    if (!ticket || ticket.subject !== citizenSubject(channel, userKey)) throw new QueueError('unknown_ticket', 'no such ticket for this citizen');
    return this.transition(ticketId, 'cancel');
  }

  private async transition(ticketId: string, action: TicketAction | 'transfer', target = ''): Promise<Ticket> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ticket = await this.get(ticketId);
      if (!ticket) throw new QueueError('unknown_ticket', `unknown ticket ${ticketId}`);
      const subject = ticket.subject || '-';
      const keys = [
        this.keys.ticket(ticket.id),
        this.keys.events,
        this.keys.counter(ticket.counter || '-'),
        this.keys.wait(ticket.serviceId, ticket.day),
        this.keys.waitPriority(ticket.serviceId, ticket.day),
        this.keys.stats(ticket.serviceId, ticket.day),
        this.keys.citizen(subject, ticket.day),
        this.keys.durations(ticket.serviceId, ticket.day),
        this.keys.noshows(subject),
        this.keys.block(subject),
        this.keys.wait(target || ticket.serviceId, ticket.day),
        this.keys.waitPriority(target || ticket.serviceId, ticket.day),
      ];
      const p = this.policy;
      const [outcome, value] = await this.redis.mppTransition(keys.length, ...keys, action, ticket.status, this.clock.now().getTime(), EVENTS_MAX_LEN, STATS_TTL_SEC, p.noshowLimit, p.noshowWindowDays * 86_400_000, p.blockDays * 86_400_000, target);
      if (outcome === 'ok') return (await this.get(ticketId))!;
      if (outcome === 'conflict') continue;
      if (outcome === 'illegal_transition') throw new QueueError('illegal_transition', `cannot ${action} a ticket that is ${value}`, { status: value });
      throw new QueueError('unknown_ticket', `unknown ticket ${ticketId}`);
    }
    throw new QueueError('illegal_transition', 'the ticket kept changing; try again');
  }

  /**
   * "Saya terlambat": the citizen moves back `places` in the line, once per ticket, and only for
   * their own waiting ticket. Returns how many places it actually moved (fewer near the end).
   */
  async postpone(ticketId: string, channel: string, userKey: string, places: number): Promise<number> {
    const ticket = await this.get(ticketId);
    if (!ticket || ticket.subject !== citizenSubject(channel, userKey)) throw new QueueError('unknown_ticket', 'no such ticket for this citizen');
    const line = ticket.priority ? this.keys.waitPriority(ticket.serviceId, ticket.day) : this.keys.wait(ticket.serviceId, ticket.day);
    const [outcome, value] = await this.redis.mppPostpone(3, this.keys.ticket(ticket.id), line, this.keys.events, places, this.clock.now().getTime(), EVENTS_MAX_LEN);
    if (outcome === 'ok') return Number(value);
    if (outcome === 'already_postponed') throw new QueueError('illegal_transition', 'this ticket was already moved back once', { status: 'postponed' });
    if (outcome === 'unknown_ticket') throw new QueueError('unknown_ticket', 'unknown ticket');
    throw new QueueError('illegal_transition', `cannot move back a ticket that is ${String(value)}`, { status: String(value) });
  }

  /** "Saya menuju": the citizen says they are on their way; staff see it on the console. */
  async markOnTheWay(ticketId: string, channel: string, userKey: string): Promise<Ticket> {
    const ticket = await this.get(ticketId);
    if (!ticket || ticket.subject !== citizenSubject(channel, userKey)) throw new QueueError('unknown_ticket', 'no such ticket for this citizen');
    await this.redis.hset(this.keys.ticket(ticket.id), 'onTheWay', String(this.clock.now().getTime()));
    return { ...ticket };
  }

  /**
   * "Hapus data saya" (UU 27/2022): cancels the citizen's active tickets and removes every link
   * from their tickets to them (address, question, checklist); numbers and daily counts stay.
   */
  async forgetCitizen(channel: string, userKey: string): Promise<{ tickets: number; cancelled: number }> {
    const subject = citizenSubject(channel, userKey);
    const ids = await this.redis.smembers(this.keys.citizenTickets(subject));
    let cancelled = 0;
    for (const id of ids) {
      const ticket = await this.get(id);
      if (ticket && (ticket.status === 'waiting' || ticket.status === 'called')) {
        await this.transition(id, 'cancel').then(() => cancelled++, () => undefined);
      }
      // Only existing tickets: HSET on an expired one would recreate it without a TTL.
      if (ticket) await this.redis.hset(this.keys.ticket(id), 'subject', '', 'channel', '', 'to', '', 'question', '', 'checklist', '');
    }
    const today = this.today();
    await this.redis.del(this.keys.citizenTickets(subject), this.keys.citizen(subject, today), this.keys.noshows(subject), this.keys.block(subject));
    return { tickets: ids.length, cancelled };
  }

  /** Staff lift a no-show block early. */
  async liftBlock(channel: string, userKey: string): Promise<boolean> {
    const subject = citizenSubject(channel, userKey);
    const removed = await this.redis.del(this.keys.block(subject), this.keys.noshows(subject));
    return removed > 0;
  }

  async isBlocked(channel: string, userKey: string): Promise<Date | undefined> {
    const ttl = await this.redis.pttl(this.keys.block(citizenSubject(channel, userKey)));
    return ttl > 0 ? new Date(this.clock.now().getTime() + ttl) : undefined;
  }

  /** The ticket a counter has called or is serving today, if any. */
  async atCounter(counterId: string): Promise<Ticket | undefined> {
    const id = await this.redis.hget(this.keys.counter(counterId), 'ticket');
    const ticket = id ? await this.get(id) : undefined;
    return ticket && ticket.counter === counterId && ticket.day === this.today() && (ticket.status === 'called' || ticket.status === 'serving') ? ticket : undefined;
  }

  /** Waiting tickets of a service today: priority line first, each oldest first (at most `limit` per line). */
  async waiting(serviceId: string, limit = 50): Promise<Ticket[]> {
    const day = this.today();
    const [priority, regular] = await Promise.all([this.redis.zrange(this.keys.waitPriority(serviceId, day), 0, limit - 1), this.redis.zrange(this.keys.wait(serviceId, day), 0, limit - 1)]);
    const tickets = await Promise.all([...priority, ...regular].map((id) => this.get(id)));
    return tickets.filter((t): t is Ticket => t !== undefined);
  }

  /** Today's tickets of a service that are still to be served: waiting (both lines) and called. */
  async pending(serviceId: string): Promise<Ticket[]> {
    const day = this.today();
    const [priority, regular] = await Promise.all([this.redis.zrange(this.keys.waitPriority(serviceId, day), 0, -1), this.redis.zrange(this.keys.wait(serviceId, day), 0, -1)]);
    const called = await Promise.all(this.countersFor(serviceId).map((c) => this.atCounter(c.id)));
    const waiting = await Promise.all([...priority, ...regular].map((id) => this.get(id)));
    return [...waiting, ...called].filter((t): t is Ticket => t !== undefined && t.serviceId === serviceId && (t.status === 'waiting' || t.status === 'called'));
  }

  /**
   * Puts a waiting ticket ahead of every ticket in its line taken after `since` (a booking's slot
   * start): the booked citizen keeps the place their slot promised. Returns how many it passed.
   */
  async placeAt(ticketId: string, since: Date): Promise<number> {
    const ticket = await this.get(ticketId);
    if (!ticket) throw new QueueError('unknown_ticket', 'unknown ticket');
    const line = ticket.priority ? this.keys.waitPriority(ticket.serviceId, ticket.day) : this.keys.wait(ticket.serviceId, ticket.day);
    const [outcome, value] = await this.redis.mppPlace(2, this.keys.ticket(ticket.id), line, since.getTime(), this.keys.ticketPrefix);
    if (outcome === 'ok') return Number(value);
    if (outcome === 'unknown_ticket') throw new QueueError('unknown_ticket', 'unknown ticket');
    throw new QueueError('illegal_transition', `cannot place a ticket that is ${String(value)}`, { status: String(value) });
  }

  /** Per service: waiting, remaining quota, now serving. No personal data. */
  async snapshot(): Promise<{ services: ServiceSnapshot[]; counters: CounterSnapshot[] }> {
    const day = this.today();
    const services = [...this.catalogue.services.values()];
    const pipe = this.redis.multi();
    for (const s of services) pipe.zcard(this.keys.wait(s.id, day)).zcard(this.keys.waitPriority(s.id, day)).hget(this.keys.stats(s.id, day), 'issued');
    for (const c of this.catalogue.mpp.counters) pipe.hget(this.keys.counter(c.id), 'ticket');
    const results = ((await pipe.exec()) ?? []).map(([err, v]) => (err ? null : v));
    const counters: CounterSnapshot[] = [];
    const base = services.length * 3;
    for (const [i, c] of this.catalogue.mpp.counters.entries()) {
      const id = results[base + i] as string | null;
      const ticket = id ? await this.get(id) : undefined;
      counters.push({ id: c.id, ...(ticket && ticket.day === day && (ticket.status === 'called' || ticket.status === 'serving') ? { current: { number: ticket.number, serviceId: ticket.serviceId, status: ticket.status, ...(ticket.calledAt ? { calledAt: ticket.calledAt } : {}) } } : {}) });
    }
    return {
      counters,
      services: services.map((s, i) => {
        const issued = Number(results[i * 3 + 2] ?? 0);
        return {
          serviceId: s.id,
          waiting: Number(results[i * 3]) + Number(results[i * 3 + 1]),
          quota: s.daily_quota,
          remainingQuota: Math.max(0, s.daily_quota - issued),
          nowServing: counters.filter((c) => c.current?.serviceId === s.id).map((c) => ({ number: c.current!.number, counter: c.id, status: c.current!.status })),
        };
      }),
    };
  }

  private requireService(serviceId: string) {
    const service = this.catalogue.services.get(serviceId);
    if (!service) throw new QueueError('unknown_service', `unknown service ${serviceId.slice(0, 80)}`);
    return service;
  }
}

function newTicketId(): string {
  // Letters first: job ids built from it must never be all digits (BullMQ rule).
  return 'tk' + randomBytes(8).toString('hex');
}
