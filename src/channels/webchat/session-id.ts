import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Web chat session ids are `<random>.<mac>`: the server can tell an id it issued from a forged
 * one without storing anything. The key is shared through Redis so every instance accepts every id.
 */
export class SessionIds {
  private constructor(private readonly key: Buffer) {}

  static async create(redis: Redis, prefix: string, configured?: string): Promise<SessionIds> {
    if (configured) return new SessionIds(Buffer.from(configured));
    const name = `${prefix}:webchat:key`;
    await redis.set(name, randomBytes(32).toString('base64'), 'NX');
    const stored = await redis.get(name);
    if (!stored) throw new Error('could not read the web chat signing key from Redis');
    return new SessionIds(Buffer.from(stored, 'base64'));
  }

  issue(): string {
    const id = randomBytes(16).toString('base64url');
    return `${id}.${this.mac(id)}`;
  }

  /** The random part of a valid id, or undefined for anything we did not issue. */
  verify(sessionId: string): string | undefined {
    const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(sessionId);
    if (!match) return undefined;
    const expected = Buffer.from(this.mac(match[1]!));
    const given = Buffer.from(match[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? match[1] : undefined;
  }

  /**
   * A keyed pseudonym (HMAC with the signing key) of a value such as the network a page writes
   * from: stable across instances, not reversible without the key, even for the small IPv4 space.
   */
  pseudonym(value: string): string {
    return createHmac('sha256', this.key).update(`pseudonym\u0000${value}`).digest('base64url').slice(0, 22);
  }

  private mac(id: string): string {
    return createHmac('sha256', this.key).update(id).digest('base64url').slice(0, 22);
  }
}
