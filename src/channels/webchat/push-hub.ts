import type { Redis } from 'ioredis';
import type { OutgoingMessage } from '../../message.js';

type Listener = (message: OutgoingMessage) => void;

/**
 * Pushes to open web chat pages (reminders, late answers) through Redis pub/sub, so a push from
 * any process reaches the instance that holds the page's SSE stream.
 */
export class PushHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private unsubscribing = 0;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, payload: string) => {
      const sid = channel.slice(this.channel('').length);
      const set = this.listeners.get(sid);
      // Published while this instance was still unsubscribing from a page that just closed: the
      // publisher counted us as a listener and kept nothing, so keep it here instead of losing it.
      if (!set) return void this.keep(sid, payload).catch(() => undefined);
      let message: OutgoingMessage;
      try {
        message = JSON.parse(payload) as OutgoingMessage;
      } catch {
        return;
      }
      for (const listener of set) listener(message);
    });
  }

  /** Sends to every open page of the session; resolves with how many instances listened. */
  async push(sessionKey: string, message: OutgoingMessage): Promise<number> {
    return this.publisher.publish(this.channel(sessionKey), JSON.stringify(message));
  }

  /**
   * Delivers a notice: live when a page is open, otherwise kept (a day, at most 20) and handed
   * over when the page reconnects, so a reminder is not lost because the tab was closed.
   */
  async deliver(sessionKey: string, message: OutgoingMessage): Promise<void> {
    const listeners = await this.push(sessionKey, message);
    if (listeners > 0) return;
    await this.keep(sessionKey, JSON.stringify(message));
  }

  private async keep(sessionKey: string, payload: string): Promise<void> {
    const key = this.pendingKey(sessionKey);
    await this.publisher.multi().rpush(key, payload).ltrim(key, -20, -1).expire(key, 86_400).exec();
  }

  /** Notices kept while no page was open, oldest first; removed as they are taken. */
  async takePending(sessionKey: string): Promise<OutgoingMessage[]> {
    const key = this.pendingKey(sessionKey);
    const [[, items]] = ((await this.publisher.multi().lrange(key, 0, -1).del(key).exec()) ?? [[null, []]]) as [[unknown, string[]]];
    return items.flatMap((raw) => {
      try {
        return [JSON.parse(raw) as OutgoingMessage];
      } catch {
        return [];
      }
    });
  }

  /** Drops kept notices of a session ("hapus data saya"); returns how many there were. */
  async clearPending(sessionKey: string): Promise<number> {
    const key = this.pendingKey(sessionKey);
    const [[, count]] = ((await this.publisher.multi().llen(key).del(key).exec()) ?? [[null, 0]]) as [[unknown, number]];
    return Number(count);
  }

  /** Retention (UU 27/2022): notices kept for a closed page live a day at most. */
  retention(): Array<{ match: string; ttlSec: number }> {
    return [{ match: this.pendingKey('*'), ttlSec: 86_400 }];
  }

  private pendingKey(sessionKey: string): string {
    return `${this.prefix}:webchat:pending:${sessionKey}`;
  }

  async listen(sessionKey: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(sessionKey);
    if (!set) {
      set = new Set();
      this.listeners.set(sessionKey, set);
      await this.subscriber.subscribe(this.channel(sessionKey));
    }
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(sessionKey) === set) {
        this.listeners.delete(sessionKey);
        this.unsubscribing++;
        try {
          await this.subscriber.unsubscribe(this.channel(sessionKey));
        } finally {
          this.unsubscribing--;
        }
      }
    };
  }

  /** Open page streams, counting a closed one until Redis has dropped its subscription. */
  get openStreams(): number {
    let n = this.unsubscribing;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private channel(sessionKey: string): string {
    return `${this.prefix}:webchat:push:${sessionKey}`;
  }
}
