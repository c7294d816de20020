import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { bullConnection } from './outbox.js';

/** A nightly job: the retention sweep (src/privacy), or anything with a `run()`. */
export interface NightlyJob {
  run(): Promise<unknown>;
}

/** Runs the nightly job every night at 02:30 in the MPP's time zone, in whichever worker is free (a BullMQ job scheduler). */
export class NightlySchedule {
  private readonly queue: Queue;
  private worker?: Worker;
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
  ) {
    this.connection = bullConnection(redisUrl, 'maintenance');
    this.connection.on('error', () => undefined);
    this.queue = new Queue('maintenance', { connection: this.connection, prefix: bullPrefix });
    this.queue.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler('retention-sweep', { pattern: '0 30 2 * * *', tz: this.timezone }, { name: 'retention-sweep', data: {} });
    if (this.everyMinute) await this.queue.upsertJobScheduler('desk-sweep', { every: 60_000 }, { name: 'desk-sweep', data: {} });
    this.worker = new Worker(
      'maintenance',
      async (job) => {
        // The payload is nothing: the sweep re-reads the desk, so a late or duplicate run does nothing.
        if (job.name === 'desk-sweep') return this.everyMinute?.run();
        const result = await this.job.run();
        this.logger.info(result, 'retention sweep done');
        return result;
      },
      { connection: (this.workerConnection = bullConnection(this.redisUrl, 'maintenance-worker')), prefix: this.bullPrefix, concurrency: 1 },
    );
    this.worker.on('error', (err) => this.logger.warn({ err: err.message }, 'maintenance worker error'));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
    this.workerConnection?.disconnect();
  }
}
