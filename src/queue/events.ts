import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A change in the queue, as written to the Redis stream by the Lua scripts. */
export interface QueueEvent {
  id: string;
  type: 'issued' | 'called' | 'recalled' | 'serving' | 'done' | 'no-show' | 'cancelled' | 'transferred' | 'postponed';
  ticket: string;
  number: string;
  service: string;
  status: string;
  counter: string;
  at: number;
}

type Listener = (event: QueueEvent) => void;

export function parseEvent(id: string, fields: string[]): QueueEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return { id, type: f.type as QueueEvent['type'], ticket: f.ticket ?? '', number: f.number ?? '', service: f.service ?? '', status: f.status ?? '', counter: f.counter ?? '', at: Number(f.at ?? 0) };
}

/**
 * Tails the queue's event stream (XREAD BLOCK) on its own connection and hands each event to
 * listeners in this process (the board's SSE streams). Survives Redis restarts: it retries.
 */
export class QueueEventTail {
  private readonly listeners = new Set<Listener>();
  private running = false;
  private last = '$';
  private loop?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
    private readonly logger: Logger,
  ) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.running) this.start();
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const result = (await this.redis.xread('COUNT', 100, 'BLOCK', 5000, 'STREAMS', this.streamKey, this.last));
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            this.last = id;
            const event = parseEvent(id, fields);
            for (const listener of this.listeners) listener(event);
          }
        }
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err: (err as Error).message }, 'queue event tail: redis error, retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
