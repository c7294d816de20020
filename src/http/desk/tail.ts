import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parseDeskEvent, type DeskEvent } from '../../desk/events.js';
import { StreamTail } from '../../redis/stream-tail.js';

/** Tails the desk's event stream once per process and fans each event out to the open /desk pages. */
export class DeskEventTail extends StreamTail<DeskEvent> {
  constructor(redis: Redis, streamKey: string, logger: Logger) {
    super(redis, streamKey, parseDeskEvent, logger, 'desk events');
  }
}
