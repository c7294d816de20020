import type { Redis } from 'ioredis';
import type { OpeningHours } from '../catalogue/hours.js';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import type { QueueCommands } from './commands.js';
import type { QueueKeys } from './keys.js';
import type { QueueLayout } from './layout.js';
import { parseDayDetail, type ServiceDayCounts, type ServiceDayDetail } from './day-detail.js';
import { isActive, parseTicket, type Ticket, type TicketView } from './ticket.js';

/** The catalogue's service-time estimate weighs as this many real service times in the wait estimate. */
const PRIOR_SAMPLES = 5;
/** The wait estimate never takes a service as shorter than this share of the catalogue's estimate. */
const MIN_ESTIMATE_SHARE = 0.25;

export interface Availability {
  open: boolean;
  nextOpen?: Date;
  quota: number;
  issued: number;
  remaining: number;
  /** Every counter of the service is on a break (or closed) right now: a ticket taken now waits for them. */
  servingPaused?: 'break' | 'closed';
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

export type { ServiceDayCounts };
const COUNT_FIELDS = ['issued', 'served', 'noshow', 'cancelled', 'waitMs', 'serviceMs'] as const;

/** Read models of the queue: a ticket and its place, a citizen's tickets, a counter, the board, the day's counts. */
export class QueueReads {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly commands: QueueCommands,
    private readonly layout: QueueLayout,
    private readonly hours: OpeningHours,
    private readonly clock: Clock,
    private readonly priorityEvery: number,
  ) {}

  async get(id: string): Promise<Ticket | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(id)) return undefined;
    return parseTicket(await this.redis.hgetall(this.keys.ticket(id)));
  }

  async availability(serviceId: string): Promise<Availability> {
    const service = this.layout.requireService(serviceId);
    const now = this.clock.now();
    const status = this.hours.status(now);
    const day = this.layout.today(now);
    const [issuedRaw, paused] = await Promise.all([this.redis.hget(this.keys.stats(serviceId, day), 'issued'), this.redis.hgetall(this.keys.counterStatus(day))]);
    const issued = Number(issuedRaw ?? 0);
    const servingPaused = pausedOf(this.layout.countersFor(serviceId), paused);
    return { open: status.open, ...(status.nextOpen ? { nextOpen: status.nextOpen.at } : {}), quota: service.daily_quota, issued, remaining: Math.max(0, service.daily_quota - issued), ...(servingPaused ? { servingPaused } : {}) };
  }

  /**
   * Position and wait estimate. Position is the number of tickets the calling policy will call
   * before this one: its index in its pool's call order (lua/order.lua, the rules call-next uses),
   * the earliest when several pools serve its service. The card, "antrean saya", the "N orang
   * lagi" notice and the "saya terlambat" reply all read it here.
   */
  async view(ticket: Ticket): Promise<TicketView> {
    if (ticket.status !== 'waiting') return { ...ticket, ahead: 0, position: 0, etaMinutes: 0 };
    const [ahead, durations, paused] = await Promise.all([this.ahead(ticket), this.redis.lrange(this.keys.durations(ticket.serviceId, ticket.day), 0, -1), this.redis.hgetall(this.keys.counterStatus(ticket.day))]);
    const minutes = this.averageMinutes(ticket.serviceId, durations);
    // Counters on a break or closed serve no one: only open ones count as capacity.
    const all = this.layout.countersFor(ticket.serviceId);
    const open = all.filter((c) => !paused[c.id]);
    const eta = Math.ceil((ahead * minutes) / Math.max(1, open.length || all.length));
    const servingPaused = pausedOf(all, paused);
    if (servingPaused) return { ...ticket, ahead, position: ahead + 1, etaMinutes: eta, servingPaused };
    return { ...ticket, ahead, position: ahead + 1, etaMinutes: eta };
  }

  /** The tickets next in line for a service, each with its position: the heads of its pools' call orders. */
  async nextInLine(serviceId: string, limit: number): Promise<TicketView[]> {
    const day = this.layout.today();
    const ids = new Set<string>();
    for (const pool of this.layout.poolsFor(serviceId)) for (const id of await this.commands.order({ pool, day, priorityEvery: this.priorityEvery, limit })) ids.add(id);
    const views: TicketView[] = [];
    for (const id of ids) {
      const ticket = await this.get(id);
      if (ticket?.status === 'waiting') views.push(await this.view(ticket));
    }
    return views.sort((a, b) => a.ahead - b.ahead);
  }

  private async ahead(ticket: Ticket): Promise<number> {
    let best: number | undefined;
    for (const pool of this.layout.poolsFor(ticket.serviceId)) {
      const index = await this.commands.positionOf({ pool, day: ticket.day, priorityEvery: this.priorityEvery, ticketId: ticket.id });
      if (index >= 0 && (best === undefined || index < best)) best = index;
    }
    return best ?? 0;
  }

  /**
   * Minutes a service takes: today's last real service times (at most 20) averaged with the
   * catalogue's estimate counted as PRIOR_SAMPLES of them, and never under MIN_ESTIMATE_SHARE of
   * it: a few quick services in the morning must not promise "± 1 menit" to the 29th in line.
   */
  private averageMinutes(serviceId: string, durations: string[]): number {
    const estimate = this.layout.catalogue.services.get(serviceId)?.service_minutes ?? 10;
    const values = durations.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    const observed = values.reduce((a, b) => a + b, 0) / 60_000;
    const blended = (observed + estimate * PRIOR_SAMPLES) / (values.length + PRIOR_SAMPLES);
    return Math.max(estimate * MIN_ESTIMATE_SHARE, blended);
  }

  /** Today's active tickets of a citizen on a channel. */
  async activeTickets(channel: string, userKey: string): Promise<TicketView[]> {
    const subject = citizenSubject(channel, userKey);
    const entries = await this.redis.hgetall(this.keys.citizen(subject, this.layout.today()));
    const tickets: TicketView[] = [];
    for (const [field, id] of Object.entries(entries)) {
      if (field.startsWith('_')) continue;
      const ticket = await this.get(id);
      if (ticket && isActive(ticket.status)) tickets.push(await this.view(ticket));
    }
    return tickets.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The ticket a counter has called or is serving today, if any. */
  async atCounter(counterId: string): Promise<Ticket | undefined> {
    const id = await this.redis.hget(this.keys.counter(counterId), 'ticket');
    const ticket = id ? await this.get(id) : undefined;
    return ticket && ticket.counter === counterId && ticket.day === this.layout.today() && (ticket.status === 'called' || ticket.status === 'serving') ? ticket : undefined;
  }

  /** Waiting tickets of a service today: priority line first, each oldest first (at most `limit` per line). */
  async waiting(serviceId: string, limit = 50): Promise<Ticket[]> {
    const day = this.layout.today();
    const [priority, regular] = await Promise.all([this.redis.zrange(this.keys.waitPriority(serviceId, day), 0, limit - 1), this.redis.zrange(this.keys.wait(serviceId, day), 0, limit - 1)]);
    const tickets = await Promise.all([...priority, ...regular].map((id) => this.get(id)));
    return tickets.filter((t): t is Ticket => t !== undefined);
  }

  /** Today's tickets of a service that are still to be served: waiting (both lines) and called. */
  async pending(serviceId: string): Promise<Ticket[]> {
    const day = this.layout.today();
    const [priority, regular] = await Promise.all([this.redis.zrange(this.keys.waitPriority(serviceId, day), 0, -1), this.redis.zrange(this.keys.wait(serviceId, day), 0, -1)]);
    const called = await Promise.all(this.layout.countersFor(serviceId).map((c) => this.atCounter(c.id)));
    const waiting = await Promise.all([...priority, ...regular].map((id) => this.get(id)));
    return [...waiting, ...called].filter((t): t is Ticket => t !== undefined && t.serviceId === serviceId && (t.status === 'waiting' || t.status === 'called'));
  }

  /** Per service: waiting, remaining quota, now serving. No personal data. */
  async snapshot(): Promise<{ services: ServiceSnapshot[]; counters: CounterSnapshot[] }> {
    const day = this.layout.today();
    const { catalogue } = this.layout;
    const services = [...catalogue.services.values()];
    const pipe = this.redis.multi();
    for (const s of services) pipe.zcard(this.keys.wait(s.id, day)).zcard(this.keys.waitPriority(s.id, day)).hget(this.keys.stats(s.id, day), 'issued');
    for (const c of catalogue.mpp.counters) pipe.hget(this.keys.counter(c.id), 'ticket');
    const results = ((await pipe.exec()) ?? []).map(([err, v]) => (err ? null : v));
    const counters: CounterSnapshot[] = [];
    const base = services.length * 3;
    for (const [i, c] of catalogue.mpp.counters.entries()) {
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

  /** The daily counts of many services for one day, in one round trip (the operator report). */
  async dayCounts(serviceIds: readonly string[], day: string): Promise<Map<string, ServiceDayCounts>> {
    const pipe = this.redis.pipeline();
    for (const id of serviceIds) pipe.hgetall(this.keys.stats(id, day));
    const replies = (await pipe.exec()) ?? [];
    return new Map(
      serviceIds.map((id, i) => {
        const raw = (replies[i]?.[1] ?? {}) as Record<string, string>;
        return [id, Object.fromEntries(COUNT_FIELDS.map((c) => [c, Number(raw[c] ?? 0)])) as unknown as ServiceDayCounts];
      }),
    );
  }

  /** The stats hashes of many services and days in one round trip, with their report detail. */
  async dayDetails(serviceIds: readonly string[], days: readonly string[]): Promise<ServiceDayDetail[]> {
    const pipe = this.redis.pipeline();
    for (const day of days) for (const id of serviceIds) pipe.hgetall(this.keys.stats(id, day));
    const replies = (await pipe.exec()) ?? [];
    let i = 0;
    return days.flatMap((day) => serviceIds.map((serviceId) => parseDayDetail(serviceId, day, (replies[i++]?.[1] ?? {}) as Record<string, string>)));
  }
}

/** 'break' or 'closed' when no counter of the list is open (a break when any is only on a break). */
function pausedOf(counters: ReadonlyArray<{ id: string }>, paused: Record<string, string>): 'break' | 'closed' | undefined {
  if (counters.length === 0 || counters.some((c) => !paused[c.id])) return undefined;
  return counters.some((c) => paused[c.id] === 'break') ? 'break' : 'closed';
}
