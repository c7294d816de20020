import type { Redis } from 'ioredis';
import { scanKeys } from '../redis/scan.js';

/** A key pattern a store owns and how long keys matching it may live. */
export interface RetentionRule {
  /** SCAN MATCH pattern, built by the store from its own key builder. */
  match: string;
  ttlSec: number;
}

/** A store that keeps personal data (or data past its purpose) says what it keeps and for how long. */
export interface RetainedStore {
  retention(): RetentionRule[];
  /** Its own clean-up beyond TTLs (e.g. the queue trims old events); returns how many records went. */
  sweep?(nowMs: number): Promise<number>;
}

export interface SweepResult {
  /** Keys holding personal data that had lost their expiry and got one back. */
  expiryRestored: number;
  /** Records the stores' own sweeps removed (old queue events). */
  trimmed: number;
}

/**
 * UU 27/2022: personal data is kept no longer than needed. Every personal key is written with a
 * TTL; this daily sweep is the safety net: it gives back an expiry to any personal key that lost
 * it (a write racing an expiry) and runs each store's own clean-up. The rules come from the
 * stores themselves (their key builders), so a renamed key cannot slip past the sweep.
 */
export class RetentionSweep {
  constructor(
    private readonly redis: Redis,
    private readonly stores: readonly RetainedStore[],
  ) {}

  async run(now = Date.now()): Promise<SweepResult> {
    const result: SweepResult = { expiryRestored: 0, trimmed: 0 };
    for (const store of this.stores) {
      for (const rule of store.retention()) result.expiryRestored += await this.restoreExpiry(rule);
      if (store.sweep) result.trimmed += await store.sweep(now);
    }
    return result;
  }

  private async restoreExpiry(rule: RetentionRule): Promise<number> {
    let restored = 0;
    // Every master of a Redis Cluster, one after the other.
    for await (const keys of scanKeys(this.redis, rule.match)) {
      const ttls = await Promise.all(keys.map((k) => this.redis.ttl(k)));
      for (const [i, key] of keys.entries()) {
        if (ttls[i] !== -1) continue;
        await this.redis.expire(key, rule.ttlSec);
        restored++;
      }
    }
    return restored;
  }
}

/** The key builder of a site's bookings, as far as their retention needs it (src/appointments/keys.ts). */
export interface BookingKeyPatterns {
  bookingPrefix: string;
  citizen(subject: string): string;
  all(subject: string): string;
}

/**
 * A site's bookings: a booking holds the citizen's address (channel, chat id) and their index
 * names them, so they live as long as a ticket does (TICKET_RETENTION_DAYS, the booking store's
 * own TTL past the booked day). The patterns come from the bookings' key builder.
 */
export function bookingRetention(keys: BookingKeyPatterns, retentionDays: number): RetainedStore {
  const ttlSec = retentionDays * 86_400;
  return { retention: () => [`${keys.bookingPrefix}*`, keys.citizen('*'), keys.all('*')].map((match) => ({ match, ttlSec })) };
}
