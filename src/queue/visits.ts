import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { OpeningHours } from '../catalogue/hours.js';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import type { QueueCommands } from './commands.js';
import type { QueueKeys } from './keys.js';
import type { QueueLayout } from './layout.js';
import { MAX_VISIT_STEPS, type QueuePolicy } from './policy.js';
import type { QueueReads } from './reads.js';
import { isActive, QueueError, type Ticket, type TicketStatus, type TicketView } from './ticket.js';
import type { TicketDesk } from './tickets.js';

export interface TakeVisitRequest {
  /** The services in the plan's order (`planVisit(...).steps`), distinct. */
  serviceIds: readonly string[];
  /** Who takes it; absent for an anonymous kiosk visit. */
  citizen?: { channel: string; userKey: string };
  priority?: boolean;
  /** Checklist answers per service id, as for a single ticket. */
  checklists?: Readonly<Record<string, { ready: number[]; missing: number[] }>>;
  /** Same key twice gives the same visit (retries of one request). */
  idempotencyKey?: string;
  source: string;
}

/** One step of a visit as the citizen, the chat and the console read it. */
export interface VisitStepView {
  step: number;
  ticketId: string;
  number: string;
  serviceId: string;
  status: TicketStatus;
  /** Not callable yet: an earlier step is still open. */
  held: boolean;
  /** The counter that called it (while called or serving). */
  counter: string;
  /** Counters (content) that serve its service: where to go. */
  counters: string[];
  /** People the counters call before it (counted for a held step too: its place is kept). */
  ahead: number;
  /** 1-based place while waiting, 0 otherwise. */
  position: number;
  etaMinutes: number;
}

export interface VisitView {
  id: string;
  day: string;
  steps: VisitStepView[];
  /** The first step still open (waiting, called or serving), or null when the visit is over. */
  current: VisitStepView | null;
  /** The open step after `current`, or null. */
  next: VisitStepView | null;
}

/** What the counter console shows of a ticket in a visit (CounterState). */
export interface VisitBadge {
  id: string;
  step: number;
  of: number;
  next: { serviceId: string; number: string; counters: string[] } | null;
}

/** After cancelling one step: what is left, and which of it needs the cancelled service's product. */
export interface StepCancelled {
  ticket: Ticket;
  /** Steps still open, in order: the chat asks "batalkan sisanya?". */
  remaining: VisitStepView[];
  /** Service ids of remaining steps that need (directly or through another step) the cancelled service. */
  dependents: string[];
}

/**
 * Chained tickets (issue 13): a visit takes one ticket per service in one Lua script, and
 * each later step is held (skipped by the counters, its place kept) until the previous step is
 * finished. The Lua is in lua/take-visit.lua, call-next.lua (the skip rule), transition.lua (the
 * release) and cancel-visit.lua; this class shapes requests and reads visits back.
 */
export class VisitDesk {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly commands: QueueCommands,
    private readonly reads: QueueReads,
    private readonly desk: TicketDesk,
    private readonly layout: QueueLayout,
    private readonly hours: OpeningHours,
    private readonly clock: Clock,
    private readonly policy: QueuePolicy,
  ) {}

  /**
   * Takes every step at once, or none: `quota_full`, `web_share_full`, `address_limit` and
   * `already_in_line` name the service (`info.serviceId`); `blocked`, `limit_reached` (each step
   * counts toward the daily limit), `closed`, `unknown_service`, `bad_request`.
   */
  async takeVisit(req: TakeVisitRequest): Promise<{ visit: VisitView; created: boolean }> {
    const ids = req.serviceIds;
    if (ids.length === 0 || ids.length > MAX_VISIT_STEPS) throw new QueueError('bad_request', `a visit has 1 to ${MAX_VISIT_STEPS} services`);
    if (new Set(ids).size !== ids.length) throw new QueueError('bad_request', 'a visit names each service once');
    const services = ids.map((id) => this.layout.requireService(id));
    const now = this.clock.now();
    const open = this.hours.status(now);
    if (!open.open) throw new QueueError('closed', 'the MPP is closed now', open.nextOpen ? { nextOpen: open.nextOpen.at } : {});
    const unverified = this.desk.unverifiedLimits(req, 0);
    const steps = services.map((s) => {
      const group = this.layout.group(s.agency);
      if (!group) throw new QueueError('unknown_service', `service ${s.id} is in no queue group`);
      const answers = req.checklists?.[s.id];
      return {
        ticketId: newId('tk'),
        serviceId: s.id,
        group,
        quota: s.daily_quota,
        unverifiedQuota: this.desk.unverifiedLimits(req, s.daily_quota)?.quota ?? 0,
        checklist: answers ? JSON.stringify({ serviceId: s.id, ready: answers.ready, missing: answers.missing }) : '',
      };
    });
    const result = await this.commands.takeVisit({
      visitId: newId('vs'),
      day: this.layout.today(now),
      subject: req.citizen ? citizenSubject(req.citizen.channel, req.citizen.userKey) : '',
      channel: req.citizen?.channel ?? '',
      userKey: req.citizen?.userKey ?? '',
      priority: req.priority ?? false,
      maxPerDay: this.policy.maxPerDay,
      nowMs: now.getTime(),
      retentionSec: this.policy.retentionDays * 86400,
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      source: req.source,
      ...(unverified ? { unverified: { perAddress: unverified.perAddress } } : {}),
      steps,
    });
    switch (result.outcome) {
      case 'new':
      case 'existing': {
        const visit = await this.visit(result.visitId);
        if (!visit) throw new QueueError('unknown_ticket', 'visit vanished right after it was taken');
        return { visit, created: result.outcome === 'new' };
      }
      case 'blocked':
        throw new QueueError('blocked', 'too many no-shows', { until: new Date(now.getTime() + result.blockedForMs) });
      case 'limit_reached':
        throw new QueueError('limit_reached', `at most ${this.policy.maxPerDay} tickets per citizen per day; this visit needs ${ids.length}`, { remaining: 0 });
      case 'has_ticket':
        throw new QueueError('already_in_line', `the citizen already holds a ticket for ${result.serviceId}`, { serviceId: result.serviceId, ticketId: result.ticketId });
      case 'quota_full': {
        const quota = this.layout.requireService(result.serviceId).daily_quota;
        throw new QueueError('quota_full', `today's quota of ${result.serviceId} is used up`, { serviceId: result.serviceId, quota, remaining: 0 });
      }
      case 'web_share_full':
      case 'address_limit':
        throw new QueueError(result.outcome, `web chat limit reached for ${result.serviceId}`, { serviceId: result.serviceId });
      default: {
        const unhandled: never = result;
        throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** A visit with every step's ticket and place; undefined when unknown (or expired). */
  async visit(visitId: string): Promise<VisitView | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(visitId)) return undefined;
    const raw = await this.redis.hgetall(this.keys.visit(visitId));
    if (!raw.id || !raw.tickets) return undefined;
    const tickets = await Promise.all(raw.tickets.split(',').map((id) => this.reads.get(id)));
    const steps: VisitStepView[] = [];
    for (const ticket of tickets) if (ticket) steps.push(this.stepView(await this.reads.view(ticket)));
    const open = steps.filter((s) => isActive(s.status));
    return { id: raw.id, day: raw.day ?? '', steps, current: open[0] ?? null, next: open[1] ?? null };
  }

  /** A citizen's own visit, or `unknown_ticket` (never tell a stranger a visit exists). */
  async ownVisit(visitId: string, channel: string, userKey: string): Promise<VisitView> {
    const visit = await this.visit(visitId);
    const first = visit?.steps[0] ? await this.reads.get(visit.steps[0].ticketId) : undefined;
    if (!visit || !first || first.subject !== citizenSubject(channel, userKey)) throw new QueueError('unknown_ticket', 'no such visit for this citizen');
    return visit;
  }

  /** The console's line about a visit ticket: which step of how many, and where the citizen goes next. */
  async badge(ticket: Ticket): Promise<VisitBadge | undefined> {
    if (!ticket.visit) return undefined;
    const visit = await this.visit(ticket.visit.id);
    const after = visit?.steps.find((s) => s.step > ticket.visit!.step && isActive(s.status));
    return {
      id: ticket.visit.id,
      step: ticket.visit.step,
      of: ticket.visit.of,
      next: after ? { serviceId: after.serviceId, number: after.number, counters: after.counters } : null,
    };
  }

  /**
   * A citizen cancels one step of their visit (or a single ticket: then nothing remains). The next
   * open step becomes callable if this one held it; what is left is returned so the chat can ask
   * "batalkan sisanya?", with the steps that cannot be done without the cancelled one.
   */
  async cancelStep(ticketId: string, channel: string, userKey: string): Promise<StepCancelled> {
    const ticket = await this.desk.cancelOwn(ticketId, channel, userKey);
    if (!ticket.visit) return { ticket, remaining: [], dependents: [] };
    const visit = await this.visit(ticket.visit.id);
    const remaining = (visit?.steps ?? []).filter((s) => isActive(s.status));
    return { ticket, remaining, dependents: this.dependents(ticket.serviceId, remaining.map((s) => s.serviceId)) };
  }

  /**
   * Cancels every open step of the citizen's visit at once (waiting, held or called; a step being
   * served stays). Returns the visit afterwards and how many steps were cancelled.
   */
  async cancelVisit(visitId: string, channel: string, userKey: string): Promise<{ visit: VisitView; cancelled: number }> {
    await this.ownVisit(visitId, channel, userKey);
    for (let attempt = 0; attempt < 5; attempt++) {
      const raw = await this.redis.hgetall(this.keys.visit(visitId));
      const tickets = await Promise.all((raw.tickets ?? '').split(',').map(async (id) => ({ id, ticket: await this.reads.get(id) })));
      const first = tickets.find((t) => t.ticket)?.ticket;
      const result = await this.commands.cancelVisit({
        visitId,
        day: raw.day ?? '',
        subject: first?.subject ?? '',
        nowMs: this.clock.now().getTime(),
        steps: tickets.map(({ id, ticket }) => ({ id, serviceId: ticket?.serviceId ?? '-', counter: ticket?.counter ?? '', status: ticket?.status ?? 'gone' })),
      });
      switch (result.outcome) {
        case 'ok':
          return { visit: (await this.visit(visitId))!, cancelled: result.cancelled };
        case 'conflict':
          continue;
        case 'unknown_visit':
          throw new QueueError('unknown_ticket', 'no such visit');
        default: {
          const unhandled: never = result;
          throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
        }
      }
    }
    throw new QueueError('illegal_transition', 'the visit kept changing; try again');
  }

  /** Services among `remaining` that need `cancelled`'s product, directly or through each other (catalogue `visit.needs`). */
  dependents(cancelled: string, remaining: readonly string[]): string[] {
    const gone = new Set([cancelled]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const id of remaining) {
        if (gone.has(id)) continue;
        const needs = this.layout.catalogue.services.get(id)?.visit?.needs ?? [];
        if (needs.some((n) => gone.has(n.service))) {
          gone.add(id);
          grew = true;
        }
      }
    }
    return remaining.filter((id) => id !== cancelled && gone.has(id));
  }

  /** Visit ids planned for a day (the report). */
  async visitsOn(day: string): Promise<string[]> {
    return this.redis.smembers(this.keys.visitsOfDay(day));
  }

  /** A visit's stored record for the report: services in order and each step's outcome, even after its tickets expired. */
  async record(visitId: string): Promise<{ id: string; day: string; steps: Array<{ serviceId: string; outcome: TicketStatus | 'open'; at?: number }> } | undefined> {
    const raw = await this.redis.hgetall(this.keys.visit(visitId));
    if (!raw.id) return undefined;
    const services = (raw.services ?? '').split(',').filter(Boolean);
    return {
      id: raw.id,
      day: raw.day ?? '',
      steps: services.map((serviceId, i) => {
        const [outcome, at] = (raw[`o${i + 1}`] ?? '').split('@');
        return outcome ? { serviceId, outcome: outcome as TicketStatus, at: Number(at) } : { serviceId, outcome: 'open' as const };
      }),
    };
  }

  private stepView(view: TicketView): VisitStepView {
    return {
      step: view.visit?.step ?? 1,
      ticketId: view.id,
      number: view.number,
      serviceId: view.serviceId,
      status: view.status,
      held: view.visit?.held ?? false,
      counter: view.counter,
      counters: this.layout.countersFor(view.serviceId).map((c) => c.id),
      ahead: view.ahead,
      position: view.position,
      etaMinutes: view.etaMinutes,
    };
  }
}

function newId(prefix: string): string {
  // Letters first: job ids built from it must never be all digits (BullMQ rule).
  return prefix + randomBytes(8).toString('hex');
}
