import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** How often an instance checks that the shared key is still in Redis. */
const CHECK_MS = 30_000;

/**
 * Web chat session ids are `<random>.<mac>`: the server can tell an id it issued from a forged
 * one without storing anything. The key is shared through Redis so every instance accepts every id.
 *
 * The key lives only in Redis: after a restart without persistence or a failover to an empty
 * replica it is gone, and the next instance to start would make a new one that the running
 * instances do not know. So each instance puts the key it holds back when it is missing (SET NX:
 * the first one wins), adopts whatever key is stored, and still accepts ids signed with the key it
 * held before, so no open conversation is cut off.
 */
export class SessionIds {
  private previous?: Buffer;
  private timer?: NodeJS.Timeout;

  private constructor(
    private key: Buffer,
    private readonly store?: { redis: Redis; name: string },
  ) {}

  static async create(redis: Redis, prefix: string, configured?: string, checkMs = CHECK_MS): Promise<SessionIds> {
    if (configured) return new SessionIds(Buffer.from(configured));
    const name = `${prefix}:webchat:key`;
    await redis.set(name, randomBytes(32).toString('base64'), 'NX');
    const stored = await redis.get(name);
    if (!stored) throw new Error('could not read the web chat signing key from Redis');
    const ids = new SessionIds(Buffer.from(stored, 'base64'), { redis, name });
    ids.timer = setInterval(() => void ids.keepStored().catch(() => undefined), checkMs);
    ids.timer.unref();
    return ids;
  }

  /** Puts this instance's key back when Redis lost it, then adopts the stored one; true when it had to. */
  async keepStored(): Promise<boolean> {
    if (!this.store) return false;
    const { redis, name } = this.store;
    const restored = (await redis.set(name, this.key.toString('base64'), 'NX')) === 'OK';
    const stored = await redis.get(name);
    if (stored && !Buffer.from(stored, 'base64').equals(this.key)) {
      this.previous = this.key;
      this.key = Buffer.from(stored, 'base64');
    }
    return restored;
  }

  close(): void {
    clearInterval(this.timer);
  }

  issue(): string {
    const id = randomBytes(16).toString('base64url');
    return `${id}.${this.mac(this.key, id)}`;
  }

  /** The random part of a valid id, or undefined for anything we did not issue. */
  verify(sessionId: string): string | undefined {
    const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(sessionId);
    if (!match) return undefined;
    const given = Buffer.from(match[2]!);
    for (const key of this.previous ? [this.key, this.previous] : [this.key]) {
      const expected = Buffer.from(this.mac(key, match[1]!));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return match[1];
    }
    return undefined;
  }

  /**
   * A keyed pseudonym (HMAC with the signing key) of a value such as the network a page writes
   * from: stable across instances, not reversible without the key, even for the small IPv4 space.
   */
  pseudonym(value: string): string {
    return createHmac('sha256', this.key).update(`pseudonym\u0000${value}`).digest('base64url').slice(0, 22);
  }

  private mac(key: Buffer, id: string): string {
    return createHmac('sha256', key).update(id).digest('base64url').slice(0, 22);
  }
}
