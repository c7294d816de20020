import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { replyErrorCode } from './errors.js';

/** XREADGROUP blocks this long, so a consuming loop returns at least this often. */
const BLOCK_MS = 2000;
/** No successful read for this long (several blocks and a retry pause) means not consuming. */
const STALL_MS = 4 * BLOCK_MS + 2000;
/** An entry another consumer took and did not acknowledge for this long is taken over (it died). */
const CLAIM_IDLE_MS = 60_000;
/** How often abandoned entries are looked for. */
const CLAIM_EVERY_MS = 30_000;

/** What `/readyz` shows of a consumer: `consuming`, or `stalled` with the last error. */
export interface ConsumerHealth {
  state: 'consuming' | 'stalled';
  /** Milliseconds since the last successful read of the stream. */
  sinceLastReadMs: number;
  lastError?: string;
}

export interface StreamConsumerOptions {
  /** A connection of its own: XREADGROUP BLOCK holds it. `stop()` disconnects it. */
  redis: Redis;
  stream: string;
  group: string;
  /** Handles one entry; a throw leaves it pending, so it is claimed and retried later. */
  handle: (id: string, fields: string[]) => Promise<void>;
  logger: Logger;
  /** Names the consumer in warnings ("reminder scheduler kec-utara"). */
  label: string;
}

/**
 * One consumer of a Redis stream's consumer group, so each entry is handled by one process of the
 * deployment: a crash leaves an entry pending and another consumer claims it (XAUTOCLAIM). Handlers
 * must be idempotent (an entry can be handled twice). Survives Redis restarts, and a Redis that
 * came back without its data (NOGROUP): the group is created again from the stream's start.
 */
export class StreamConsumer {
  private running = false;
  private loop?: Promise<void>;
  private lastReadAt = Date.now();
  private lastError?: string;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly opts: StreamConsumerOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    await this.createGroup('$');
    this.lastReadAt = Date.now();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.opts.redis.disconnect();
    await this.loop;
  }

  /** Wall-clock liveness (not the domain clock): a loop that has not read for STALL_MS is stalled. */
  health(): ConsumerHealth {
    const sinceLastReadMs = Date.now() - this.lastReadAt;
    return { state: sinceLastReadMs < STALL_MS ? 'consuming' : 'stalled', sinceLastReadMs, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /**
   * `$` at first start: entries from before the first consumer are history. `0` after Redis lost
   * the group (restart without persistence, failover to an empty replica): every entry in the
   * stream was written since, so none of them has been handled.
   */
  private async createGroup(from: '$' | '0'): Promise<void> {
    try {
      await this.opts.redis.xgroup('CREATE', this.opts.stream, this.opts.group, from, 'MKSTREAM');
    } catch (err) {
      // Another process created the group first: that is the group we wanted.
      if (replyErrorCode(err) !== 'BUSYGROUP') throw err;
    }
  }

  private async run(): Promise<void> {
    const { redis, stream, group, logger, label } = this.opts;
    let lastClaim = 0;
    while (this.running) {
      try {
        if (Date.now() - lastClaim > CLAIM_EVERY_MS) {
          lastClaim = Date.now();
          const [, claimed] = (await redis.xautoclaim(stream, group, this.consumer, CLAIM_IDLE_MS, '0-0', 'COUNT', 100)) as [string, Array<[string, string[] | null]>];
          // Entries deleted since (trimmed) come back without fields.
          await this.handleAll(claimed.filter((e): e is [string, string[]] => Array.isArray(e[1])));
        }
        const result = (await redis.xreadgroup('GROUP', group, this.consumer, 'COUNT', 50, 'BLOCK', BLOCK_MS, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]> | null;
        this.lastReadAt = Date.now();
        this.lastError = undefined;
        for (const [, entries] of result ?? []) await this.handleAll(entries);
      } catch (err) {
        if (!this.running) return;
        this.lastError = (err as Error).message;
        if (replyErrorCode(err) === 'NOGROUP') {
          // Redis came back without our data: retrying the read would fail forever.
          logger.warn(`${label}: the consumer group is gone (Redis lost its data); recreating it`);
          try {
            await this.createGroup('0');
            continue;
          } catch (again) {
            this.lastError = (again as Error).message;
          }
        } else {
          logger.warn({ err: this.lastError }, `${label}: redis error, retrying`);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async handleAll(entries: Array<[string, string[]]>): Promise<void> {
    for (const [id, fields] of entries) {
      try {
        await this.opts.handle(id, fields);
        await this.opts.redis.xack(this.opts.stream, this.opts.group, id);
      } catch (err) {
        // Left pending: claimed and retried later.
        this.opts.logger.warn({ event: id, err: (err as Error).message }, `${this.opts.label}: handling failed; will retry`);
      }
    }
  }
}
