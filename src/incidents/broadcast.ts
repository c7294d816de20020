import type { BookingStore } from '../appointments/store.js';
import type { Catalogue } from '../catalogue/loader.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { QueueService } from '../queue/queue-service.js';
import type { NoticeOutbox } from '../reminders/notice-outbox.js';
import { followUpId, incidentId, type Incident, type IncidentKind, type IncidentScope } from './incident.js';
import type { IncidentStore, IncidentSummary } from './store.js';

export interface DeclareRequest {
  scope: IncidentScope;
  kind: IncidentKind;
  /** The operator's words, shown to citizens as written (channels escape them for their format). */
  message: string;
  offers: { cancel: boolean; move: boolean };
  /** Staff username, for the record. */
  by: string;
}

export interface Declared {
  incident: Incident;
  /** False when the same incident was already declared today (the first one is kept). */
  created: boolean;
  /** Citizens told by this declaration: all holders the first time, only newcomers after. */
  toldNow: number;
  /** Holders with no channel to tell them through (kiosk, counter walk-in, API tickets). */
  unreached: number;
}

/** Who a notice would reach now: holders with a chat channel, and those without one. */
export interface Audience {
  reachable: number;
  unreachable: number;
}

/** Kiosk, counter walk-in and API tickets have nobody to tell: the board and the running text are their notice. */
const UNREACHABLE = new Set(['', 'api', 'kiosk', 'counter']);

/**
 * Declares an incident and tells every citizen holding a ticket (waiting or called) or a booking
 * for today for the affected services, once each: notices go through the per-channel outbox with
 * job id `incident-<incident>-<ticket or booking>`, so the channel's rate limit applies and a
 * second declaration reaches only those who were not told yet.
 */
export class IncidentBroadcast {
  constructor(
    readonly store: IncidentStore,
    private readonly catalogue: Catalogue,
    private readonly queue: QueueService,
    private readonly bookings: BookingStore | undefined,
    private readonly outbox: Pick<NoticeOutbox, 'schedule'>,
    private readonly clock: Clock,
  ) {}

  /** The services an incident's scope covers; throws `unknown_service` for an unknown one. */
  servicesOf(scope: IncidentScope): string[] {
    const ids = scope.type === 'service' ? [scope.id].filter((id) => this.catalogue.services.has(id)) : [...this.catalogue.services.values()].filter((s) => s.agency === scope.id).map((s) => s.id);
    if (ids.length === 0) throw new AppError('unknown_service', `nothing to declare an incident for: ${scope.type} ${scope.id}`);
    return ids;
  }

  /** Can citizens of this scope be offered another day (some service in it takes bookings)? */
  canMove(scope: IncidentScope): boolean {
    return this.servicesOf(scope).some((id) => this.catalogue.services.get(id)?.appointments);
  }

  async declare(req: DeclareRequest): Promise<Declared> {
    const services = this.servicesOf(req.scope);
    const now = this.clock.now();
    const day = this.queue.today(now);
    const { incident, created } = await this.store.create({
      id: incidentId(day, req.scope, req.kind),
      day,
      scope: req.scope,
      kind: req.kind,
      message: req.message,
      offers: { cancel: req.offers.cancel, move: req.offers.move && this.canMove(req.scope) },
      services,
      by: req.by,
      createdAt: now.getTime(),
    });
    return { incident, created, ...(await this.tellHolders(incident)) };
  }

  /** How many holders a notice for this scope would reach now, and how many it could not (nothing is sent). */
  async audience(scope: IncidentScope): Promise<Audience> {
    const out = { reachable: 0, unreachable: 0 };
    await this.eachHolder(this.servicesOf(scope), this.queue.today(this.clock.now()), (channel) => {
      if (UNREACHABLE.has(channel)) out.unreachable++;
      else out.reachable++;
      return Promise.resolve();
    });
    return out;
  }

  /**
   * A follow-up on today's incident: news (`resolved` false) or its end (`resolved` true), told
   * to everyone holding a ticket or booking for its services now. A follow-up is an incident of
   * its own (`<id>u<n>`, `parent` set), so each holder gets each follow-up once.
   */
  async followUp(id: string, req: { message: string; by: string; resolved: boolean }): Promise<Declared | undefined> {
    const parent = await this.store.get(id);
    if (!parent || parent.parent || parent.day !== this.queue.today(this.clock.now())) return undefined;
    const now = this.clock.now().getTime();
    if (req.resolved && !(await this.store.markResolved(id, req.by, now))) return undefined;
    const n = await this.store.nextFollowUpNumber(id);
    const { incident, created } = await this.store.create({
      ...parent,
      id: followUpId(id, n),
      message: req.message,
      // The end of an incident offers nothing to choose; news keeps the first offers.
      offers: req.resolved ? { cancel: false, move: false } : parent.offers,
      by: req.by,
      createdAt: now,
      parent: id,
      ...(req.resolved ? { resolved: true } : {}),
    });
    await this.store.addFollowUp(id, incident.id);
    return { incident, created, ...(await this.tellHolders(incident)) };
  }

  private async tellHolders(incident: Incident): Promise<{ toldNow: number; unreached: number }> {
    let toldNow = 0;
    const now = this.clock.now().getTime();
    await this.eachHolder(incident.services, incident.day, async (channel, target) => {
      const id = 'ticketId' in target ? target.ticketId : target.bookingId;
      if (UNREACHABLE.has(channel)) return this.store.markUnreached(incident.id, id);
      if (await this.store.wasTold(incident.id, id)) return;
      await this.outbox.schedule(channel, { kind: 'incident', incidentId: incident.id, ticketId: '', n: 0, eventAt: now, ...target });
      if (await this.store.markTold(incident.id, id)) toldNow++;
    });
    return { toldNow, unreached: await this.store.unreachedCount(incident.id) };
  }

  private async eachHolder(services: readonly string[], day: string, visit: (channel: string, target: { ticketId: string } | { bookingId: string }) => Promise<void>): Promise<void> {
    for (const serviceId of services) {
      for (const ticket of await this.queue.pending(serviceId)) await visit(ticket.channel, { ticketId: ticket.id });
      // Checked-in bookings hold a ticket and were told through it.
      for (const booking of (await this.bookings?.onDay(serviceId, day)) ?? []) await visit(booking.channel, { bookingId: booking.id });
    }
  }

  /** Today's incidents with how many citizens each has told. */
  today(): Promise<IncidentSummary[]> {
    return this.store.onDay(this.queue.today(this.clock.now()));
  }
}
