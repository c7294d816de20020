import type { NoticeJob, NoticeRef } from './kinds.js';

/**
 * The port through which domain modules (appointments, incidents) have a notice delivered later.
 * Notices carry ids only; no BullMQ type crosses this line (the BullMQ `Outbox` implements it).
 */
export interface NoticeOutbox {
  /**
   * Schedules a notice to the citizen on `channel`, `delayMs` from now. The same notice
   * (same kind and ids) scheduled twice is kept once.
   */
  schedule(channel: string, notice: NoticeJob, delayMs?: number): Promise<void>;
  /** Withdraws a pending notice (booking moved, ticket cancelled); one already running is left alone. */
  withdraw(channel: string, notice: NoticeRef): Promise<void>;
}
