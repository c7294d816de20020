import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defaultLocale, isLocale, type Locale } from '../../message.js';
import { pseudonym } from '../../logger.js';

/** A citizen who wrote within this many days may get reminders; after that the number stays quiet. */
const SEEN_TTL_SECONDS = 30 * 24 * 3600;
/** The library re-emits messages after a reconnect; a day covers any replay. */
const DEDUPE_TTL_SECONDS = 24 * 3600;

/**
 * What Redis remembers about WhatsApp Web contacts, without phone numbers in key names: which
 * message ids were handled, and who wrote first (the only people the number may message).
 */
export class SeenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** True only the first time this message id arrives, in any process. */
  async firstDelivery(messageId: string): Promise<boolean> {
    // Serialized ids embed the chat id (`false_628…@c.us_ABC`): hash them.
    const id = createHash('sha256').update(messageId).digest('base64url').slice(0, 22);
    return (await this.redis.set(`${this.prefix}:wa:msg:${id}`, '1', 'EX', DEDUPE_TTL_SECONDS, 'NX')) === 'OK';
  }

  /** Records that the citizen wrote, and the language of the conversation (for reminders). */
  async markSeen(chatId: string, locale: Locale): Promise<void> {
    await this.redis.set(this.seenKey(chatId), locale, 'EX', SEEN_TTL_SECONDS);
  }

  /** The conversation's language if the citizen wrote within 30 days; undefined if never. */
  async lastLocale(chatId: string): Promise<Locale | undefined> {
    const value = await this.redis.get(this.seenKey(chatId));
    if (value === null) return undefined;
    return isLocale(value) ? value : defaultLocale;
  }

  /** "Hapus data saya": forgets that the citizen wrote first; returns how many records went. */
  async forget(chatId: string): Promise<number> {
    return this.redis.del(this.seenKey(chatId));
  }

  private seenKey(chatId: string): string {
    return `${this.prefix}:wa:seen:${pseudonym(chatId)}`;
  }
}
