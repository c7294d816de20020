import type { Logger } from 'pino';
import type { QueueService } from '../queue/queue-service.js';
import type { Ticket } from '../queue/ticket.js';
import type { OutgoingMessage } from '../message.js';
import type { ConversationPort, NoticeVars } from './conversation-port.js';
import type { NoticeJob, NoticeKind } from './kinds.js';

/**
 * The entry of flows/global.yaml that speaks each notice; flows say which state that is, and the
 * flow check fails when an entry named here is missing there.
 */
export const NOTICE_ENTRIES: Readonly<Record<NoticeKind, string>> = {
  near: 'ticket_near',
  called: 'ticket_called',
  recalled: 'ticket_called',
  'no-show': 'ticket_no_show',
  survey: 'survey',
  incident: 'incident',
  'booking-daybefore': 'booking_reminder',
  'booking-hour': 'booking_reminder',
  // The "your turn is near" entry speaks it too; its action tells them apart by `vars.notice`
  // ('next-step': "Selanjutnya: …", locale chain.next_step).
  'next-step': 'ticket_near',
};

/** What a booking notice needs to know about the booking (src/appointments implements it). */
export interface BookingFacts {
  status: string;
  version: number;
  day: string;
  channel: string;
  to: string;
}

/** Reads notices need besides tickets; without them booking and incident notices are dropped. */
export interface NoticeLookups {
  bookings?: { get(id: string): Promise<BookingFacts | undefined> };
  incidents?: { get(id: string): Promise<{ day: string } | undefined> };
}

/** Is a booking reminder (or an incident told to a booking holder) still true at send time? */
export function bookingStillRelevant(booking: BookingFacts, job: Pick<NoticeJob, 'kind' | 'version'>, incidentDay?: string): boolean {
  if (booking.status !== 'active') return false;
  // A reminder planned for another version of the booking (moved since) says nothing.
  return job.kind === 'incident' ? booking.day === incidentDay : booking.version === job.version;
}

/** Is the notice still true when it is about to go out? A late or duplicate job sends nothing. */
export function stillRelevant(ticket: Ticket, job: Pick<NoticeJob, 'kind' | 'n'>): boolean {
  switch (job.kind) {
    case 'near':
      return ticket.status === 'waiting' && !ticket.visit?.held;
    case 'next-step':
      return ticket.status === 'waiting' && ticket.visit?.held === false;
    case 'called':
      return ticket.status === 'called' && ticket.calls === job.n;
    case 'recalled':
      return ticket.status === 'called' && ticket.recalls === job.n;
    case 'no-show':
      return ticket.status === 'no-show';
    case 'survey':
      return ticket.status === 'done' && !ticket.surveyed;
    case 'incident':
      return ticket.status === 'waiting' || ticket.status === 'called';
    case 'booking-daybefore':
    case 'booking-hour':
      return false;
  }
}

export interface PreparedNotice {
  channel: string;
  to: string;
  messages: OutgoingMessage[];
}

/**
 * Turns a notice job into messages: re-reads the ticket, drops what is stale, and lets the
 * conversation engine speak the notice's flow entry so replies to it are understood.
 */
export class Notices {
  constructor(
    private readonly queue: QueueService,
    private readonly conversation: ConversationPort,
    private readonly logger: Logger,
    private readonly lookups: NoticeLookups = {},
  ) {}

  async prepare(job: NoticeJob): Promise<PreparedNotice | undefined> {
    if (job.bookingId && !job.ticketId) return this.prepareForBooking(job, job.bookingId);
    if (job.kind === 'incident' && !(await this.incidentDay(job))) return undefined;
    const ticket = await this.queue.get(job.ticketId);
    if (!ticket || !ticket.channel || !ticket.to) return undefined;
    if (!stillRelevant(ticket, job)) {
      this.logger.debug({ ticket: ticket.id, kind: job.kind, status: ticket.status }, 'notice no longer relevant');
      return undefined;
    }
    const incident: NoticeVars = job.kind === 'incident' ? { incident: job.incidentId ?? '', booking: '' } : {};
    const messages = await this.conversation.push(ticket.channel, ticket.to, NOTICE_ENTRIES[job.kind], { ticket: ticket.id, notice: job.kind, ...incident });
    return { channel: ticket.channel, to: ticket.to, messages };
  }

  private async prepareForBooking(job: NoticeJob, bookingId: string): Promise<PreparedNotice | undefined> {
    const booking = await this.lookups.bookings?.get(bookingId);
    if (!booking || !booking.channel || !booking.to) return undefined;
    const incidentDay = job.kind === 'incident' ? await this.incidentDay(job) : undefined;
    if (!bookingStillRelevant(booking, job, incidentDay)) {
      this.logger.debug({ booking: bookingId, kind: job.kind, status: booking.status }, 'booking notice no longer relevant');
      return undefined;
    }
    const incident: NoticeVars = job.kind === 'incident' ? { incident: job.incidentId ?? '', ticket: '' } : {};
    const messages = await this.conversation.push(booking.channel, booking.to, NOTICE_ENTRIES[job.kind], { booking: bookingId, notice: job.kind, ...incident });
    return { channel: booking.channel, to: booking.to, messages };
  }

  /** The day of the incident a notice is about, while it is still on record. */
  private async incidentDay(job: NoticeJob): Promise<string | undefined> {
    return job.incidentId ? (await this.lookups.incidents?.get(job.incidentId))?.day : undefined;
  }
}
