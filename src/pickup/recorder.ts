import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parseEvent } from '../queue/events.js';
import type { QueueService } from '../queue/queue-service.js';
import { StreamConsumer } from '../redis/stream-consumer.js';
import type { Pickups } from './pickups.js';

const GROUP = 'pickups';

/**
 * Turns "done" events of every site's queue stream into pickup applications. A consumer group of
 * its own on each stream (beside the reminders'), so each event is handled by one process and a
 * crash leaves it pending for another; creating an application is idempotent (its id is the
 * ticket's), so handling an event twice makes one record.
 */
export class PickupRecorder {
  private readonly consumers: StreamConsumer[];

  constructor(
    /**
     * XREADGROUP BLOCK holds a connection: the first queue's consumer uses this one, each further
     * queue a duplicate of it. `stop()` disconnects them all.
     */
    redis: Redis,
    /** Every site's queue (or the one queue). */
    queues: QueueService | readonly QueueService[],
    private readonly pickups: Pickups,
    logger: Logger,
  ) {
    const list: readonly QueueService[] = Array.isArray(queues) ? queues : [queues as QueueService];
    this.consumers = list.map(
      (queue, i) =>
        new StreamConsumer({
          redis: i === 0 ? redis : redis.duplicate(),
          stream: queue.eventStream,
          group: GROUP,
          handle: (id, fields) => this.record(queue, id, fields),
          logger,
          label: 'pickup recorder',
        }),
    );
  }

  async start(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  private async record(queue: QueueService, id: string, fields: string[]): Promise<void> {
    const event = parseEvent(id, fields);
    if (event.type !== 'done' || !this.pickups.collects(event.service)) return;
    const ticket = await queue.get(event.ticket);
    if (ticket) await this.pickups.recordDone(ticket, queue.site);
  }
}
