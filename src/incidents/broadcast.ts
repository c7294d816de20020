import type { BookingStore } from '../appointments/store.js';
import type { Catalogue } from '../catalogue/loader.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { QueueService } from '../queue/queue-service.js';
import type { NoticeOutbox } from '../reminders/notice-outbox.js';
import { incidentId, type Incident, type IncidentKind, type IncidentScope } from './incident.js';
import type { IncidentStore } from './store.js';

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
}

/** Kiosk and API tickets have nobody to tell. */
const UNREACHABLE = new Set(['', 'api']);

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
    let toldNow = 0;
    const tell = async (channel: string, target: { ticketId: string } | { bookingId: string }) => {
      const id = 'ticketId' in target ? target.ticketId : target.bookingId;
      if (UNREACHABLE.has(channel) || (await this.store.wasTold(incident.id, id))) return;
      await this.outbox.schedule(channel, { kind: 'incident', incidentId: incident.id, ticketId: '', n: 0, eventAt: now.getTime(), ...target });
      if (await this.store.markTold(incident.id, id)) toldNow++;
    };
    for (const serviceId of incident.services) {
      for (const ticket of await this.queue.pending(serviceId)) await tell(ticket.channel, { ticketId: ticket.id });
      // Checked-in bookings hold a ticket and were told through it.
      for (const booking of (await this.bookings?.onDay(serviceId, day)) ?? []) await tell(booking.channel, { bookingId: booking.id });
    }
    return { incident, created, toldNow };
  }

  /** Today's incidents with how many citizens each has told. */
  today(): Promise<Array<Incident & { told: number }>> {
    return this.store.onDay(this.queue.today(this.clock.now()));
  }
}
