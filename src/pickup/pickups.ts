import type { Catalogue } from '../catalogue/loader.js';
import { localTime } from '../catalogue/local-time.js';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import { addWorkingDays, type WorkingCalendar } from '../complaints/deadlines.js';
import type { Ticket } from '../queue/ticket.js';
import type { NoticeOutbox } from '../reminders/notice-outbox.js';
import { pickupReference, type Pickup } from './pickup.js';
import type { Marked, PickupStore } from './store.js';

/** Not-collected reminders stop after this many: the counter calls the rest. */
export const MAX_UNCOLLECTED_REMINDERS = 3;
const DAY_MS = 86_400_000;
/** Reminders found by the nightly job (02:30) go out at 08:00 local, not in the night. */
const REMIND_AT_MINUTES = 8 * 60;
/** Channels whose citizens cannot be reached (kiosk/API tickets): their record has no address. */
const UNREACHABLE = new Set(['', 'api']);

export interface PickupRules {
  /** Days after "ready" before a not-collected reminder, and between reminders. */
  remindAfterDays: number;
}

/**
 * Document-ready pickup: an application is recorded when its ticket is finished at the counter
 * (for services whose product is collected later, content `collect`), staff mark it ready and
 * collected, and the citizen is told through the notice outbox on the channel they used.
 */
export class Pickups {
  constructor(
    readonly store: PickupStore,
    private readonly catalogue: Catalogue,
    private readonly calendar: WorkingCalendar,
    private readonly outbox: NoticeOutbox,
    private readonly clock: Clock,
    private readonly rules: PickupRules,
  ) {}

  /** Whether a service's product is collected later. */
  collects(serviceId: string): boolean {
    return Boolean(this.catalogue.services.get(serviceId)?.collect);
  }

  /**
   * A finished ticket of a service collected later becomes an application (once). Returns the
   * record, or undefined when the ticket is not finished or its service is collected at once.
   */
  async recordDone(ticket: Ticket, site: string = this.catalogue.mpp.site): Promise<Pickup | undefined> {
    const collect = this.catalogue.services.get(ticket.serviceId)?.collect;
    if (ticket.status !== 'done' || !collect) return undefined;
    const now = this.clock.now().getTime();
    const day = ticket.day || localTime(new Date(ticket.doneAt ?? now), this.calendar.timezone).date;
    const reachable = !UNREACHABLE.has(ticket.channel) && ticket.to !== '';
    // The main site's references stay as they were; another site's name it.
    const elsewhere = site !== this.catalogue.mpp.site ? site : undefined;
    const pickup: Pickup = {
      id: ticket.id,
      reference: pickupReference(ticket.number, day, elsewhere),
      receipt: '',
      ticketNumber: ticket.number,
      day,
      serviceId: ticket.serviceId,
      status: 'applied',
      channel: reachable ? ticket.channel : '',
      to: reachable ? ticket.to : '',
      subject: reachable ? ticket.subject : '',
      expectedDay: collect.after_working_days === undefined ? '' : addWorkingDays(day, collect.after_working_days, this.calendar),
      createdAt: ticket.doneAt ?? now,
      reminders: 0,
      ...(elsewhere ? { site: elsewhere } : {}),
    };
    await this.store.create(pickup);
    return this.store.get(ticket.id);
  }

  get = (id: string): Promise<Pickup | undefined> => this.store.get(id);
  /** By receipt or reference; `bareNumber` (staff) also by a ticket number alone when only one application fits. */
  find = (reference: string, opts?: { bareNumber?: boolean }): Promise<Pickup | undefined> => this.store.find(reference, opts);
  recent = (limit = 50): Promise<Pickup[]> => this.store.recent(limit);

  /** A citizen's applications on this channel, newest first. */
  ofCitizen(channel: string, userKey: string): Promise<Pickup[]> {
    return this.store.ofCitizen(citizenSubject(channel, userKey));
  }

  /** Marks an application ready (by receipt or reference) and tells the citizen, once. */
  async markReady(reference: string, receipt?: string): Promise<Marked> {
    const now = this.clock.now().getTime();
    const marked = await this.store.mark(reference, 'ready', now, receipt);
    const { pickup } = marked;
    // Scheduled on every call while ready: the job id keeps it one notice, and a first call that
    // died between the mark and the schedule is completed by the next.
    if (pickup.status === 'ready' && pickup.channel && pickup.to) await this.outbox.schedule(pickup.channel, { kind: 'pickup-ready', ticketId: '', pickupId: pickup.id, n: 0, eventAt: now });
    return marked;
  }

  /** The citizen took the document: no more reminders; the record is kept a few days more. */
  async markCollected(reference: string, receipt?: string): Promise<Marked> {
    const marked = await this.store.mark(reference, 'collected', this.clock.now().getTime(), receipt);
    if (marked.pickup.channel) {
      for (let n = 1; n <= MAX_UNCOLLECTED_REMINDERS; n++) await this.outbox.withdraw(marked.pickup.channel, { kind: 'pickup-uncollected', ticketId: '', n, pickupId: marked.pickup.id });
    }
    return marked;
  }

  /** Notes the agency's receipt number, so either number finds the application. */
  noteReceipt(reference: string, receipt: string): Promise<Marked> {
    return this.store.mark(reference, 'receipt', this.clock.now().getTime(), receipt);
  }

  /**
   * Nightly: a document ready for `remindAfterDays` and not collected gets a reminder, again
   * every as many days, at most MAX_UNCOLLECTED_REMINDERS. Returns how many were scheduled.
   */
  async remindUncollected(): Promise<number> {
    const now = this.clock.now().getTime();
    const every = this.rules.remindAfterDays * DAY_MS;
    let scheduled = 0;
    const minutes = localTime(new Date(now), this.calendar.timezone).minutes;
    const delayMs = Math.max(0, REMIND_AT_MINUTES - minutes) * 60_000;
    for (const p of await this.store.readyBefore(now - every)) {
      const n = Math.min(MAX_UNCOLLECTED_REMINDERS, Math.floor((now - (p.readyAt ?? now)) / every));
      if (n <= p.reminders || !p.channel || !p.to) continue;
      await this.outbox.schedule(p.channel, { kind: 'pickup-uncollected', ticketId: '', pickupId: p.id, n, eventAt: now }, delayMs);
      await this.store.noteReminder(p.id, n);
      scheduled++;
    }
    return scheduled;
  }

  /** Right to erasure: the citizen's applications on this channel. */
  erase(channel: string, userKey: string): Promise<number> {
    return this.store.erase(citizenSubject(channel, userKey));
  }
}
