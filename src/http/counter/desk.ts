import type { Catalogue } from '../../catalogue/loader.js';
import type { Clock } from '../../clock.js';
import type { Locale } from '../../message.js';
import { AppError } from '../../errors.js';
import type { QueueService, VisitBadge } from '../../queue/queue-service.js';
import type { Ticket } from '../../queue/ticket.js';
import { maskPersonalData } from '../../privacy/mask.js';
import { canUseCounter, type StaffSession } from '../staff/index.js';

export type Counter = Catalogue['mpp']['counters'][number];
export type ChecklistState = 'ready' | 'missing' | 'unconfirmed';

/** The ticket in front of the officer: what the citizen confirmed and asked, nothing of who they are. */
export interface TicketDetail {
  id: string;
  number: string;
  serviceId: string;
  serviceName: string;
  status: string;
  priority: boolean;
  waitedMinutes: number;
  recalls: number;
  transferredFrom: string | null;
  /** Every requirement of the service the citizen answered, with what they said; null when they were not asked. */
  checklist: Array<{ text: string; state: ChecklistState }> | null;
  /** The service those answers are for (after a transfer, not the ticket's service); null without a checklist. */
  checklistService: string | null;
  question: string;
  /** Present when the ticket is one step of a visit (issue 13): which step, and where the citizen goes next. */
  visit?: VisitBadge;
}

export interface CounterState {
  counter: { id: string; name: string };
  current: TicketDetail | null;
  waiting: Array<{ serviceId: string; serviceName: string; tickets: Array<{ number: string; priority: boolean; visit?: VisitBadge }> }>;
}

/**
 * One counter as its officer sees it, and the checks that keep an officer to their own counter
 * and their own agency's tickets: no counter sees the details of another agency's citizens.
 */
export class CounterDesk {
  constructor(
    private readonly queue: QueueService,
    private readonly catalogue: Catalogue,
    private readonly clock: Clock,
  ) {}

  /** Counters the staff member may work at, in content order. */
  countersFor(staff: StaffSession): Counter[] {
    return this.catalogue.mpp.counters.filter((c) => canUseCounter(staff, c.id));
  }

  /** The counter, when it exists and the staff member may use it; else `forbidden` or `unknown_counter`. */
  counter(staff: StaffSession, counterId: string): Counter {
    // Asked before existence, so counter staff cannot probe which counters exist elsewhere.
    if (!canUseCounter(staff, counterId)) throw new AppError('forbidden', 'This counter is not assigned to you.');
    const counter = this.catalogue.mpp.counters.find((c) => c.id === counterId);
    if (!counter) throw new AppError('unknown_counter', 'Unknown counter.');
    return counter;
  }

  /** A ticket this counter may act on: one of its services, not held by another counter. */
  async ticket(counterId: string, ticketId: string): Promise<Ticket> {
    const ticket = await this.queue.get(ticketId);
    if (!ticket) throw new AppError('unknown_ticket', 'Unknown ticket.');
    if (!this.queue.servicesOf(counterId).includes(ticket.serviceId)) throw new AppError('forbidden', 'This ticket is for a service this counter does not serve.');
    if (ticket.counter && ticket.counter !== counterId) throw new AppError('forbidden', 'This ticket is handled at another counter.');
    return ticket;
  }

  async state(counter: Counter, locale: Locale): Promise<CounterState> {
    const current = await this.queue.atCounter(counter.id);
    const waiting = await Promise.all(
      this.queue.servicesOf(counter.id).map(async (serviceId) => ({
        serviceId,
        serviceName: this.serviceName(serviceId, locale),
        tickets: await Promise.all((await this.queue.waiting(serviceId)).sort((a, b) => a.seq - b.seq).map(async (t) => ({ number: t.number, priority: t.priority, ...(await this.visitOf(t)) }))),
      })),
    );
    return { counter: { id: counter.id, name: counter.name[locale] }, current: current ? { ...this.detail(current, locale), ...(await this.visitOf(current)) } : null, waiting };
  }

  private async visitOf(ticket: Ticket): Promise<{ visit?: VisitBadge }> {
    const visit = await this.queue.visitBadge(ticket);
    return visit ? { visit } : {};
  }

  detail(ticket: Ticket, locale: Locale): TicketDetail {
    const { checklist } = ticket;
    const answered = checklist ? (checklist.serviceId ?? ticket.transferredFrom ?? ticket.serviceId) : ticket.serviceId;
    const requirements = this.catalogue.services.get(answered)?.requirements ?? [];
    const stateOf = (i: number): ChecklistState => (checklist?.ready.includes(i) ? 'ready' : checklist?.missing.includes(i) ? 'missing' : 'unconfirmed');
    return {
      id: ticket.id,
      number: ticket.number,
      serviceId: ticket.serviceId,
      serviceName: this.serviceName(ticket.serviceId, locale),
      status: ticket.status,
      priority: ticket.priority,
      waitedMinutes: Math.max(0, Math.floor(((ticket.calledAt ?? this.clock.now().getTime()) - ticket.createdAt) / 60_000)),
      recalls: ticket.recalls,
      transferredFrom: ticket.transferredFrom ? this.serviceName(ticket.transferredFrom, locale) : null,
      checklist: checklist ? requirements.map((r, i) => ({ text: r[locale], state: stateOf(i) })) : null,
      checklistService: checklist ? this.serviceName(answered, locale) : null,
      // Masked again on the way out: tickets stored before masking keep their text until they expire.
      question: maskPersonalData(ticket.question),
    };
  }

  /** Every service for the transfer list, by agency, both sorted by name. */
  servicesByAgency(locale: Locale): Array<{ name: string; services: Array<{ id: string; name: string }> }> {
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, locale);
    const services = [...this.catalogue.services.values()];
    return [...this.catalogue.agencies.values()]
      .map((a) => ({ name: a.name[locale], services: services.filter((s) => s.agency === a.id).map((s) => ({ id: s.id, name: s.name[locale] })).sort(byName) }))
      .filter((a) => a.services.length > 0)
      .sort(byName);
  }

  private serviceName(serviceId: string, locale: Locale): string {
    return this.catalogue.services.get(serviceId)?.name[locale] ?? serviceId;
  }
}
