import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { QueueService } from '../queue/queue-service.js';
import { DEFAULT_SITE } from '../redis/keyspace.js';
import type { ConversationPort } from './conversation-port.js';
import { Notices, type NoticeLookups, type NoticeSite } from './notices.js';
import { Outbox, OutboxWorkers, bullConnection, bullPrefixOf, type DeliveryReport } from './outbox.js';
import type { NotifierRegistry } from './notifier.js';
import { ReminderScheduler, type ReminderRules, type SchedulerHealth } from './scheduler.js';

/** One MPP site as the reminders see it: its queue (one scheduler each), its bookings and incidents. */
export interface ReminderSite extends NoticeSite {
  queue: QueueService;
}

export interface ReminderRuntimeOptions {
  redisUrl: string;
  /** Commands connection (failure counters). */
  redis: Redis;
  prefix: string;
  /** The queue of a one-site setup (tests); ignored when `sites` is given. */
  queue: QueueService;
  /**
   * Every MPP site of the deployment, main first: one scheduler per site (each its own stream and
   * consumer group), and notices find the site of their ticket or booking. Default: `queue` alone.
   */
  sites?: readonly ReminderSite[];
  conversation: ConversationPort;
  notifiers: NotifierRegistry;
  rules: ReminderRules;
  clock: Clock;
  logger: Logger;
  holdMs?: number;
  /** First retry delay of a failed send (tests use a short one). */
  backoffMs?: number;
  onReport?: (report: DeliveryReport) => void;
  onFailure?: (queue: string) => void;
  /** Bookings and incidents, for their notices' send-time checks. */
  lookups?: NoticeLookups;
  /** BullMQ job lock for the outbox workers (tests use a short one). */
  lockMs?: number;
  /**
   * The producer side, when it had to exist before the runtime (compose builds it first, for the
   * services the engine needs); default: one of its own. The runtime closes it either way.
   */
  outbox?: Outbox;
}

/**
 * Reminders on BullMQ: the scheduler turns queue events into notices (one consumer group across
 * processes) and the outbox workers deliver them per channel. `npm start` runs both by default;
 * `npm run worker` runs them alone for scale-out.
 */
export class ReminderRuntime {
  readonly outbox: Outbox;
  readonly bullPrefix: string;
  private schedulers: Array<{ site: string; scheduler: ReminderScheduler }> = [];
  private workers?: OutboxWorkers;

  constructor(private readonly opts: ReminderRuntimeOptions) {
    this.bullPrefix = bullPrefixOf(opts.prefix);
    this.outbox = opts.outbox ?? Outbox.connect(opts.redisUrl, opts.prefix, opts.backoffMs);
  }

  get failuresKey(): string {
    return `${this.opts.prefix}:notify:failed`;
  }

  /** Starts delivery for the channels registered here, and the event scheduler when asked. */
  /** `holdBack`: channels whose delivery starts later, when this process comes to own them. */
  async start(opts: { scheduler: boolean; holdBack?: string[] }): Promise<void> {
    const sites = this.opts.sites;
    const notices = new Notices(sites ?? this.opts.queue, this.opts.conversation, this.opts.logger, this.opts.lookups);
    this.workers = new OutboxWorkers({
      redisUrl: this.opts.redisUrl,
      bullPrefix: this.bullPrefix,
      registry: this.opts.notifiers,
      notices,
      failures: { redis: this.opts.redis, key: this.failuresKey },
      logger: this.opts.logger,
      ...(this.opts.holdMs ? { holdMs: this.opts.holdMs } : {}),
      ...(this.opts.onReport ? { onReport: this.opts.onReport } : {}),
      ...(this.opts.onFailure ? { onFailure: this.opts.onFailure } : {}),
      ...(this.opts.lockMs ? { lockMs: this.opts.lockMs } : {}),
    });
    this.workers.start(opts.holdBack ?? []);
    if (opts.scheduler) {
      // One consumer per site: a site's stream lives in its own Cluster slot, so one blocking
      // connection cannot read several sites' streams (XREADGROUP across slots is refused).
      for (const site of sites ?? [{ id: '', queue: this.opts.queue }]) {
        const blocking = bullConnection(this.opts.redisUrl, site.id ? `reminder-scheduler-${site.id}` : 'reminder-scheduler');
        blocking.on('error', () => undefined);
        const scheduler = new ReminderScheduler(blocking, site.queue, this.outbox, this.opts.rules, this.opts.clock, this.opts.logger, site.id || undefined);
        this.schedulers.push({ site: site.id, scheduler });
        await scheduler.start();
      }
    }
  }

  /** Delivery for a channel this process just came to own (WhatsApp Web session). */
  addChannel(channel: string): void {
    this.workers?.startChannel(channel);
  }

  async removeChannel(channel: string): Promise<void> {
    await this.workers?.stopChannel(channel);
  }

  /**
   * The event schedulers' health, the worst of them (a stalled site stalls the whole), or undefined
   * when they run in another process (`npm run worker`).
   */
  schedulerHealth(): SchedulerHealth | undefined {
    const all = this.schedulers.map((s) => s.scheduler.health());
    return all.find((h) => h.state === 'stalled') ?? all.sort((a, b) => b.sinceLastReadMs - a.sinceLastReadMs)[0];
  }

  /** Each site's scheduler health by site id (`/readyz`), or undefined when they run elsewhere. */
  schedulerHealthBySite(): Record<string, SchedulerHealth> | undefined {
    if (this.schedulers.length === 0) return undefined;
    return Object.fromEntries(this.schedulers.map((s) => [s.site || DEFAULT_SITE, s.scheduler.health()]));
  }

  /** Finishes running jobs, then closes every connection. */
  async close(): Promise<void> {
    const schedulers = this.schedulers.splice(0);
    await Promise.all(schedulers.map((s) => s.scheduler.stop()));
    await this.workers?.close();
    await this.outbox.close();
  }
}
