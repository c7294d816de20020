import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { parseDeskEvent, type DeskEvent } from '../../desk/events.js';

type Listener = (event: DeskEvent) => void;

/**
 * Tails the desk's event stream once per process (XREAD BLOCK on its own connection, like
 * QueueEventTail) and fans each event out to the open /desk pages.
 */
export class DeskEventTail {
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
    if (!this.running) {
      this.running = true;
      this.loop = this.run();
    }
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const result = await this.redis.xread('COUNT', 100, 'BLOCK', 5000, 'STREAMS', this.streamKey, this.last);
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            this.last = id;
            const event = parseDeskEvent(id, fields);
            for (const listener of this.listeners) listener(event);
          }
        }
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err: (err as Error).message }, 'desk events: read failed, retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
