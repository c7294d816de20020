import { z } from 'zod';
import { SITE_ID } from '../redis/keyspace.js';

/**
 * Notices sent outside a conversation: ticket notices (near, called, recalled, no-show, survey,
 * next-step: "Selanjutnya: <layanan>, <loket>, N orang lagi" when a visit's next step is released),
 * an incident told to a ticket or booking holder, and the two booking reminders.
 */
export const noticeKinds = ['near', 'called', 'recalled', 'no-show', 'survey', 'incident', 'booking-daybefore', 'booking-hour', 'next-step', 'pickup-ready', 'pickup-uncollected'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** Kinds about a booking rather than a ticket. */
export const bookingKinds: readonly NoticeKind[] = ['booking-daybefore', 'booking-hour'];

/** Kinds about a document waiting to be collected (src/pickup) rather than a ticket. */
export const pickupKinds: readonly NoticeKind[] = ['pickup-ready', 'pickup-uncollected'];

const recordId = z.string().regex(/^[a-z0-9]{6,40}$/);

/** A delivery job's payload: ids only; the worker re-reads the ticket (or booking) at send time. */
export const noticeJob = z
  .strictObject({
    /** The ticket the notice is about; '' for notices about a booking. */
    ticketId: z.union([z.literal(''), recordId]).default(''),
    kind: z.enum(noticeKinds),
    /** Recall number (recalled) or call number (called), so each call and recall is its own notice. */
    n: z.number().int().min(0).max(1000).default(0),
    /** When the queue event happened (ms), for the event-to-send latency metric. */
    eventAt: z.number().int().min(0),
    /** Booking reminders, and incidents told to a booking holder. */
    bookingId: recordId.optional(),
    /** Incident notices. */
    incidentId: recordId.optional(),
    /** The booking's version when the reminder was planned: a changed booking makes it stale. */
    version: z.number().int().min(0).optional(),
    /** Document pickup notices: the application (its id is its ticket's id, which may be gone by then). */
    pickupId: recordId.optional(),
    /**
     * The MPP site whose queue holds the ticket (its scheduler says so): delivery reads that queue
     * at once. Absent (booking and incident notices, jobs from before sites): found by asking each site.
     */
    site: z.string().regex(SITE_ID).optional(),
  })
  .superRefine((job, ctx) => {
    const booking = bookingKinds.includes(job.kind);
    if (booking && (!job.bookingId || job.version === undefined)) ctx.addIssue({ code: 'custom', message: `${job.kind} needs bookingId and version` });
    if (job.kind === 'incident' && (!job.incidentId || (!job.ticketId && !job.bookingId))) ctx.addIssue({ code: 'custom', message: 'incident needs incidentId and a ticket or booking' });
    const pickup = pickupKinds.includes(job.kind);
    if (pickup && !job.pickupId) ctx.addIssue({ code: 'custom', message: `${job.kind} needs pickupId` });
    if (!booking && !pickup && job.kind !== 'incident' && !job.ticketId) ctx.addIssue({ code: 'custom', message: `${job.kind} needs ticketId` });
  });
export type NoticeJob = z.infer<typeof noticeJob>;

/** What names a notice job (for removing one): its kind and the ids its job id is built from. */
export type NoticeRef = Pick<NoticeJob, 'kind' | 'ticketId' | 'n'> & Partial<Pick<NoticeJob, 'bookingId' | 'incidentId' | 'pickupId'>>;

/**
 * Deterministic job id: one notice per ticket and kind (per incident and holder, per booking and
 * reminder), whatever the number of events or processes. Ids start with letters: never all digits.
 */
export function noticeJobId(job: NoticeRef): string {
  switch (job.kind) {
    case 'recalled':
      return `recalled-${job.ticketId}-${job.n}`;
    // A transferred ticket is called again: the call number keeps that a new notice.
    case 'called':
      return `called-${job.ticketId}-${job.n}`;
    case 'incident':
      return `incident-${job.incidentId ?? ''}-${job.ticketId || job.bookingId || ''}`;
    case 'booking-daybefore':
      return `booking-${job.bookingId ?? ''}-daybefore`;
    case 'booking-hour':
      return `booking-${job.bookingId ?? ''}-hour`;
    case 'near':
    case 'no-show':
    case 'survey':
    case 'next-step':
      return `${job.kind}-${job.ticketId}`;
    // Once when ready; each not-collected reminder (n = 1, 2, …) once.
    case 'pickup-ready':
      return `pickup-${job.pickupId ?? ''}-ready`;
    case 'pickup-uncollected':
      return `pickup-${job.pickupId ?? ''}-uncollected-${job.n}`;
    default: {
      const unhandled: never = job.kind;
      throw new Error(`no job id for notice kind ${String(unhandled)}`);
    }
  }
}

/** BullMQ queue name of a channel's outbox; BullMQ names may not contain ':'. */
export function outboxName(channel: string): string {
  return `notify-${channel.replace(/[^a-z0-9-]/gi, '-')}`;
}
