import type { Queue } from 'bullmq';
import { noticeJob, type NoticeKind } from './kinds.js';

/** A notice whose delivery gave up (attempts used up, or refused for good by the channel). Ids only. */
export interface FailedNotice {
  channel: string;
  jobId: string;
  kind: NoticeKind;
  ticketId: string;
  bookingId?: string;
  incidentId?: string;
  /** The channel's or the worker's last error, as BullMQ kept it (may name a person: mask before showing). */
  reason: string;
  attempts: number;
  /** When it last failed (ms). */
  failedAt?: number;
}

/** Looked at per channel: enough for a desk to act on, bounded however long an outage was. */
const PER_CHANNEL = 200;

/**
 * The failed notices of the per-channel outboxes, for operators: list them and send one again.
 * The page reads this instead of BullMQ (bull-board stays the admins' tool for the rest).
 */
export class FailedNotices {
  constructor(
    private readonly outbox: { queue(channel: string): Queue },
    private readonly channels: readonly string[],
  ) {}

  /** Failed notices of every channel, newest first. */
  async list(limit = PER_CHANNEL): Promise<FailedNotice[]> {
    const out: FailedNotice[] = [];
    for (const channel of this.channels) {
      for (const job of await this.outbox.queue(channel).getFailed(0, PER_CHANNEL - 1)) {
        const data = noticeJob.safeParse(job.data);
        if (!job.id || !data.success) continue;
        out.push({
          channel,
          jobId: job.id,
          kind: data.data.kind,
          ticketId: data.data.ticketId,
          ...(data.data.bookingId ? { bookingId: data.data.bookingId } : {}),
          ...(data.data.incidentId ? { incidentId: data.data.incidentId } : {}),
          reason: job.failedReason ?? '',
          attempts: job.attemptsMade,
          ...(job.finishedOn ? { failedAt: job.finishedOn } : {}),
        });
      }
    }
    return out.sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0)).slice(0, limit);
  }

  /**
   * Sends a failed notice again (its attempts start over). False when the channel is not one of
   * ours or the job is no longer failed (already retried, removed after 7 days). The worker
   * re-reads the ticket or booking, so a notice that is no longer true is dropped, not sent.
   */
  async retry(channel: string, jobId: string): Promise<boolean> {
    if (!this.channels.includes(channel)) return false;
    const job = await this.outbox.queue(channel).getJob(jobId);
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed');
    return true;
  }
}
