/**
 * What the desk needs to know about opening hours. `OpeningHours` (src/catalogue/hours.ts) fits;
 * a desk with its own hours (shorter than the MPP's) can pass another implementation.
 */
export interface DeskHours {
  readonly timezone: string;
  status(at: Date): { open: boolean; nextOpen?: { at: Date } };
}

export interface DeskOptions {
  /** A claimed conversation with no message either way for this long goes back to the assistant. */
  idleTimeoutMs: number;
  /**
   * A claimed conversation whose replies are queued for the WhatsApp window waits this long for
   * the citizen to answer the template before it goes back (the idle timeout would drop them).
   */
  queuedHoldMs: number;
  /**
   * A waiting conversation nobody claimed goes back after this much time with the desk open;
   * undefined: never (the default: a request for a person is not dropped silently).
   */
  waitingTimeoutMs?: number;
  /**
   * Per channel, how long after the citizen's last message free text may be sent.
   * WhatsApp Cloud API: 24 hours (customer service window; after it, error 131047).
   */
  replyWindowsMs: Record<string, number>;
  /** Messages kept per conversation (citizen turns, replies, notes): the desk shows the latest. */
  messagesKept: number;
  /**
   * How long a conversation, its transcript and the citizen's channel address are kept after its
   * last activity. The address (channel + userKey) is deleted at once when it ends.
   */
  retentionSec: number;
  /** Staff reads in the audit log are kept this long (a year: enough for a yearly review). */
  auditRetentionMs: number;
  /** Figures (counts, first-response times) are kept this long: yearly reports. */
  figuresTtlSec: number;
  /** "Reply time now": the median of this many latest first responses… */
  estimateSamples: number;
  /** …or this when there are none yet. */
  defaultReplyMs: number;
  /** Bot turns kept as context for the officer. */
  contextTurns: number;
}

export const defaultDeskOptions: DeskOptions = {
  idleTimeoutMs: 30 * 60_000,
  queuedHoldMs: 72 * 3600_000,
  replyWindowsMs: { 'whatsapp-cloud': 24 * 3600_000 },
  messagesKept: 200,
  retentionSec: 30 * 86_400,
  auditRetentionMs: 366 * 86_400_000,
  figuresTtlSec: 400 * 86_400,
  estimateSamples: 20,
  defaultReplyMs: 10 * 60_000,
  contextTurns: 6,
};
