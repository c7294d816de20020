import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { bullConnection } from '../reminders/outbox.js';

export interface SweepResult {
  /** Keys holding personal data that had lost their expiry and got one back. */
  expiryRestored: number;
  /** Keys past their purpose that were deleted. */
  deleted: number;
  /** Queue events trimmed from the stream. */
  eventsTrimmed: number;
}

/**
 * UU 27/2022: personal data is kept no longer than needed. Every personal key is written with a
 * TTL; this daily sweep (a BullMQ job scheduler) is the safety net: it gives back an expiry to any
 * personal key that lost it (a write racing an expiry), drops old queue events, and leaves the
 * anonymous daily aggregates (stats, SKM) alone.
 */
export class RetentionSweep {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionDays: number,
    private readonly sessionIdleMs: number,
  ) {}

  async run(now = Date.now()): Promise<SweepResult> {
    const result: SweepResult = { expiryRestored: 0, deleted: 0, eventsTrimmed: 0 };
    const retentionSec = this.retentionDays * 86_400;
    const rules: Array<{ match: string; ttlSec: number }> = [
      { match: `${this.prefix}:{q}:ticket:*`, ttlSec: retentionSec },
      { match: `${this.prefix}:{q}:citall:*`, ttlSec: retentionSec },
      { match: `${this.prefix}:{q}:cit:*`, ttlSec: 2 * 86_400 },
      { match: `${this.prefix}:sess:*`, ttlSec: Math.ceil(this.sessionIdleMs / 1000) },
      { match: `${this.prefix}:pref:*`, ttlSec: 30 * 86_400 },
      { match: `${this.prefix}:webchat:pending:*`, ttlSec: 86_400 },
    ];
    for (const rule of rules) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', rule.match, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        const ttls = await Promise.all(keys.map((k) => this.redis.ttl(k)));
        for (const [i, key] of keys.entries()) {
          if (ttls[i] !== -1) continue;
          await this.redis.expire(key, rule.ttlSec);
          result.expiryRestored++;
        }
      } while (cursor !== '0');
    }
    // Events older than two days serve nobody (board and reminders act within the day).
    const minId = `${now - 2 * 86_400_000}-0`;
    result.eventsTrimmed = Number(await this.redis.xtrim(`${this.prefix}:{q}:events`, 'MINID', minId));
    return result;
  }
}

/** Runs the sweep every night at 02:30 in the MPP's time zone, in whichever worker is free. */
export class RetentionSchedule {
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly connection: Redis;
  private workerConnection?: Redis;

  constructor(
    private readonly redisUrl: string,
    private readonly bullPrefix: string,
    private readonly sweep: RetentionSweep,
    private readonly timezone: string,
    private readonly logger: Logger,
  ) {
    this.connection = bullConnection(redisUrl, 'maintenance');
    this.connection.on('error', () => undefined);
    this.queue = new Queue('maintenance', { connection: this.connection, prefix: bullPrefix });
    this.queue.on('error', () => undefined);
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler('retention-sweep', { pattern: '0 30 2 * * *', tz: this.timezone }, { name: 'retention-sweep', data: {} });
    this.worker = new Worker(
      'maintenance',
      async () => {
        const result = await this.sweep.run();
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
