import path from 'node:path';
import type { Redis } from 'ioredis';
import { defineScripts, readLua, type ScriptSource } from '../redis/scripts.js';
import type { QueueKeys } from './keys.js';
import type { Pool } from './layout.js';
import { DAY_TTL_SEC, EVENTS_MAX_LEN, IDEM_TTL_SEC, ORIGIN_TTL_SEC, STATS_TTL_SEC } from './policy.js';
import type { TicketAction, TicketStatus } from './ticket.js';

/**
 * One typed wrapper per Lua script (BullMQ's `scripts.ts` pattern): named fields in, a tagged
 * outcome out. Only this file knows the scripts' KEYS and ARGV order; keep it in step with the
 * header comment of each script in `lua/`.
 */

export interface TakeInput {
  ticketId: string;
  serviceId: string;
  group: { id: string; prefix: string };
  day: string;
  /** Citizen subject ('' for an anonymous kiosk ticket). */
  subject: string;
  channel: string;
  userKey: string;
  priority: boolean;
  /** Daily quota of the service (a reserved check-in passes Number.MAX_SAFE_INTEGER). */
  quota: number;
  maxPerDay: number;
  nowMs: number;
  retentionSec: number;
  /** JSON of the checklist, or ''. */
  checklist: string;
  question: string;
  /** Idempotency key of the request, or undefined. */
  idempotencyKey?: string;
  source: string;
  /** Set for an unverified citizen (web chat): its share of the quota and the per-address cap. */
  unverified?: { quota: number; perAddress: number };
}
export type TakeOutcome =
  | { outcome: 'new' | 'existing'; ticketId: string }
  | { outcome: 'blocked'; blockedForMs: number }
  | { outcome: 'limit_reached' }
  | { outcome: 'quota_full' }
  | { outcome: 'web_share_full' }
  | { outcome: 'address_limit' };

export interface TakeVisitInput {
  visitId: string;
  day: string;
  subject: string;
  channel: string;
  userKey: string;
  priority: boolean;
  maxPerDay: number;
  nowMs: number;
  retentionSec: number;
  idempotencyKey?: string;
  source: string;
  /** Set for an unverified citizen: the per-address cap (each step's share of its quota is in `steps`). */
  unverified?: { perAddress: number };
  /** In the plan's order; distinct services. */
  steps: Array<{ ticketId: string; serviceId: string; group: { id: string; prefix: string }; quota: number; unverifiedQuota: number; checklist: string }>;
}
export type TakeVisitOutcome =
  | { outcome: 'new' | 'existing'; visitId: string }
  | { outcome: 'blocked'; blockedForMs: number }
  | { outcome: 'limit_reached' }
  | { outcome: 'has_ticket'; serviceId: string; ticketId: string }
  | { outcome: 'quota_full' | 'web_share_full' | 'address_limit'; serviceId: string };

export interface CancelVisitInput {
  visitId: string;
  day: string;
  subject: string;
  nowMs: number;
  steps: Array<{ id: string; serviceId: string; counter: string; status: TicketStatus | 'gone' }>;
}
export type CancelVisitOutcome = { outcome: 'ok'; cancelled: number; kept: number } | { outcome: 'conflict'; status: string } | { outcome: 'unknown_visit' };

export interface CallNextInput {
  counterId: string;
  /** The counter's pool: its lines and its shared priority count. */
  pool: Pool;
  day: string;
  nowMs: number;
  priorityEvery: number;
  /** The staff member calling (their username), kept on the ticket for the report's per-officer totals. */
  officer?: string;
}
export type CallNextOutcome = { outcome: 'called'; ticketId: string } | { outcome: 'empty' } | { outcome: 'counter_busy'; ticketId: string };

export interface TransitionInput {
  ticket: { id: string; serviceId: string; day: string; subject: string; counter: string; status: TicketStatus; visit?: { id: string } | undefined };
  action: TicketAction | 'transfer';
  /** Target service of a transfer. */
  target?: string;
  /**
   * A transfer's target: its numbering group, the ticket's group when the ticket hash has none,
   * and the services whose lines share a call order with the target's (the target's pools): a
   * ticket from another group is placed among their waiting tickets by its arrival time.
   */
  transfer?: { group: string; fromGroup: string; services: string[] };
  nowMs: number;
  noshowLimit: number;
  noshowWindowMs: number;
  blockMs: number;
}
export type TransitionOutcome = { outcome: 'ok'; status: TicketStatus } | { outcome: 'conflict'; status: string } | { outcome: 'illegal_transition'; status: string } | { outcome: 'unknown_ticket' };

export interface LineInput {
  ticketId: string;
  serviceId: string;
  day: string;
  priority: boolean;
}
export interface PostponeInput {
  ticketId: string;
  /** The pool whose call order the ticket moves back in. */
  pool: Pool;
  day: string;
  places: number;
  nowMs: number;
  priorityEvery: number;
}
export interface OrderInput {
  pool: Pool;
  day: string;
  priorityEvery: number;
  /** How many from the head (-1: all). */
  limit: number;
}
export type PostponeOutcome = { outcome: 'ok'; moved: number; ahead: number } | { outcome: 'already_postponed' } | { outcome: 'illegal_transition'; status: string } | { outcome: 'unknown_ticket' };
export type PlaceOutcome = { outcome: 'ok'; passed: number } | { outcome: 'illegal_transition'; status: string } | { outcome: 'unknown_ticket' };

export interface CallTicketInput {
  counterId: string;
  ticket: { id: string; serviceId: string; subject: string };
  day: string;
  nowMs: number;
  /** Why this ticket before the call order's head (validated, no personal data). */
  reason: string;
  officer: string;
  logTtlSec: number;
}
export type CallTicketOutcome =
  | { outcome: 'called'; ticketId: string }
  | { outcome: 'counter_busy'; ticketId: string }
  | { outcome: 'citizen_busy'; ticketId: string }
  | { outcome: 'counter_not_open'; status: string }
  | { outcome: 'illegal_transition'; status: string }
  | { outcome: 'unknown_ticket' };

export interface UndoDoneInput {
  ticket: { id: string; serviceId: string; day: string; subject: string; counter: string };
  nowMs: number;
  windowMs: number;
}
export type UndoDoneOutcome = { outcome: 'ok' } | { outcome: 'undo_expired'; doneAt: number } | { outcome: 'counter_busy' | 'citizen_busy'; ticketId: string } | { outcome: 'illegal_transition'; status: string } | { outcome: 'unknown_ticket' };

export interface AttachInput {
  ticketId: string;
  day: string;
  subject: string;
  channel: string;
  userKey: string;
  retentionSec: number;
}
export type AttachOutcome = { outcome: 'ok' } | { outcome: 'taken' } | { outcome: 'existing'; ticketId: string } | { outcome: 'illegal_transition'; status: string } | { outcome: 'unknown_ticket' };

type Reply = [string, (string | number)?, (string | number)?];
interface Scripts {
  mppTake(...args: Array<string | number>): Promise<Reply>;
  mppTakeVisit(...args: Array<string | number>): Promise<Reply>;
  mppCancelVisit(...args: Array<string | number>): Promise<Reply>;
  mppCallNext(...args: Array<string | number>): Promise<Reply>;
  mppTransition(...args: Array<string | number>): Promise<Reply>;
  mppPostpone(...args: Array<string | number>): Promise<Reply>;
  mppPlace(...args: Array<string | number>): Promise<Reply>;
  mppAttach(...args: Array<string | number>): Promise<Reply>;
  mppPosition(...args: Array<string | number>): Promise<string[] | number>;
  mppCallTicket(...args: Array<string | number>): Promise<Reply>;
  mppUndoDone(...args: Array<string | number>): Promise<Reply>;
  mppNote(...args: Array<string | number>): Promise<Reply>;
}

const lua = (name: string) => readLua(path.join(import.meta.dirname, 'lua'), name);
/** The calling policy (lua/order.lua) is prepended to every script that calls, moves or places by it. */
const withOrder = (name: string) => `${lua('order')}\n${lua(name)}`;
/** The one-counter-one-citizen checks (lua/busy.lua), prepended to every script that puts a ticket at a counter. */
const withBusy = (source: string) => `${lua('busy')}\n${source}`;
const sources: Record<keyof Scripts, ScriptSource> = {
  mppTake: { lua: lua('take') },
  mppTakeVisit: { lua: lua('take-visit') },
  mppCancelVisit: { lua: lua('cancel-visit') },
  mppCallNext: { lua: withBusy(withOrder('call-next')) },
  mppTransition: { lua: lua('transition') },
  mppPostpone: { lua: withOrder('postpone') },
  mppPlace: { lua: lua('place') },
  mppAttach: { lua: lua('attach') },
  mppPosition: { lua: withOrder('position') },
  mppCallTicket: { lua: withBusy(lua('call-ticket')) },
  mppUndoDone: { lua: withBusy(lua('undo-done')) },
  mppNote: { lua: lua('note'), numberOfKeys: 1 },
};

/** A script answered something its wrapper does not know: the Lua and this file disagree. */
export class UnexpectedScriptReply extends Error {
  constructor(script: string, reply: unknown) {
    super(`${script}: unexpected reply ${JSON.stringify(reply)}`);
    this.name = 'UnexpectedScriptReply';
  }
}

/** The queue's Lua scripts, loaded once per connection as ioredis commands (EVALSHA after the first call). */
export class QueueCommands {
  private readonly redis: Redis & Scripts;

  constructor(
    redis: Redis,
    private readonly keys: QueueKeys,
  ) {
    this.redis = defineScripts<Scripts>(redis, sources);
  }

  async take(i: TakeInput): Promise<TakeOutcome> {
    const k = this.keys;
    const who = i.subject || '-';
    const ticketKey = k.ticket(i.ticketId);
    const keys = [k.seq(i.group.id, i.day), k.stats(i.serviceId, i.day), k.wait(i.serviceId, i.day), k.waitPriority(i.serviceId, i.day), k.citizen(who, i.day), i.idempotencyKey ? k.idem(`${i.day}:${i.idempotencyKey}`) : ticketKey, ticketKey, k.events, k.block(who), k.citizenTickets(who), k.origin(who)];
    const u = i.unverified;
    const args = [i.ticketId, i.serviceId, i.group.id, i.group.prefix, i.day, i.subject, i.priority ? '1' : '0', i.quota, i.maxPerDay, i.nowMs, i.retentionSec, DAY_TTL_SEC, i.checklist, i.question, i.channel, i.userKey, IDEM_TTL_SEC, STATS_TTL_SEC, k.ticketPrefix, EVENTS_MAX_LEN, i.source, u ? '1' : '0', u?.quota ?? 0, u?.perAddress ?? 0, k.addressCountPrefix(i.serviceId, i.day)];
    const reply = await this.redis.mppTake(keys.length, ...keys, ...args);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'new':
      case 'existing':
        return { outcome, ticketId: String(value) };
      case 'blocked':
        return { outcome, blockedForMs: Number(value) };
      case 'limit_reached':
      case 'quota_full':
      case 'web_share_full':
      case 'address_limit':
        return { outcome };
    }
    throw new UnexpectedScriptReply('take', reply);
  }

  /** Takes every step of a visit, all or nothing (lua/take-visit.lua). */
  async takeVisit(i: TakeVisitInput): Promise<TakeVisitOutcome> {
    const k = this.keys;
    const who = i.subject || '-';
    const visitKey = k.visit(i.visitId);
    const keys = [k.citizen(who, i.day), i.idempotencyKey ? k.idem(`${i.day}:visit:${i.idempotencyKey}`) : visitKey, visitKey, k.events, k.block(who), k.citizenTickets(who), k.origin(who), k.visitsOfDay(i.day)];
    const args: Array<string | number> = [i.visitId, i.day, i.subject, i.channel, i.userKey, i.priority ? '1' : '0', i.maxPerDay, i.nowMs, i.retentionSec, DAY_TTL_SEC, IDEM_TTL_SEC, STATS_TTL_SEC, k.ticketPrefix, EVENTS_MAX_LEN, i.source, i.unverified ? '1' : '0', i.unverified?.perAddress ?? 0, i.steps.length, i.steps.map((s) => s.serviceId).join(','), k.visitPrefix, i.steps.map((s) => s.serviceId).sort().join(',')];
    for (const s of i.steps) {
      keys.push(k.seq(s.group.id, i.day), k.stats(s.serviceId, i.day), k.wait(s.serviceId, i.day), k.waitPriority(s.serviceId, i.day), k.ticket(s.ticketId));
      args.push(s.ticketId, s.serviceId, s.group.id, s.group.prefix, s.quota, s.unverifiedQuota, k.addressCountPrefix(s.serviceId, i.day), s.checklist);
    }
    const reply = await this.redis.mppTakeVisit(keys.length, ...keys, ...args);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'new':
      case 'existing':
        return { outcome, visitId: String(value) };
      case 'blocked':
        return { outcome, blockedForMs: Number(value) };
      case 'limit_reached':
        return { outcome };
      case 'has_ticket':
        return { outcome, serviceId: String(value), ticketId: String(reply[2]) };
      case 'quota_full':
      case 'web_share_full':
      case 'address_limit':
        return { outcome, serviceId: String(value) };
    }
    throw new UnexpectedScriptReply('take-visit', reply);
  }

  /** Cancels every waiting or called step of a visit at once (lua/cancel-visit.lua). */
  async cancelVisit(i: CancelVisitInput): Promise<CancelVisitOutcome> {
    const k = this.keys;
    const keys = [k.visit(i.visitId), k.events, k.citizen(i.subject || '-', i.day)];
    for (const s of i.steps) keys.push(k.ticket(s.id), k.wait(s.serviceId, i.day), k.waitPriority(s.serviceId, i.day), k.stats(s.serviceId, i.day), k.counter(s.counter || '-'));
    const reply = await this.redis.mppCancelVisit(keys.length, ...keys, i.nowMs, EVENTS_MAX_LEN, STATS_TTL_SEC, i.steps.length, ...i.steps.map((s) => s.status));
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
        return { outcome, cancelled: Number(value), kept: Number(reply[2]) };
      case 'conflict':
        return { outcome, status: String(value) };
      case 'unknown_visit':
        return { outcome };
    }
    throw new UnexpectedScriptReply('cancel-visit', reply);
  }

  /** Remembers the address pseudonym an unverified citizen writes from, for `take`'s per-address cap. */
  async noteOrigin(subject: string, origin: string): Promise<void> {
    await this.redis.set(this.keys.origin(subject), origin, 'EX', ORIGIN_TTL_SEC);
  }

  /** Gives an anonymous ticket to a citizen on a channel (a kiosk ticket claimed from its tracking page). */
  async attach(i: AttachInput): Promise<AttachOutcome> {
    const k = this.keys;
    const keys = [k.ticket(i.ticketId), k.citizen(i.subject, i.day), k.citizenTickets(i.subject)];
    const reply = await this.redis.mppAttach(keys.length, ...keys, i.subject, i.channel, i.userKey, DAY_TTL_SEC, i.retentionSec, k.ticketPrefix);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
      case 'taken':
      case 'unknown_ticket':
        return { outcome };
      case 'existing':
        return { outcome, ticketId: String(value) };
      case 'illegal_transition':
        return { outcome, status: String(value) };
    }
    throw new UnexpectedScriptReply('attach', reply);
  }

  async callNext(i: CallNextInput): Promise<CallNextOutcome> {
    const k = this.keys;
    const keys = [k.counter(i.counterId), k.events, k.pool(i.pool.id, i.day), ...this.lines(i.pool, i.day)];
    const reply = await this.redis.mppCallNext(keys.length, ...keys, i.counterId, i.nowMs, i.priorityEvery, k.ticketPrefix, EVENTS_MAX_LEN, DAY_TTL_SEC, i.day, k.citizenPrefix, i.officer ?? '');
    const [outcome, value] = reply;
    switch (outcome) {
      case 'called':
      case 'counter_busy':
        return { outcome, ticketId: String(value) };
      case 'empty':
        return { outcome };
    }
    throw new UnexpectedScriptReply('call-next', reply);
  }

  async transition(i: TransitionInput): Promise<TransitionOutcome> {
    const k = this.keys;
    const t = i.ticket;
    const who = t.subject || '-';
    const target = i.target || t.serviceId;
    const keys = [k.ticket(t.id), k.events, k.counter(t.counter || '-'), k.wait(t.serviceId, t.day), k.waitPriority(t.serviceId, t.day), k.stats(t.serviceId, t.day), k.citizen(who, t.day), k.durations(t.serviceId, t.day), k.noshows(who), k.block(who), k.wait(target, t.day), k.waitPriority(target, t.day), t.visit ? k.visit(t.visit.id) : k.ticket(t.id)];
    const x = i.transfer;
    if (x) for (const s of new Set([target, ...x.services])) keys.push(k.wait(s, t.day), k.waitPriority(s, t.day));
    const reply = await this.redis.mppTransition(keys.length, ...keys, i.action, t.status, i.nowMs, EVENTS_MAX_LEN, STATS_TTL_SEC, i.noshowLimit, i.noshowWindowMs, i.blockMs, i.target ?? '', k.ticketPrefix, x?.group ?? '', x?.fromGroup ?? '');
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
        return { outcome, status: String(value) as TicketStatus };
      case 'conflict':
      case 'illegal_transition':
        return { outcome, status: String(value) };
      case 'unknown_ticket':
        return { outcome };
    }
    throw new UnexpectedScriptReply('transition', reply);
  }

  async postpone(i: PostponeInput): Promise<PostponeOutcome> {
    const keys = [this.keys.ticket(i.ticketId), this.keys.events, this.keys.pool(i.pool.id, i.day), ...this.lines(i.pool, i.day)];
    const reply = await this.redis.mppPostpone(keys.length, ...keys, i.places, i.nowMs, EVENTS_MAX_LEN, i.priorityEvery);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
        return { outcome, moved: Number(value), ahead: Number(reply[2]) };
      case 'illegal_transition':
        return { outcome, status: String(value) };
      case 'already_postponed':
      case 'unknown_ticket':
        return { outcome };
    }
    throw new UnexpectedScriptReply('postpone', reply);
  }

  async place(i: LineInput & { sinceMs: number }): Promise<PlaceOutcome> {
    const reply = await this.redis.mppPlace(2, this.keys.ticket(i.ticketId), this.line(i), i.sinceMs, this.keys.ticketPrefix);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
        return { outcome, passed: Number(value) };
      case 'illegal_transition':
        return { outcome, status: String(value) };
      case 'unknown_ticket':
        return { outcome };
    }
    throw new UnexpectedScriptReply('place', reply);
  }

  /** Waiting ticket ids of a pool in the order its counters will call them. */
  async order(i: OrderInput): Promise<string[]> {
    const keys = [this.keys.pool(i.pool.id, i.day), ...this.lines(i.pool, i.day)];
    return (await this.redis.mppPosition(keys.length, ...keys, i.priorityEvery, i.limit, '')) as string[];
  }

  /** How many the pool will call before this ticket (its index in the call order), or -1 when it is not waiting there. */
  async positionOf(i: Omit<OrderInput, 'limit'> & { ticketId: string }): Promise<number> {
    const keys = [this.keys.pool(i.pool.id, i.day), ...this.lines(i.pool, i.day)];
    return Number(await this.redis.mppPosition(keys.length, ...keys, i.priorityEvery, -1, i.ticketId));
  }

  /** Calls one waiting ticket at a counter out of order, logging the reason. */
  async callTicket(i: CallTicketInput): Promise<CallTicketOutcome> {
    const k = this.keys;
    const keys = [k.counter(i.counterId), k.events, k.ticket(i.ticket.id), k.wait(i.ticket.serviceId, i.day), k.waitPriority(i.ticket.serviceId, i.day), k.counterStatus(i.day), k.outOfOrder(i.day), k.citizen(i.ticket.subject || '-', i.day)];
    const reply = await this.redis.mppCallTicket(keys.length, ...keys, i.counterId, i.nowMs, k.ticketPrefix, EVENTS_MAX_LEN, DAY_TTL_SEC, i.day, i.reason, i.officer, i.logTtlSec);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'called':
      case 'counter_busy':
      case 'citizen_busy':
        return { outcome, ticketId: String(value) };
      case 'counter_not_open':
      case 'illegal_transition':
        return { outcome, status: String(value) };
      case 'unknown_ticket':
        return { outcome };
    }
    throw new UnexpectedScriptReply('call-ticket', reply);
  }

  /** Puts a ticket finished within `windowMs` back to serving at its counter, correcting the day's counts. */
  async undoDone(i: UndoDoneInput): Promise<UndoDoneOutcome> {
    const k = this.keys;
    const t = i.ticket;
    const keys = [k.ticket(t.id), k.events, k.counter(t.counter || '-'), k.stats(t.serviceId, t.day), k.durations(t.serviceId, t.day), k.citizen(t.subject || '-', t.day), k.counterServed(t.day)];
    const reply = await this.redis.mppUndoDone(keys.length, ...keys, i.nowMs, i.windowMs, EVENTS_MAX_LEN, DAY_TTL_SEC, k.ticketPrefix, STATS_TTL_SEC);
    const [outcome, value] = reply;
    switch (outcome) {
      case 'ok':
      case 'unknown_ticket':
        return { outcome };
      case 'undo_expired':
        return { outcome, doneAt: Number(value) };
      case 'counter_busy':
      case 'citizen_busy':
        return { outcome, ticketId: String(value) };
      case 'illegal_transition':
        return { outcome, status: String(value) };
    }
    throw new UnexpectedScriptReply('undo-done', reply);
  }

  /** Sets the officer's outcome and note on an existing ticket; false when the ticket is gone. */
  async note(ticketId: string, outcome: string, note: string): Promise<boolean> {
    const [result] = await this.redis.mppNote(this.keys.ticket(ticketId), outcome, note);
    return result === 'ok';
  }

  private lines(pool: Pool, day: string): string[] {
    return pool.services.flatMap((s) => [this.keys.wait(s, day), this.keys.waitPriority(s, day)]);
  }

  private line(i: LineInput): string {
    return i.priority ? this.keys.waitPriority(i.serviceId, i.day) : this.keys.wait(i.serviceId, i.day);
  }
}
