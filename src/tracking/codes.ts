import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { addDays, zonedTime } from '../catalogue/local-time.js';
import type { Clock } from '../clock.js';
import { TrackingKeys } from './keys.js';

/** 16 random bytes: 128 bits, far past guessing, as 22 URL-safe characters. */
const CODE_BYTES = 16;
const CODE_FORMAT = /^[A-Za-z0-9_-]{22}$/;
/** A code lives until the end of its ticket's day plus this margin (a citizen looking back in the evening). */
export const TRACKING_MARGIN_MS = 6 * 3_600_000;

/** Whether a string has the shape of a tracking code (checked before any Redis read). */
export function isTrackingCode(value: string): boolean {
  return CODE_FORMAT.test(value);
}

/** The tracking page's path for a code: the `trackUrl` of the ticket API. */
export function trackPath(code: string): string {
  return `/t/${code}`;
}

/**
 * Public tracking codes for tickets: an unguessable code that opens the ticket's tracking page
 * without a login. The code maps to a ticket id only; no personal data is stored with it, and it
 * expires with the ticket's day.
 */
export class TrackingCodes {
  private readonly keys: TrackingKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {
    this.keys = new TrackingKeys(prefix);
  }

  /** The instant a code of a ticket of `day` (YYYY-MM-DD, local) expires. */
  expiresAt(day: string): Date {
    return new Date(zonedTime(addDays(day, 1), 0, this.timeZone).getTime() + TRACKING_MARGIN_MS);
  }

  /**
   * The ticket's code, made on first use: the same ticket always gets the same code while it
   * lives (an idempotent retry of a take prints the same QR).
   */
  async issue(ticketId: string, day: string): Promise<string> {
    // Relative TTL from our clock, not an absolute PXAT: the clock is the domain's time.
    const ttlMs = Math.max(1000, this.expiresAt(day).getTime() - this.clock.now().getTime());
    const existing = await this.redis.get(this.keys.ticket(ticketId));
    if (existing) return existing;
    const code = randomBytes(CODE_BYTES).toString('base64url');
    // The code's own entry first: whoever wins the ticket's entry below, no printed code dangles.
    await this.redis.set(this.keys.code(code), ticketId, 'PX', ttlMs);
    const won = await this.redis.set(this.keys.ticket(ticketId), code, 'PX', ttlMs, 'NX');
    if (won === 'OK') return code;
    const other = await this.redis.get(this.keys.ticket(ticketId));
    if (other) {
      await this.redis.del(this.keys.code(code));
      return other;
    }
    // The winner's entry expired in between: ours stands.
    await this.redis.set(this.keys.ticket(ticketId), code, 'PX', ttlMs);
    return code;
  }

  /** The ticket id behind a code, or undefined for a malformed, unknown or expired one. */
  async resolve(code: string): Promise<string | undefined> {
    if (!isTrackingCode(code)) return undefined;
    return (await this.redis.get(this.keys.code(code))) ?? undefined;
  }
}
