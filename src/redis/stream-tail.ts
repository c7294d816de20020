import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Tails one Redis stream (XREAD BLOCK) on its own connection and hands each parsed entry to the
 * listeners of this process (board and desk SSE pages). Survives Redis restarts: it retries.
 * Starts on the first listener; `stop()` disconnects the connection it was given.
 */
export class StreamTail<E> {
  private readonly listeners = new Set<(event: E) => void>();
  private running = false;
  private last = '$';
  private loop?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly streamKey: string,
    private readonly parse: (id: string, fields: string[]) => E,
    private readonly logger: Logger,
    /** Names the stream in the retry warning. */
    private readonly label: string,
  ) {}

  on(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    this.start();
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
        const result = await this.redis.xread('COUNT', 100, 'BLOCK', 5000, 'STREAMS', this.streamKey, this.last);
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            this.last = id;
            const event = this.parse(id, fields);
            for (const listener of this.listeners) listener(event);
          }
        }
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err: (err as Error).message }, `${this.label}: redis error, retrying`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
}
