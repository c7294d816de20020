import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { parseEvent, type QueueEvent } from '../queue/events.js';
import type { QueueService } from '../queue/queue-service.js';
import { StreamConsumer, type ConsumerHealth } from '../redis/stream-consumer.js';
import type { NoticeOutbox } from './notice-outbox.js';

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

/** What `/readyz` shows of a scheduler: `consuming`, or `stalled` with the last error. */
export type SchedulerHealth = ConsumerHealth;

/**
 * Turns one site's queue events into notices. Reads the site's event stream as a consumer group,
 * so each event is handled by one process; a crash leaves it pending and another consumer claims
 * it. Enqueuing is idempotent (job ids), so handling an event twice sends nothing twice.
 */
export class ReminderScheduler {
  private readonly consumer: StreamConsumer;

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it. `stop()` disconnects it. */
    redis: Redis,
    private readonly queue: QueueService,
    private readonly outbox: NoticeOutbox,
    private readonly rules: ReminderRules,
    private readonly clock: Clock,
    logger: Logger,
    /** The site whose queue this is: its notices name it, so delivery reads the right queue at once. */
    private readonly site?: string,
  ) {
    this.consumer = new StreamConsumer({
      redis,
      stream: queue.eventStream,
      group: GROUP,
      handle: (id, fields) => this.handle(parseEvent(id, fields)),
      logger,
      label: site ? `reminder scheduler (${site})` : 'reminder scheduler',
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  health(): SchedulerHealth {
    return this.consumer.health();
  }

  /** Exposed for tests and the worker: what one event leads to. */
  async handle(event: QueueEvent): Promise<void> {
    const ticket = await this.queue.get(event.ticket);
    const eventAt = event.at || this.clock.now().getTime();
    if (ticket && !UNREACHABLE.has(ticket.channel)) {
      const base = { ticketId: ticket.id, eventAt, n: 0, ...this.at };
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
        case 'undone':
        case 'counter-status':
          break;
        default: {
          const unhandled: never = event.type;
          throw new Error(`unhandled queue event ${String(unhandled)}`);
        }
      }
    }
    if (event.type !== 'issued' && event.type !== 'recalled' && event.type !== 'counter-status') {
      await this.checkNear(event.service, eventAt);
      if (ticket?.transferredFrom && event.type === 'transferred') await this.checkNear(ticket.transferredFrom, eventAt);
    }
  }

  /** The site named in this scheduler's notices (none: the one queue of a test or an old job). */
  private get at(): { site?: string } {
    return this.site ? { site: this.site } : {};
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
        await this.outbox.schedule(view.channel, { ticketId: view.id, kind: 'near', n: 0, eventAt, ...this.at });
      }
    }
  }
}
