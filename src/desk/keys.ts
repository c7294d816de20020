import { DEFAULT_SITE, siteBase } from '../redis/keyspace.js';

/**
 * Redis keys of the help desk. All share the site's hash tag `{site:<id>}`, so each Lua script's
 * keys sit in one Redis Cluster slot. One home for the layout: scripts receive these keys, never build them.
 */
export class DeskKeys {
  readonly base: string;
  constructor(prefix: string, site: string = DEFAULT_SITE) {
    this.base = siteBase(prefix, site, 'desk');
  }
  /** Hash: state, officer, channel, to, subject, locale, times, context (JSON). */
  conversation(id: string): string {
    return `${this.base}:conv:${id}`;
  }
  /** List of message entries (JSON), oldest first, capped. */
  messages(id: string): string {
    return `${this.base}:msgs:${id}`;
  }
  /** Hash: message id -> delivery status of officer replies. */
  delivery(id: string): string {
    return `${this.base}:dlv:${id}`;
  }
  /** List of officer replies held for the WhatsApp 24-hour window (JSON with the unmasked text). */
  queued(id: string): string {
    return `${this.base}:queued:${id}`;
  }
  /** String: the active conversation id of a citizen (the engine's fast "stay silent" check). */
  held(subject: string): string {
    return `${this.base}:held:${subject}`;
  }
  /** Set: every conversation of a citizen within retention (for "hapus data saya"). */
  citizen(subject: string): string {
    return `${this.base}:cit:${subject}`;
  }
  /** Sorted set: waiting conversations by the time they were opened (oldest first = answered first). */
  get waiting(): string {
    return `${this.base}:waiting`;
  }
  /** Sorted set: claimed conversations by their last activity (for the idle sweep). */
  get claimed(): string {
    return `${this.base}:claimed`;
  }
  /** Hash of counters for a local day (by the day the hand-over was opened). */
  stats(day: string): string {
    return `${this.base}:stats:${day}`;
  }
  /** List of first-response times (ms) of conversations opened on a local day, for p50/p90. */
  firstResponses(day: string): string {
    return `${this.base}:frt:${day}`;
  }
  /** List of the latest first-response times (ms), newest first, for the "reply time now" estimate. */
  get recentFirstResponses(): string {
    return `${this.base}:frt:recent`;
  }
  /** Stream of changes (opened, claimed, replied, citizen, returned …) for the desk's live list. No texts. */
  get events(): string {
    return `${this.base}:events`;
  }
  /** Sorted set: staff reads of conversations (who, which), trimmed by age. */
  get audit(): string {
    return `${this.base}:audit`;
  }
}
