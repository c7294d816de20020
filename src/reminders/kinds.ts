import { z } from 'zod';

/** Notices sent outside a conversation, each tied to one ticket. */
export const noticeKinds = ['near', 'called', 'recalled', 'no-show', 'survey'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

/** A delivery job's payload: ids only; the worker re-reads the ticket at send time. */
export const noticeJob = z.strictObject({
  ticketId: z.string().regex(/^[a-z0-9]{6,40}$/),
  kind: z.enum(noticeKinds),
  /** Recall number, so each recall is its own notice. */
  n: z.number().int().min(0).max(1000).default(0),
  /** When the queue event happened (ms), for the event-to-send latency metric. */
  eventAt: z.number().int().min(0),
});
export type NoticeJob = z.infer<typeof noticeJob>;

/** Deterministic job id: one notice per ticket and kind, whatever the number of events or processes. */
export function noticeJobId(job: Pick<NoticeJob, 'kind' | 'ticketId' | 'n'>): string {
  return job.kind === 'recalled' ? `recalled-${job.ticketId}-${job.n}` : `${job.kind}-${job.ticketId}`;
}

/** BullMQ queue name of a channel's outbox; BullMQ names may not contain ':'. */
export function outboxName(channel: string): string {
  return `notify-${channel.replace(/[^a-z0-9-]/gi, '-')}`;
}
