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
}

export const defaultQueuePolicy: QueuePolicy = { maxPerDay: 3, priorityEvery: 3, noshowLimit: 2, noshowWindowDays: 30, blockDays: 7, retentionDays: 30, latePlaces: 3 };

export const DAY_TTL_SEC = 2 * 24 * 3600;
/** Daily counts per service stay for reports well past the ticket retention. */
export const STATS_TTL_SEC = 400 * 24 * 3600;
export const IDEM_TTL_SEC = 24 * 3600;
export const EVENTS_MAX_LEN = 10_000;
