import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { parseEvent, type QueueEvent } from '../queue/events.js';
import type { QueueService } from '../queue/queue-service.js';
import type { Outbox } from './outbox.js';
import { replyErrorCode } from '../redis/errors.js';

export interface ReminderRules {
  /** "N lagi": remind when this many people or fewer are ahead (negative: never)… */
  nearAhead: number;
  /** …or when the estimated wait drops under this many minutes. */
  nearMinutes: number;
  /** Delay of the satisfaction survey after "done"; 0 disables the survey. */
  surveyDelayMs: number;
}

const GROUP = 'reminders';
/** Channels whose citizens cannot be reached (kiosk/API tickets). */
const UNREACHABLE = new Set(['', 'api']);
/** A ticket taken less than this long ago has just seen its place on the ticket card. */
const FRESH_MS = 60_000;
/** Waiting tickets looked at per line when checking who is near. */
const NEAR_SCAN = 15;
/** XREADGROUP blocks this long, so a consuming loop returns at least this often. */
const BLOCK_MS = 2000;
/** No successful read for this long (several blocks and a retry pause) means not consuming. */
const STALL_MS = 4 * BLOCK_MS + 2000;

/** What `/readyz` shows of the scheduler: `consuming`, or `stalled` with the last error. */
export interface SchedulerHealth {
  state: 'consuming' | 'stalled';
  /** Milliseconds since the last successful read of the event stream. */
  sinceLastReadMs: number;
  lastError?: string;
}

/**
 * Turns queue events into notices. Reads the queue's event stream as a consumer group, so each
 * event is handled by one process; a crash leaves it pending and another consumer claims it.
 * Enqueuing is idempotent (job ids), so handling an event twice sends nothing twice.
 */
export class ReminderScheduler {
  private running = false;
  private loop?: Promise<void>;
  private lastReadAt = Date.now();
  private lastError?: string;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly redis: Redis,
    private readonly queue: QueueService,
    private readonly outbox: Outbox,
    private readonly rules: ReminderRules,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    await this.createGroup('$');
    this.lastReadAt = Date.now();
    this.running = true;
    this.loop = this.run();
  }

  /** Wall-clock liveness (not the domain clock): a loop that has not read for STALL_MS is stalled. */
  health(): SchedulerHealth {
    const sinceLastReadMs = Date.now() - this.lastReadAt;
    return { state: sinceLastReadMs < STALL_MS ? 'consuming' : 'stalled', sinceLastReadMs, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /**
   * `$` at first start: events from before the first scheduler are history. `0` after Redis lost
   * the group (restart without persistence, failover to an empty replica): every event in the
   * stream was written since, so none of them has been handled.
   */
  private async createGroup(from: '$' | '0'): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.queue.eventStream, GROUP, from, 'MKSTREAM');
    } catch (err) {
      // Another process created the group first: that is the group we wanted.
      if (replyErrorCode(err) !== 'BUSYGROUP') throw err;
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        if (Date.now() - lastClaim > 30_000) {
          lastClaim = Date.now();
          await this.claimAbandoned();
        }
        const result = (await this.redis.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 50, 'BLOCK', BLOCK_MS, 'STREAMS', this.queue.eventStream, '>')) as Array<[string, Array<[string, string[]]>]> | null;
        this.lastReadAt = Date.now();
        this.lastError = undefined;
        for (const [, entries] of result ?? []) await this.handleAll(entries);
      } catch (err) {
        if (!this.running) return;
        this.lastError = (err as Error).message;
        if (replyErrorCode(err) === 'NOGROUP') {
          // Redis came back without our data: retrying the read would fail forever.
          this.logger.warn('reminder scheduler: the consumer group is gone (Redis lost its data); recreating it');
          try {
            await this.createGroup('0');
            continue;
          } catch (again) {
            this.lastError = (again as Error).message;
          }
        } else {
          this.logger.warn({ err: this.lastError }, 'reminder scheduler: redis error, retrying');
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Events another consumer took and never acknowledged (it died) are handled here. */
  private async claimAbandoned(): Promise<void> {
    const [, entries] = (await this.redis.xautoclaim(this.queue.eventStream, GROUP, this.consumer, 60_000, '0-0', 'COUNT', 100)) as [string, Array<[string, string[]]>];
    await this.handleAll(entries.filter((e) => Array.isArray(e[1])));
  }

  private async handleAll(entries: Array<[string, string[]]>): Promise<void> {
    for (const [id, fields] of entries) {
      try {
        await this.handle(parseEvent(id, fields));
        await this.redis.xack(this.queue.eventStream, GROUP, id);
      } catch (err) {
        // Left pending: claimed and retried later.
        this.logger.warn({ event: id, err: (err as Error).message }, 'reminder scheduling failed; will retry');
      }
    }
  }

  /** Exposed for tests and the worker: what one event leads to. */
  async handle(event: QueueEvent): Promise<void> {
    const ticket = await this.queue.get(event.ticket);
    const eventAt = event.at || this.clock.now().getTime();
    if (ticket && !UNREACHABLE.has(ticket.channel)) {
      const base = { ticketId: ticket.id, eventAt, n: 0 };
      switch (event.type) {
        case 'called':
          await this.outbox.schedule(ticket.channel, { ...base, kind: 'called', n: ticket.calls });
          break;
        case 'recalled':
          await this.outbox.schedule(ticket.channel, { ...base, kind: 'recalled', n: ticket.recalls });
          break;
        case 'no-show':
          await this.outbox.schedule(ticket.channel, { ...base, kind: 'no-show' });
          break;
        case 'done':
          if (this.rules.surveyDelayMs > 0) await this.outbox.schedule(ticket.channel, { ...base, kind: 'survey' }, this.rules.surveyDelayMs);
          break;
        // A visit's next step is callable: where to go next ("Selanjutnya: …"), once per step.
        case 'released':
          await this.outbox.schedule(ticket.channel, { ...base, kind: 'next-step' });
          break;
        // No notice of their own: the citizen did it, or only their place changed ("near" below).
        case 'issued':
        case 'serving':
        case 'cancelled':
        case 'transferred':
        case 'postponed':
          break;
        default: {
          const unhandled: never = event.type;
          throw new Error(`unhandled queue event ${String(unhandled)}`);
        }
      }
    }
    if (event.type !== 'issued' && event.type !== 'recalled') {
      await this.checkNear(event.service, eventAt);
      if (ticket?.transferredFrom && event.type === 'transferred') await this.checkNear(ticket.transferredFrom, eventAt);
    }
  }

  /** The line moved: remind those now within N places or M minutes, once each. */
  private async checkNear(serviceId: string, eventAt: number): Promise<void> {
    const now = this.clock.now().getTime();
    // The head of the call order: the first NEAR_SCAN are the only ones that can be near.
    for (const view of await this.queue.nextInLine(serviceId, NEAR_SCAN)) {
      if (UNREACHABLE.has(view.channel) || now - view.createdAt < FRESH_MS) continue;
      // A held visit step waits for its previous step, not for the line; a just-released one was
      // told its place by the next-step notice.
      if (view.visit && (view.visit.held || now - (view.visit.releasedAt ?? 0) < FRESH_MS)) continue;
      if (view.ahead <= this.rules.nearAhead || view.etaMinutes <= this.rules.nearMinutes) {
        await this.outbox.schedule(view.channel, { ticketId: view.id, kind: 'near', n: 0, eventAt });
      }
    }
  }
}
