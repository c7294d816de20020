/**
 * Runs sends one at a time and at most `max` per sliding window. whatsapp-web.js gives no rate
 * guidance and bans follow bursts, so the linked number sends slowly: a send over the limit waits
 * for a free slot instead of failing. One pacer per process covers replies and reminders together.
 */
export class SendPacer {
  private readonly sentAt: number[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly max: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  run<T>(send: () => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      await this.slot();
      return send();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Waits until a send fits in the window, then counts it. */
  private async slot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.sentAt.length > 0 && this.sentAt[0]! <= now - this.windowMs) this.sentAt.shift();
      if (this.sentAt.length < this.max) {
        this.sentAt.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.sentAt[0]! + this.windowMs - now));
    }
  }
}
