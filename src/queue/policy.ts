/** Rules an MPP can tune (env QUEUE_*), with the defaults the issue and practice suggest. */
export interface QueuePolicy {
  /** Tickets one citizen may take per day, across services. */
  maxPerDay: number;
  /** One priority ticket after every N regular ones, counted per pool of counters serving the same services (0: priority always first). */
  priorityEvery: number;
  /** No-shows within the window that block remote tickets. */
  noshowLimit: number;
  noshowWindowDays: number;
  /** How long the block lasts (staff can lift it earlier). */
  blockDays: number;
  /** Days a ticket, with its link to the citizen, is kept (UU 27/2022: no longer than needed). */
  retentionDays: number;
  /** Places in the call order a citizen moves back with "saya terlambat" (once per ticket). */
  latePlaces: number;
  /** Limits for channels whose identity costs nothing (a fresh web chat session); absent: none. */
  unverified?: UnverifiedPolicy;
}

/**
 * Anyone can open a thousand web chat sessions, so their tickets are limited by what they cannot
 * multiply for free: the network address they come from, and a share of each service's daily
 * quota. WhatsApp and Telegram identities, the kiosk and the counter keep the rest of the quota.
 */
export interface UnverifiedPolicy {
  /** Channels whose citizens are unverified (the web chat). */
  channels: readonly string[];
  /** Tickets one address (IPv4, or IPv6 /64) may take per service per day through those channels. */
  perAddress: number;
  /** Percent of a service's daily quota those channels may use together (100: all of it). */
  quotaSharePercent: number;
}

export const defaultQueuePolicy: QueuePolicy = { maxPerDay: 3, priorityEvery: 3, noshowLimit: 2, noshowWindowDays: 30, blockDays: 7, retentionDays: 30, latePlaces: 3 };

/** Steps in one visit (src/visits MAX_SERVICES_PER_VISIT plans no more). */
export const MAX_VISIT_STEPS = 6;

export const DAY_TTL_SEC = 2 * 24 * 3600;
/** Daily counts per service stay for reports well past the ticket retention. */
export const STATS_TTL_SEC = 400 * 24 * 3600;
export const IDEM_TTL_SEC = 24 * 3600;
/** How long a web chat citizen's last address is remembered: the take comes within the same request. */
export const ORIGIN_TTL_SEC = 3600;
export const EVENTS_MAX_LEN = 10_000;
