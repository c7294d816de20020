import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { StreamTail } from '../redis/stream-tail.js';

/** A change in the queue, as written to the Redis stream by the Lua scripts. */
/** `released`: a held visit step became callable because the step before it finished. */
export interface QueueEvent {
  id: string;
  type: 'issued' | 'called' | 'recalled' | 'serving' | 'done' | 'no-show' | 'cancelled' | 'transferred' | 'postponed' | 'released';
  ticket: string;
  number: string;
  service: string;
  status: string;
  counter: string;
  at: number;
}

export function parseEvent(id: string, fields: string[]): QueueEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return { id, type: f.type as QueueEvent['type'], ticket: f.ticket ?? '', number: f.number ?? '', service: f.service ?? '', status: f.status ?? '', counter: f.counter ?? '', at: Number(f.at ?? 0) };
}

/**
 * Tails the queue's event stream (XREAD BLOCK) on its own connection and hands each event to
 * listeners in this process (the board's SSE streams). Survives Redis restarts: it retries.
 */
export class QueueEventTail extends StreamTail<QueueEvent> {
  constructor(redis: Redis, streamKey: string, logger: Logger) {
    super(redis, streamKey, parseEvent, logger, 'queue event tail');
  }
}
