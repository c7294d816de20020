import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { connectRedis } from '../redis/connect.js';
import { pseudonym } from '../logger.js';
import { noticeJob, noticeJobId, outboxName, type NoticeJob, type NoticeRef } from './kinds.js';
import type { NoticeOutbox } from './notice-outbox.js';
import type { Notices } from './notices.js';
import { ChannelUnavailableError, PermanentDeliveryError, type NotifierRegistry } from './notifier.js';

/** How long a notice waits before looking again while its channel is down (WhatsApp session lost). */
const HOLD_MS = 30_000;
const ATTEMPTS = 8;

/**
 * Where BullMQ keeps its keys under REDIS_PREFIX. The whole prefix is one hash tag, as BullMQ
 * documents for Redis Cluster (`prefix: '{...}'`): every key of a queue (its lists, sets and job
 * hashes, which its Lua scripts use together) lands in one slot.
 */
export function bullPrefixOf(prefix: string): string {
  return `{${prefix}:bull}`;
}

/** Connection settings BullMQ needs: blocking commands must never give up (maxRetriesPerRequest null). */
export function bullConnection(url: string, name: string, logger?: Logger): Redis {
  return connectRedis(url, logger ?? quiet, name, 'blocking');
}

/** BullMQ reports connection trouble through each queue's and worker's own error handler. */
const quiet = pino({ level: 'silent' });

/**
 * Producer side of the per-channel outboxes (`notify-<channel>` BullMQ queues). Job ids are
 * deterministic, so the same notice added twice (two processes, a re-read event) is stored once.
 */
export class Outbox implements NoticeOutbox {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly bullPrefix: string,
    /** First retry delay; doubles each attempt (2 s, 4 s, 8 s...). */
    private readonly backoffMs = 2000,
    /** Set when the outbox opened its connection itself (`connect`): close() ends it. */
    private readonly ownsConnection = false,
  ) {}

  /** An outbox on a producer connection of its own, for `prefix` (REDIS_PREFIX). */
  static connect(redisUrl: string, prefix: string, backoffMs?: number): Outbox {
    const producer = bullConnection(redisUrl, 'outbox-producer');
    producer.on('error', () => undefined);
    return new Outbox(producer, bullPrefixOf(prefix), backoffMs, true);
  }

  queue(channel: string): Queue {
    let q = this.queues.get(channel);
    if (!q) {
      q = new Queue(outboxName(channel), { connection: this.connection, prefix: this.bullPrefix });
      q.on('error', () => undefined);
      this.queues.set(channel, q);
    }
    return q;
  }

  async schedule(channel: string, job: NoticeJob, delayMs = 0): Promise<void> {
    await this.queue(channel).add(job.kind, job, {
      jobId: noticeJobId(job),
      delay: Math.max(0, delayMs),
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: this.backoffMs },
      // Kept a day so a duplicate add within the day is still recognised as one.
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Removes a pending notice (booking moved, ticket cancelled); ignores ones already running. */
  async withdraw(channel: string, job: NoticeRef): Promise<void> {
    await this.queue(channel)
      .remove(noticeJobId(job))
      .catch(() => undefined);
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
    if (this.ownsConnection) this.connection.disconnect();
  }
}

export interface DeliveryReport {
  channel: string;
  kind: string;
  ticketId: string;
  outcome: 'sent' | 'stale' | 'permanent' | 'held';
  /** ms from the queue event to the hand-over to the channel. */
  latencyMs?: number;
}

/**
 * Consumer side: one BullMQ worker per channel registered in this process, limited to that
 * channel's rate. A notice is re-checked at send time; a permanent failure is recorded, not retried.
 */
export interface OutboxWorkersOptions {
  redisUrl: string;
  bullPrefix: string;
  registry: NotifierRegistry;
  notices: Notices;
  /** Where permanent failures are counted per channel. */
  failures: { redis: Redis; key: string };
  logger: Logger;
  /** How long a notice waits while its channel is down before looking again (default 30 s). */
  holdMs?: number;
  onReport?: (report: DeliveryReport) => void;
  /** Called for every failed attempt (metrics). */
  onFailure?: (queue: string) => void;
  /** Job lock; a worker that dies mid-job loses it after this long and another takes the job (default 30 s). */
  lockMs?: number;
}

export class OutboxWorkers {
  private readonly workers = new Map<string, Worker>();
  private readonly connections = new Map<string, Redis>();
  private readonly registry: NotifierRegistry;
  private readonly notices: Notices;
  private readonly logger: Logger;

  constructor(private readonly opts: OutboxWorkersOptions) {
    this.registry = opts.registry;
    this.notices = opts.notices;
    this.logger = opts.logger;
  }

  private report(r: DeliveryReport): void {
    this.opts.onReport?.(r);
  }

  /** Starts a worker for every registered channel except those held back (not owned here yet). */
  start(exclude: string[] = []): void {
    for (const channel of this.registry.channels()) if (!exclude.includes(channel)) this.startChannel(channel);
  }

  startChannel(channel: string): void {
    const notifier = this.registry.get(channel);
    if (!notifier || this.workers.has(channel)) return;
    // BullMQ never closes a connection it is handed: we keep it and close it ourselves.
    const connection = bullConnection(this.opts.redisUrl, `outbox-${channel}`);
    connection.on('error', () => undefined);
    this.connections.set(channel, connection);
    const worker = new Worker(outboxName(channel), (job, token) => this.process(channel, job, token), {
      connection,
      prefix: this.opts.bullPrefix,
      concurrency: 4,
      limiter: { max: notifier.rate.max, duration: notifier.rate.durationMs },
      ...(this.opts.lockMs ? { lockDuration: this.opts.lockMs, stalledInterval: this.opts.lockMs } : {}),
    });
    worker.on('failed', (job, err) => {
      this.opts.onFailure?.(outboxName(channel));
      this.logger.warn({ channel, job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'notice delivery failed');
    });
    worker.on('error', (err) => this.logger.warn({ channel, err: err.message }, 'outbox worker error'));
    this.workers.set(channel, worker);
  }

  async stopChannel(channel: string): Promise<void> {
    const worker = this.workers.get(channel);
    this.workers.delete(channel);
    await worker?.close();
    this.connections.get(channel)?.disconnect();
    this.connections.delete(channel);
  }

  async close(): Promise<void> {
    // close() lets running jobs finish; stalled-job handling returns anything cut off.
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.close()));
    for (const c of this.connections.values()) c.disconnect();
    this.connections.clear();
  }

  private async process(channel: string, job: Job, token?: string): Promise<string> {
    const data = noticeJob.parse(job.data);
    const notifier = this.registry.get(channel);
    if (!notifier) throw new Error(`no notifier for ${channel}`);
    if (notifier.isReady && !notifier.isReady()) return this.hold(job, token, channel, data);
    const prepared = await this.notices.prepare(data);
    if (!prepared) {
      this.report({ channel, kind: data.kind, ticketId: data.ticketId, outcome: 'stale' });
      return 'stale';
    }
    try {
      for (const message of prepared.messages) await notifier.send(prepared.to, message);
    } catch (err) {
      if (err instanceof ChannelUnavailableError) return this.hold(job, token, channel, data);
      if (err instanceof PermanentDeliveryError) {
        await this.opts.failures.redis.hincrby(this.opts.failures.key, channel, 1);
        this.logger.info({ channel, kind: data.kind, to: pseudonym(prepared.to), reason: err.message }, 'notice cannot be delivered; recorded');
        this.report({ channel, kind: data.kind, ticketId: data.ticketId, outcome: 'permanent' });
        throw new UnrecoverableError(err.message);
      }
      throw err;
    }
    this.report({ channel, kind: data.kind, ticketId: data.ticketId, outcome: 'sent', latencyMs: Date.now() - data.eventAt });
    return 'sent';
  }

  /** Keeps the notice for later without using up an attempt. */
  private async hold(job: Job, token: string | undefined, channel: string, data: NoticeJob): Promise<never> {
    this.report({ channel, kind: data.kind, ticketId: data.ticketId, outcome: 'held' });
    await job.moveToDelayed(Date.now() + (this.opts.holdMs ?? HOLD_MS), token);
    throw new DelayedError();
  }
}
