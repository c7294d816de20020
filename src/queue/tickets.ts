import { randomBytes } from 'node:crypto';
import type { OpeningHours } from '../catalogue/hours.js';
import { citizenSubject } from '../citizen.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { Clock } from '../clock.js';
import type { QueueCommands } from './commands.js';
import type { QueueLayout } from './layout.js';
import type { QueuePolicy } from './policy.js';
import type { QueueReads } from './reads.js';
import { QueueError, type Ticket, type TicketAction, type TicketView } from './ticket.js';

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

/**
 * The queue's state changes: take, call, act on, move and place tickets. Each is one Lua script
 * (through `QueueCommands`), so any number of processes share the queue without handing out a
 * number twice, skipping one, or losing a ticket; a refused change is a `QueueError` with a code.
 */
export class TicketDesk {
  constructor(
    private readonly commands: QueueCommands,
    private readonly reads: QueueReads,
    private readonly layout: QueueLayout,
    private readonly hours: OpeningHours,
    private readonly clock: Clock,
    private readonly policy: QueuePolicy,
  ) {}

  async take(req: TakeRequest): Promise<{ ticket: TicketView; created: boolean }> {
    const service = this.layout.requireService(req.serviceId);
    const group = this.layout.group(service.agency);
    if (!group) throw new QueueError('unknown_service', `service ${service.id} is in no queue group`);
    const now = this.clock.now();
    const status = this.hours.status(now);
    if (!status.open) throw new QueueError('closed', 'the MPP is closed now', status.nextOpen ? { nextOpen: status.nextOpen.at } : {});
    const unverified = this.unverifiedLimits(req, service.daily_quota);
    const result = await this.commands.take({
      ticketId: newTicketId(),
      serviceId: service.id,
      group,
      day: this.layout.today(now),
      subject: req.citizen ? citizenSubject(req.citizen.channel, req.citizen.userKey) : '',
      channel: req.citizen?.channel ?? '',
      userKey: req.citizen?.userKey ?? '',
      priority: req.priority ?? false,
      quota: req.reserved ? Number.MAX_SAFE_INTEGER : service.daily_quota,
      maxPerDay: this.policy.maxPerDay,
      nowMs: now.getTime(),
      retentionSec: this.policy.retentionDays * 86400,
      // Answers stay with the service they answered: indexes mean nothing against another service.
      checklist: req.checklist ? JSON.stringify({ serviceId: service.id, ready: req.checklist.ready, missing: req.checklist.missing }) : '',
      question: storedQuestion(req.question),
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      source: req.source,
      ...(unverified ? { unverified } : {}),
    });
    switch (result.outcome) {
      case 'new':
      case 'existing': {
        const ticket = await this.reads.get(result.ticketId);
        if (!ticket) throw new QueueError('unknown_ticket', 'ticket vanished right after it was issued');
        return { ticket: await this.reads.view(ticket), created: result.outcome === 'new' };
      }
      case 'blocked':
        throw new QueueError('blocked', 'too many no-shows', { until: new Date(now.getTime() + result.blockedForMs) });
      case 'limit_reached':
        throw new QueueError('limit_reached', `at most ${this.policy.maxPerDay} tickets per citizen per day`);
      case 'quota_full':
        throw new QueueError('quota_full', `today's quota of ${service.daily_quota} is used up`, { quota: service.daily_quota, remaining: 0 });
      case 'web_share_full':
        throw new QueueError('web_share_full', `the web chat's share of today's quota (${unverified?.quota}) is used up`);
      case 'address_limit':
        throw new QueueError('address_limit', `at most ${unverified?.perAddress} web chat tickets per address per service per day`);
      default:
        return unreachable(result);
    }
  }

  /**
   * Gives an anonymous ticket (kiosk, walk-in) to a citizen on a chat channel, so its notices reach
   * them there; the first claim wins. `taken` when it is someone else's, `limit_reached` when the
   * citizen already holds an active ticket for that service.
   */
  async attach(ticketId: string, channel: string, userKey: string): Promise<TicketView> {
    const ticket = await this.reads.get(ticketId);
    if (!ticket) throw new QueueError('unknown_ticket', 'unknown ticket');
    const result = await this.commands.attach({ ticketId: ticket.id, day: ticket.day, subject: citizenSubject(channel, userKey), channel, userKey, retentionSec: this.policy.retentionDays * 86400 });
    switch (result.outcome) {
      case 'ok':
        return this.reads.view((await this.reads.get(ticket.id)) ?? ticket);
      case 'taken':
        throw new QueueError('claimed_by_other', 'this ticket already belongs to someone');
      case 'existing':
        throw new QueueError('limit_reached', 'the citizen already holds an active ticket for this service', { ticketId: result.ticketId });
      case 'illegal_transition':
        throw new QueueError('illegal_transition', `cannot attach a ticket that is ${result.status}`, { status: result.status });
      case 'unknown_ticket':
        throw new QueueError('unknown_ticket', 'unknown ticket');
      default:
        return unreachable(result);
    }
  }

  /** Remembers where an unverified citizen writes from (a keyed pseudonym of the address). */
  async noteOrigin(channel: string, userKey: string, origin: string): Promise<void> {
    await this.commands.noteOrigin(citizenSubject(channel, userKey), origin);
  }

  /** The limits on a ticket from an unverified channel; none for others, and none for a promised (booked) place. */
  unverifiedLimits(req: Pick<TakeRequest, 'citizen' | 'reserved'>, dailyQuota: number): { quota: number; perAddress: number } | undefined {
    const policy = this.policy.unverified;
    if (!policy || !req.citizen || req.reserved || !policy.channels.includes(req.citizen.channel)) return undefined;
    return { quota: Math.floor((dailyQuota * policy.quotaSharePercent) / 100), perAddress: policy.perAddress };
  }

  async callNext(counterId: string, officer?: string): Promise<TicketView | undefined> {
    const pool = this.layout.poolOf(counterId);
    if (!pool || pool.services.length === 0) throw new QueueError('unknown_counter', `unknown counter ${counterId}`);
    const now = this.clock.now();
    const result = await this.commands.callNext({ counterId, pool, day: this.layout.today(now), nowMs: now.getTime(), priorityEvery: this.policy.priorityEvery, ...(officer ? { officer } : {}) });
    switch (result.outcome) {
      case 'empty':
        return undefined;
      case 'counter_busy':
        throw new QueueError('counter_busy', 'this counter still has a called or serving ticket', { ticketId: result.ticketId });
      case 'called': {
        const ticket = await this.reads.get(result.ticketId);
        if (!ticket) throw new QueueError('unknown_ticket', 'called ticket vanished');
        return this.reads.view(ticket);
      }
      default:
        return unreachable(result);
    }
  }

  /** recall, start, done, no-show, cancel: each checked against the ticket's current state. */
  async act(ticketId: string, action: TicketAction): Promise<Ticket> {
    return this.transition(ticketId, action);
  }

  /**
   * Moves a ticket to another service's line. Within its numbering group it keeps its place (its
   * number); into another group's line it goes where its arrival time puts it (transition.lua).
   */
  async transfer(ticketId: string, serviceId: string): Promise<Ticket> {
    const service = this.layout.requireService(serviceId);
    const group = this.layout.group(service.agency);
    if (!group) throw new QueueError('unknown_service', `service ${service.id} is in no queue group`);
    return this.transition(ticketId, 'transfer', serviceId, group.id);
  }

  /** A citizen cancelling their own ticket: only tickets they hold. */
  async cancelOwn(ticketId: string, channel: string, userKey: string): Promise<Ticket> {
    await this.own(ticketId, channel, userKey);
    return this.transition(ticketId, 'cancel');
  }

  async transition(ticketId: string, action: TicketAction | 'transfer', target = '', targetGroup = ''): Promise<Ticket> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const ticket = await this.reads.get(ticketId);
      if (!ticket) throw new QueueError('unknown_ticket', `unknown ticket ${ticketId}`);
      const p = this.policy;
      const result = await this.commands.transition({
        ticket,
        action,
        ...(target ? { target } : {}),
        ...(targetGroup ? { transfer: { group: targetGroup, fromGroup: this.groupOf(ticket.serviceId), services: this.layout.poolsFor(target).flatMap((p) => p.services) } } : {}),
        nowMs: this.clock.now().getTime(),
        noshowLimit: p.noshowLimit,
        noshowWindowMs: p.noshowWindowDays * 86_400_000,
        blockMs: p.blockDays * 86_400_000,
      });
      switch (result.outcome) {
        case 'ok':
          return (await this.reads.get(ticketId))!;
        case 'conflict':
          continue;
        case 'illegal_transition':
          throw new QueueError('illegal_transition', `cannot ${action} a ticket that is ${result.status}`, { status: result.status });
        case 'unknown_ticket':
          throw new QueueError('unknown_ticket', `unknown ticket ${ticketId}`);
        default:
          return unreachable(result);
      }
    }
    throw new QueueError('illegal_transition', 'the ticket kept changing; try again');
  }

  /**
   * "Saya terlambat": the citizen moves back `places` in the call order, once per ticket, and only
   * for their own waiting ticket. Returns how many places it really moved (fewer near the end,
   * one more when a priority turn falls between) and the ticket with its new position.
   */
  async postpone(ticketId: string, channel: string, userKey: string, places: number): Promise<{ moved: number; ticket: TicketView }> {
    const ticket = await this.own(ticketId, channel, userKey);
    // Moved in the call order of the pool that will call it first (the one its position reads).
    const pool = await this.firstPool(ticket);
    const result = await this.commands.postpone({ ticketId: ticket.id, pool, day: ticket.day, places, nowMs: this.clock.now().getTime(), priorityEvery: this.policy.priorityEvery });
    switch (result.outcome) {
      case 'ok':
        return { moved: result.moved, ticket: await this.reads.view((await this.reads.get(ticket.id)) ?? ticket) };
      case 'already_postponed':
        throw new QueueError('illegal_transition', 'this ticket was already moved back once', { status: 'postponed' });
      case 'unknown_ticket':
        throw new QueueError('unknown_ticket', 'unknown ticket');
      case 'illegal_transition':
        throw new QueueError('illegal_transition', `cannot move back a ticket that is ${result.status}`, { status: result.status });
      default:
        return unreachable(result);
    }
  }

  /**
   * Puts a waiting ticket ahead of every ticket in its line taken after `since` (a booking's slot
   * start): the booked citizen keeps the place their slot promised. Returns how many it passed.
   */
  async placeAt(ticketId: string, since: Date): Promise<number> {
    const ticket = await this.reads.get(ticketId);
    if (!ticket) throw new QueueError('unknown_ticket', 'unknown ticket');
    const result = await this.commands.place({ ticketId: ticket.id, serviceId: ticket.serviceId, day: ticket.day, priority: ticket.priority, sinceMs: since.getTime() });
    switch (result.outcome) {
      case 'ok':
        return result.passed;
      case 'unknown_ticket':
        throw new QueueError('unknown_ticket', 'unknown ticket');
      case 'illegal_transition':
        throw new QueueError('illegal_transition', `cannot place a ticket that is ${result.status}`, { status: result.status });
      default:
        return unreachable(result);
    }
  }

  private groupOf(serviceId: string): string {
    const service = this.layout.catalogue.services.get(serviceId);
    return (service && this.layout.group(service.agency)?.id) ?? '';
  }

  private async firstPool(ticket: Ticket) {
    const pools = this.layout.poolsFor(ticket.serviceId);
    if (pools.length === 1) return pools[0]!;
    let best = { pool: pools[0]!, index: Infinity };
    for (const pool of pools) {
      const index = await this.commands.positionOf({ pool, day: ticket.day, priorityEvery: this.policy.priorityEvery, ticketId: ticket.id });
      if (index >= 0 && index < best.index) best = { pool, index };
    }
    return best.pool;
  }

  /** The citizen's own ticket, or `unknown_ticket` (never tell a stranger a ticket exists). */
  async own(ticketId: string, channel: string, userKey: string): Promise<Ticket> {
    const ticket = await this.reads.get(ticketId);
    if (!ticket || ticket.subject !== citizenSubject(channel, userKey)) throw new QueueError('unknown_ticket', 'no such ticket for this citizen');
    return ticket;
  }
}

/** Exhaustiveness: tsc fails here when a script gains an outcome its caller does not handle. */
function unreachable(outcome: never): never {
  throw new Error(`unhandled outcome ${JSON.stringify(outcome)}`);
}

/** Characters of the citizen's question kept on the ticket: enough for staff to see what they asked. */
const QUESTION_MAX_CHARS = 200;

/**
 * What the counter sees of the question the citizen typed: NIK, phone numbers and e-mail masked
 * (UU 27/2022: keep the least), cut to a sane length. Masked before cutting, so a cut never leaves
 * the head of a number in clear.
 */
function storedQuestion(text = ''): string {
  return maskPersonalData(text.slice(0, 2 * QUESTION_MAX_CHARS).replace(/\s+/g, ' ').trim()).slice(0, QUESTION_MAX_CHARS);
}

function newTicketId(): string {
  // Letters first: job ids built from it must never be all digits (BullMQ rule).
  return 'tk' + randomBytes(8).toString('hex');
}
