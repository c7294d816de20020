import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defaultLocale, isLocale, type Locale } from '../../message.js';
import { pseudonym } from '../../logger.js';

/** Meta re-delivers a webhook until it gets a 2xx, for up to days; a week of ids covers it. */
const DEDUPE_TTL_SECONDS = 7 * 24 * 3600;
/** Only the last 24 hours matter for the customer-service window; a little longer for clock skew. */
const LAST_INBOUND_TTL_SECONDS = 2 * 24 * 3600;

/** The citizen's last message: when (ms) and the conversation's language. */
export interface LastInbound {
  at: number;
  locale: Locale;
}

/** Redis memory of the Cloud API channel, with no phone numbers in key names. */
export class CloudStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** True only the first time a message id (`wamid…`) arrives, in any process. */
  async firstDelivery(messageId: string): Promise<boolean> {
    const id = createHash('sha256').update(messageId).digest('base64url').slice(0, 22);
    return (await this.redis.set(`${this.prefix}:wac:msg:${id}`, '1', 'EX', DEDUPE_TTL_SECONDS, 'NX')) === 'OK';
  }

  async recordInbound(from: string, last: LastInbound): Promise<void> {
    await this.redis.set(this.lastKey(from), `${last.at} ${last.locale}`, 'EX', LAST_INBOUND_TTL_SECONDS);
  }

  async lastInbound(from: string): Promise<LastInbound | undefined> {
    const value = await this.redis.get(this.lastKey(from));
    const [at, locale] = (value ?? '').split(' ');
    if (!at || !/^\d+$/.test(at)) return undefined;
    return { at: Number(at), locale: isLocale(locale) ? locale : defaultLocale };
  }

  /** "Hapus data saya": forgets the citizen's last inbound time; returns how many records went. */
  async forget(from: string): Promise<number> {
    return this.redis.del(this.lastKey(from));
  }

  private lastKey(from: string): string {
    return `${this.prefix}:wac:last:${pseudonym(from)}`;
  }
}
