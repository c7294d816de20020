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
  'pickup-ready': 'pickup_ready',
  'pickup-uncollected': 'pickup_ready',
};

/** What a booking notice needs to know about the booking (src/appointments implements it). */
export interface BookingFacts {
  status: string;
  version: number;
  day: string;
  channel: string;
  to: string;
}

/** What a pickup notice needs to know about the application (src/pickup implements it). */
export interface PickupFacts {
  status: string;
  channel: string;
  to: string;
  /** Where it is collected, when not at the main site. */
  site?: string;
}

/** Reads notices need besides tickets; without them booking, incident and pickup notices are dropped. */
export interface NoticeLookups {
  bookings?: { get(id: string): Promise<BookingFacts | undefined> };
  incidents?: { get(id: string): Promise<{ day: string } | undefined> };
  pickups?: { get(id: string): Promise<PickupFacts | undefined> };
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
    case 'pickup-ready':
    case 'pickup-uncollected':
      return false;
  }
}

export interface PreparedNotice {
  channel: string;
  to: string;
  messages: OutgoingMessage[];
}

/** One MPP site as notices see it: its queue, and its bookings and incidents (src/sites has them). */
export interface NoticeSite {
  id: string;
  queue: Pick<QueueService, 'get'>;
  bookings?: NoticeLookups['bookings'];
  incidents?: NoticeLookups['incidents'];
}

/**
 * Turns a notice job into messages: finds the site that holds the ticket (or booking), re-reads it,
 * drops what is stale, and lets the conversation engine speak the notice's flow entry so replies to
 * it are understood. With several sites the notice puts the site in the conversation (`site`), so a
 * reply ("batal") acts on that site's ticket.
 */
export class Notices {
  private readonly sites: readonly NoticeSite[];

  constructor(
    /** Every site of the deployment, main first; or the one queue of a one-site setup. */
    sites: Pick<QueueService, 'get'> | readonly NoticeSite[],
    private readonly conversation: ConversationPort,
    private readonly logger: Logger,
    /** Deployment-wide reads (pickups); bookings and incidents here stand for a one-queue setup. */
    private readonly lookups: NoticeLookups = {},
  ) {
    this.sites = Array.isArray(sites) ? (sites as readonly NoticeSite[]) : [{ id: '', queue: sites as Pick<QueueService, 'get'>, ...pick(lookups) }];
    if (this.sites.length === 0) throw new Error('notices need at least one site');
  }

  async prepare(job: NoticeJob): Promise<PreparedNotice | undefined> {
    if (job.pickupId) return this.prepareForPickup(job, job.pickupId);
    if (job.bookingId && !job.ticketId) return this.prepareForBooking(job, job.bookingId);
    if (job.kind === 'incident' && !(await this.incidentDay(job))) return undefined;
    const found = await this.ticket(job);
    const ticket = found?.ticket;
    if (!found || !ticket || !ticket.channel || !ticket.to) return undefined;
    if (!stillRelevant(ticket, job)) {
      this.logger.debug({ ticket: ticket.id, kind: job.kind, status: ticket.status }, 'notice no longer relevant');
      return undefined;
    }
    const incident: NoticeVars = job.kind === 'incident' ? { incident: job.incidentId ?? '', booking: '' } : {};
    const messages = await this.conversation.push(ticket.channel, ticket.to, NOTICE_ENTRIES[job.kind], { ticket: ticket.id, notice: job.kind, ...incident, ...this.siteVar(found.site) });
    return { channel: ticket.channel, to: ticket.to, messages };
  }

  private async prepareForBooking(job: NoticeJob, bookingId: string): Promise<PreparedNotice | undefined> {
    const found = await this.firstHit((site) => site.bookings?.get(bookingId));
    const booking = found?.value;
    if (!found || !booking || !booking.channel || !booking.to) return undefined;
    const incidentDay = job.kind === 'incident' ? await this.incidentDay(job) : undefined;
    if (!bookingStillRelevant(booking, job, incidentDay)) {
      this.logger.debug({ booking: bookingId, kind: job.kind, status: booking.status }, 'booking notice no longer relevant');
      return undefined;
    }
    const incident: NoticeVars = job.kind === 'incident' ? { incident: job.incidentId ?? '', ticket: '' } : {};
    const messages = await this.conversation.push(booking.channel, booking.to, NOTICE_ENTRIES[job.kind], { booking: bookingId, notice: job.kind, ...incident, ...this.siteVar(found.site) });
    return { channel: booking.channel, to: booking.to, messages };
  }

  /** A document ready to collect: still said only while it is ready and not collected. */
  private async prepareForPickup(job: NoticeJob, pickupId: string): Promise<PreparedNotice | undefined> {
    const pickup = await this.lookups.pickups?.get(pickupId);
    if (!pickup || !pickup.channel || !pickup.to || pickup.status !== 'ready') {
      this.logger.debug({ pickup: pickupId, kind: job.kind, status: pickup?.status }, 'pickup notice no longer relevant');
      return undefined;
    }
    // Said with the hours of the site where it is collected.
    const messages = await this.conversation.push(pickup.channel, pickup.to, NOTICE_ENTRIES[job.kind], { pickup: pickupId, notice: job.kind, ...(pickup.site ? this.siteVar({ id: pickup.site }) : {}) });
    return { channel: pickup.channel, to: pickup.to, messages };
  }

  /** The ticket and its site: the site the job names first (one read), else each site in turn. */
  private async ticket(job: NoticeJob): Promise<{ site: NoticeSite; ticket: Ticket } | undefined> {
    const named = this.sites.find((s) => s.id === job.site);
    const ticket = named ? await named.queue.get(job.ticketId) : undefined;
    if (named && ticket) return { site: named, ticket };
    const found = await this.firstHit((site) => (site === named ? undefined : site.queue.get(job.ticketId)));
    return found ? { site: found.site, ticket: found.value } : undefined;
  }

  /** The day of the incident a notice is about, while it is still on record at one of the sites. */
  private async incidentDay(job: NoticeJob): Promise<string | undefined> {
    const id = job.incidentId;
    return id ? (await this.firstHit((site) => site.incidents?.get(id)))?.value.day : undefined;
  }

  /** The first site (in order) where `read` finds something; reads run side by side. */
  private async firstHit<T>(read: (site: NoticeSite) => Promise<T | undefined> | undefined): Promise<{ site: NoticeSite; value: T } | undefined> {
    const values = await Promise.all(this.sites.map((site) => Promise.resolve(read(site))));
    const i = values.findIndex((v) => v !== undefined);
    return i < 0 ? undefined : { site: this.sites[i]!, value: values[i]! };
  }

  /** Only a deployment of several sites tells the conversation where: one site is the MPP. */
  private siteVar(site: Pick<NoticeSite, 'id'>): NoticeVars {
    return this.sites.length > 1 && site.id ? { site: site.id } : {};
  }
}

function pick(lookups: NoticeLookups): Pick<NoticeSite, 'bookings' | 'incidents'> {
  return { ...(lookups.bookings ? { bookings: lookups.bookings } : {}), ...(lookups.incidents ? { incidents: lookups.incidents } : {}) };
}
