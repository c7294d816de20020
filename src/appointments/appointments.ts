import { randomBytes, randomInt } from 'node:crypto';
import { addDays, zonedTime } from '../catalogue/local-time.js';
import type { Clock } from '../clock.js';
import type { QueueService } from '../queue/queue-service.js';
import type { TicketView } from '../queue/ticket.js';
import type { NoticeOutbox } from '../reminders/notice-outbox.js';
import { BookingError, type Booking } from './booking.js';
import type { BookingPlan, BookableService, SlotOffer } from './plan.js';
import type { BookingStore } from './store.js';

export interface AppointmentRules {
  /** Days a booking (with the citizen's address) is kept after its day: TICKET_RETENTION_DAYS. */
  retentionDays: number;
  /** Check-in from chat is open this many minutes either side of the slot start. */
  checkInMinutes: number;
  /** Local time (minutes) of the reminder the day before. */
  dayBeforeAt: number;
  /** Minutes before the slot of the last reminder. */
  hourBefore: number;
}

/** 30 minutes either side: time to park and find the floor, without turning a slot into a half-day. */
export const defaultAppointmentRules: AppointmentRules = { retentionDays: 30, checkInMinutes: 30, dayBeforeAt: 18 * 60, hourBefore: 60 };

/** Days kept for a day's slot counters and index after the day (reports, late check-ins). */
const DAY_KEEP_SEC = 2 * 86_400;
/** Days shown at once in chat: WhatsApp lists hold 10 rows, and the state adds its own. */
export const MAX_DAYS_OFFERED = 7;
/** Letters and digits that cannot be mistaken for each other when read aloud or typed. */
const CODE_ALPHABET = 'ACDEFGHJKLMNPQRTUVWXY3479';
const REMINDERS = ['booking-daybefore', 'booking-hour'] as const;

/**
 * Appointments for a later day: offer days and slots with places left, book, change, cancel, and
 * check in. Each change plans the booking's two reminders again (removed, then added at the new
 * times), and each reminder carries the booking's version so a late one is dropped at send time.
 */
export class Appointments {
  constructor(
    readonly store: BookingStore,
    readonly plan: BookingPlan,
    private readonly queue: QueueService,
    private readonly outbox: NoticeOutbox,
    private readonly clock: Clock,
    private readonly rules: AppointmentRules = defaultAppointmentRules,
  ) {}

  bookable(serviceId: string): BookableService | undefined {
    return this.plan.service(serviceId);
  }

  /** The next days with at least one free place, as local dates with the places left. */
  async days(serviceId: string): Promise<Array<{ day: string; free: number }>> {
    const service = this.requireBookable(serviceId);
    const out: Array<{ day: string; free: number }> = [];
    for (const day of this.plan.candidateDays(service, this.clock.now())) {
      const free = (await this.slots(serviceId, day)).reduce((sum, s) => sum + s.free, 0);
      if (free > 0) out.push({ day, free });
      if (out.length >= MAX_DAYS_OFFERED) break;
    }
    return out;
  }

  /** A day's open slots with the places left (full ones included, with 0). */
  async slots(serviceId: string, day: string): Promise<SlotOffer[]> {
    const service = this.requireBookable(serviceId);
    const taken = await this.store.taken(serviceId, day);
    return this.plan.openSlots(service, day).map((s) => ({ ...s, free: Math.max(0, service.appointments.capacity - (taken[s.slot] ?? 0)) }));
  }

  /** Books a place; `already_booked` (with the booking) when the citizen holds one for the service. */
  async book(serviceId: string, day: string, slot: string, citizen: { channel: string; userKey: string }): Promise<Booking> {
    const service = this.requireOffered(serviceId, day, slot);
    const now = this.clock.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.store.book({
        id: 'bk' + randomBytes(8).toString('hex'),
        code: newCode(),
        serviceId,
        day,
        slot,
        slotMinutes: this.plan.openSlots(service, day).find((s) => s.slot === slot)!.minutes,
        capacity: service.appointments.capacity,
        citizen,
        today: this.plan.today(now),
        now: now.getTime(),
        ...this.ttls(day),
      });
      if (result.outcome === 'code_taken') continue;
      if (result.outcome === 'existing') throw new BookingError('already_booked', 'one booking per citizen per service', { existing: result.id });
      const booking = (await this.store.get(result.id))!;
      await this.planReminders(booking);
      return booking;
    }
    throw new Error('could not find a free booking code');
  }

  /** Moves the citizen's booking to another day or slot and moves its reminders with it. */
  async change(bookingId: string, day: string, slot: string, citizen: { channel: string; userKey: string }): Promise<Booking> {
    const booking = await this.own(bookingId, citizen);
    const service = this.requireOffered(booking.serviceId, day, slot);
    await this.store.move(booking.id, {
      day,
      slot,
      slotMinutes: this.plan.openSlots(service, day).find((s) => s.slot === slot)!.minutes,
      capacity: service.appointments.capacity,
      now: this.clock.now().getTime(),
      ...this.ttls(day),
    });
    const moved = (await this.store.get(booking.id))!;
    await this.planReminders(moved);
    return moved;
  }

  /** Cancels the citizen's booking (its place goes back) and removes its reminders. */
  async cancel(bookingId: string, citizen: { channel: string; userKey: string }): Promise<Booking> {
    const booking = await this.own(bookingId, citizen);
    await this.store.close(booking.id, 'cancelled', this.clock.now().getTime());
    const cancelled = (await this.store.get(booking.id))!;
    await this.planReminders(cancelled);
    return cancelled;
  }

  /** The citizen's active bookings from today on, soonest first. */
  async mine(channel: string, userKey: string): Promise<Booking[]> {
    const today = this.plan.today(this.clock.now());
    const bookings = await this.store.ofCitizen(channel, userKey);
    return bookings.filter((b) => b.day >= today).sort((a, b) => (a.day + a.slot).localeCompare(b.day + b.slot));
  }

  /**
   * "Hapus data saya" (UU 27/2022): active bookings are cancelled (their places and reminders go),
   * then the citizen's address is removed from every booking. For the erasers of src/privacy.
   */
  async forgetCitizen(channel: string, userKey: string): Promise<number> {
    for (const booking of await this.store.ofCitizen(channel, userKey)) await this.cancel(booking.id, { channel, userKey }).catch(() => undefined);
    return this.store.erase(channel, userKey);
  }

  startsAt(booking: Pick<Booking, 'day' | 'slot'>): Date {
    return this.plan.startsAt(booking.day, booking.slot);
  }

  /** Is the chat check-in open now (the slot's day, within the window around its start)? */
  checkInOpen(booking: Booking): boolean {
    const offset = this.clock.now().getTime() - this.startsAt(booking).getTime();
    return booking.status === 'active' && Math.abs(offset) <= this.rules.checkInMinutes * 60_000;
  }

  /**
   * The booking becomes a ticket. Fair priority, not the priority line: the priority line is for
   * lansia, disabilitas, ibu hamil and balita and is served one in N, and a booking is no such
   * claim. Instead the ticket is placed in the regular line ahead of every walk-in who took a
   * ticket after the slot began, and behind those already waiting then: the booking keeps the
   * place it reserved, nothing more. Staff may check in a latecomer after the window; the ticket
   * then queues like a walk-in's. Repeating a check-in returns the same ticket.
   */
  async checkIn(bookingId: string, opts: { by: 'citizen' | 'staff'; citizen?: { channel: string; userKey: string } }): Promise<{ booking: Booking; ticket: TicketView }> {
    const booking = opts.citizen ? await this.own(bookingId, opts.citizen) : await this.store.get(bookingId);
    if (!booking) throw new BookingError('unknown_booking', 'unknown booking');
    if (booking.status === 'checked-in' && booking.ticketId) {
      const ticket = await this.queue.get(booking.ticketId);
      if (ticket) return { booking, ticket: await this.queue.view(ticket) };
    }
    if (booking.status !== 'active') throw new BookingError('illegal_transition', `the booking is ${booking.status}`, { status: booking.status });
    const now = this.clock.now();
    const start = this.startsAt(booking);
    const early = now.getTime() < start.getTime() - this.rules.checkInMinutes * 60_000;
    const late = now.getTime() > start.getTime() + this.rules.checkInMinutes * 60_000;
    if (booking.day !== this.plan.today(now) || early || (late && opts.by === 'citizen')) {
      throw new BookingError('check_in_window', 'outside the check-in window', { opensAt: new Date(start.getTime() - this.rules.checkInMinutes * 60_000) });
    }
    const { ticket } = await this.queue.take({ serviceId: booking.serviceId, citizen: { channel: booking.channel, userKey: booking.to }, reserved: true, idempotencyKey: `booking-${booking.id}`, source: 'booking' });
    if (!late && ticket.status === 'waiting') await this.queue.placeAt(ticket.id, start);
    await this.store.close(booking.id, 'checked-in', now.getTime(), ticket.id);
    const closed = (await this.store.get(booking.id))!;
    await this.planReminders(closed);
    return { booking: closed, ticket: await this.queue.view((await this.queue.get(ticket.id))!) };
  }

  /** Removes the booking's reminders, then adds those still ahead for an active booking. */
  private async planReminders(booking: Booking): Promise<void> {
    if (!booking.channel) return;
    const now = this.clock.now().getTime();
    const start = this.startsAt(booking).getTime();
    const at = {
      'booking-daybefore': zonedTime(addDays(booking.day, -1), this.rules.dayBeforeAt, this.plan.timezone).getTime(),
      'booking-hour': start - this.rules.hourBefore * 60_000,
    };
    for (const kind of REMINDERS) {
      const ref = { kind, ticketId: '', n: 0, bookingId: booking.id };
      await this.outbox.withdraw(booking.channel, ref);
      // A reminder whose moment has passed (booked at 20:00 for tomorrow) is not sent late.
      if (booking.status === 'active' && at[kind] > now) await this.outbox.schedule(booking.channel, { ...ref, version: booking.version, eventAt: at[kind] }, at[kind] - now);
    }
  }

  private async own(bookingId: string, citizen: { channel: string; userKey: string }): Promise<Booking> {
    const booking = await this.store.get(bookingId);
    if (!booking || booking.channel !== citizen.channel || booking.to !== citizen.userKey) throw new BookingError('unknown_booking', 'no such booking for this citizen');
    return booking;
  }

  private requireBookable(serviceId: string): BookableService {
    const service = this.plan.service(serviceId);
    if (!service) throw new BookingError('not_bookable', `service ${serviceId.slice(0, 80)} takes no bookings`);
    return service;
  }

  private requireOffered(serviceId: string, day: string, slot: string): BookableService {
    const service = this.requireBookable(serviceId);
    if (!this.plan.offers(service, day, slot, this.clock.now())) throw new BookingError('not_bookable', `${day} ${slot} is not offered`);
    return service;
  }

  /** Relative TTLs (never EXPIREAT: a test clock or a skewed host must not expire keys early). */
  private ttls(day: string): { bookingTtlSec: number; dayTtlSec: number } {
    const dayEnd = zonedTime(addDays(day, 1), 0, this.plan.timezone).getTime();
    const untilEnd = Math.max(60, Math.ceil((dayEnd - this.clock.now().getTime()) / 1000));
    return { bookingTtlSec: untilEnd + this.rules.retentionDays * 86_400, dayTtlSec: untilEnd + DAY_KEEP_SEC };
  }
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < 5; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `JT-${code}`;
}
