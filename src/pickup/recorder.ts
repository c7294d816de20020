import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parseEvent } from '../queue/events.js';
import type { QueueService } from '../queue/queue-service.js';
import { replyErrorCode } from '../redis/errors.js';
import type { Pickups } from './pickups.js';

const GROUP = 'pickups';
const BLOCK_MS = 2000;
/** An event another consumer took and did not acknowledge for this long is taken over. */
const CLAIM_IDLE_MS = 60_000;

/**
 * Turns "done" events of the queue's stream into pickup applications. A consumer group of its own
 * (beside the reminders'), so each event is handled by one process and a crash leaves it pending
 * for another; creating an application is idempotent, so handling an event twice makes one record.
 */
export class PickupRecorder {
  private running = false;
  private loop?: Promise<void>;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    /** A connection of its own: XREADGROUP BLOCK holds it. `stop()` disconnects it. */
    private readonly redis: Redis,
    private readonly queue: QueueService,
    private readonly pickups: Pickups,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    await this.createGroup('$');
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }

  private async createGroup(from: '$' | '0'): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.queue.eventStream, GROUP, from, 'MKSTREAM');
    } catch (err) {
      if (replyErrorCode(err) !== 'BUSYGROUP') throw err;
    }
  }

  private async run(): Promise<void> {
    let lastClaim = 0;
    while (this.running) {
      try {
        if (Date.now() - lastClaim > 30_000) {
          lastClaim = Date.now();
          const [, entries] = (await this.redis.xautoclaim(this.queue.eventStream, GROUP, this.consumer, CLAIM_IDLE_MS, '0-0', 'COUNT', 100)) as [string, Array<[string, string[]]>];
          await this.handleAll(entries.filter((e) => Array.isArray(e[1])));
        }
        const result = (await this.redis.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 50, 'BLOCK', BLOCK_MS, 'STREAMS', this.queue.eventStream, '>')) as Array<[string, Array<[string, string[]]>]> | null;
        for (const [, entries] of result ?? []) await this.handleAll(entries);
      } catch (err) {
        if (!this.running) return;
        if (replyErrorCode(err) === 'NOGROUP') {
          // Redis lost its data: every event still in the stream was written since.
          await this.createGroup('0').catch(() => undefined);
          continue;
        }
        this.logger.warn({ err: (err as Error).message }, 'pickup recorder: redis error, retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async handleAll(entries: Array<[string, string[]]>): Promise<void> {
    for (const [id, fields] of entries) {
      try {
        const event = parseEvent(id, fields);
        if (event.type === 'done' && this.pickups.collects(event.service)) {
          const ticket = await this.queue.get(event.ticket);
          if (ticket) await this.pickups.recordDone(ticket);
        }
        await this.redis.xack(this.queue.eventStream, GROUP, id);
      } catch (err) {
        // Left pending: claimed and retried later.
        this.logger.warn({ event: id, err: (err as Error).message }, 'pickup recording failed; will retry');
      }
    }
  }
}
