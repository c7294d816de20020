import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { bullConnection } from './outbox.js';

/** A nightly job: the retention sweep (src/privacy), or anything with a `run()`. */
export interface NightlyJob {
  run(): Promise<unknown>;
}

const SCHEDULER_ID = 'retention-sweep';
const DESK_SCHEDULER_ID = 'desk-sweep';
/** How often the job scheduler is checked for (and recreated after Redis lost its data). */
const CHECK_MS = 60_000;

/**
 * Runs the nightly job every night at 02:30 in the MPP's time zone, in whichever worker is free (a
 * BullMQ job scheduler). The scheduler lives only in Redis: after a restart without persistence
 * or a failover to an empty replica it is gone, so every running schedule checks for it and puts
 * it back (an upsert, so several processes doing it at once leave one scheduler).
 */
export class NightlySchedule {
  private readonly queue: Queue;
  private worker?: Worker;
  private check?: NodeJS.Timeout;
  private readonly connection: Redis;
  private workerConnection?: Redis;

  constructor(
    private readonly redisUrl: string,
    private readonly bullPrefix: string,
    private readonly job: NightlyJob,
    private readonly timezone: string,
    private readonly logger: Logger,
    /** Runs every minute (the help desk's sweep: idle hand-overs back to the assistant). */
    private readonly everyMinute?: NightlyJob,
    private readonly checkMs = CHECK_MS,
  ) {
    this.connection = bullConnection(redisUrl, 'maintenance');
    this.connection.on('error', () => undefined);
    this.queue = new Queue('maintenance', { connection: this.connection, prefix: bullPrefix });
    this.queue.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.upsert();
    this.check = setInterval(() => void this.ensure(), this.checkMs);
    this.check.unref();
    this.worker = new Worker(
      'maintenance',
      async (job) => {
        // The payload is nothing: the sweep re-reads the desk, so a late or duplicate run does nothing.
        if (job.name === DESK_SCHEDULER_ID) return this.everyMinute?.run();
        const result = await this.job.run();
        this.logger.info(result, 'retention sweep done');
        return result;
      },
      { connection: (this.workerConnection = bullConnection(this.redisUrl, 'maintenance-worker')), prefix: this.bullPrefix, concurrency: 1 },
    );
    this.worker.on('error', (err) => this.logger.warn({ err: err.message }, 'maintenance worker error'));
  }

  /** Puts the job scheduler back when Redis no longer has it; true when it had to. */
  async ensure(): Promise<boolean> {
    try {
      const desk = !this.everyMinute || (await this.queue.getJobScheduler(DESK_SCHEDULER_ID));
      if ((await this.queue.getJobScheduler(SCHEDULER_ID)) && desk) return false;
      this.logger.warn('the nightly retention job scheduler is gone (Redis lost its data); recreating it');
      await this.upsert();
      return true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not check the nightly job scheduler; will retry');
      return false;
    }
  }

  private async upsert(): Promise<void> {
    await this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern: '0 30 2 * * *', tz: this.timezone }, { name: SCHEDULER_ID, data: {} });
    if (this.everyMinute) await this.queue.upsertJobScheduler(DESK_SCHEDULER_ID, { every: 60_000 }, { name: DESK_SCHEDULER_ID, data: {} });
  }

  async close(): Promise<void> {
    clearInterval(this.check);
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
    this.workerConnection?.disconnect();
  }
}
