import { citizenSubject } from '../citizen.js';
import type { Redis } from 'ioredis';
import { isLocale, type Locale } from '../message.js';

/** A conversation's state. Stored as JSON under a hashed key, expiring after the idle time. */
export interface Session {
  /** Version for optimistic concurrency: a save only succeeds on the version it read. */
  v: number;
  state: string;
  locale: Locale;
  /** Choices offered by the last message as `id\u0000label`; any other id is a stale button. */
  offered: string[];
  /** States visited, for "kembali". */
  history: string[];
  /** Small values a flow keeps between turns: the service being looked at, the last query. */
  vars: Record<string, string>;
}

export interface LoadedSession {
  session: Session;
  /** False when the conversation is new or had expired. */
  existing: boolean;
  /** Messages this citizen sent in the current minute, counting this one. */
  recent: number;
}

/** Thrown when another turn of the same citizen saved first; the turn is re-run. */
export class SessionConflict extends Error {
  readonly code = 'session_conflict';
}

// Save only when the stored version is the one we read (or nothing is stored and we read nothing).
const SAVE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
local expected = tonumber(ARGV[1])
if current then
  local v = tonumber(string.match(current, '"v":(%d+)'))
  if v and v ~= expected then return 0 end
elseif expected ~= 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

const PREF_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Sessions in Redis. Keys hold a hash of channel and user key, never the raw id (UU 27/2022).
 * One round trip to load (session, language preference, rate counter), one to save.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleMs: number,
  ) {
    redis.defineCommand('mppSaveSession', { numberOfKeys: 1, lua: SAVE_SCRIPT });
  }

  /** A stable, non-reversible id for a citizen on a channel. */
  static subject(channel: string, userKey: string): string {
    return citizenSubject(channel, userKey);
  }

  /** Loads a session; `countRate: false` for pushes, which are not the citizen talking. */
  async load(subject: string, nowMs: number, opts: { countRate?: boolean } = {}): Promise<LoadedSession> {
    const minute = Math.floor(nowMs / 60_000);
    const rateKey = `${this.prefix}:rate:${subject}:${minute}`;
    const multi = this.redis.multi().get(this.key(subject)).get(this.prefKey(subject));
    if (opts.countRate === false) multi.get(rateKey);
    else multi.incr(rateKey).pexpire(rateKey, 120_000);
    const results = await multi.exec();
    if (!results) throw new Error('session load was aborted');
    for (const [err] of results) if (err) throw err;
    const [raw, pref, count] = results.map((r) => r[1]) as [string | null, string | null, number | string | null];
    const recent = Number(count ?? 0);
    const locale = isLocale(pref) ? pref : undefined;
    const session = raw ? parseSession(raw) : undefined;
    if (session) return { session: locale ? { ...session, locale } : session, existing: true, recent };
    return { session: { v: 0, state: '', locale: locale ?? 'id', offered: [], history: [], vars: {} }, existing: false, recent };
  }

  /** Saves if nobody else saved since `load`; throws SessionConflict otherwise. */
  async save(subject: string, session: Session): Promise<void> {
    const next = { ...session, v: session.v + 1 };
    const ok = await (this.redis as unknown as SaveCommand).mppSaveSession(this.key(subject), session.v, JSON.stringify(next), this.idleMs);
    if (ok !== 1) throw new SessionConflict('session changed concurrently');
    session.v = next.v;
  }

  /** Remembers the language beyond the session's idle expiry. */
  async setLocale(subject: string, locale: Locale): Promise<void> {
    await this.redis.set(this.prefKey(subject), locale, 'PX', PREF_TTL_MS);
  }

  async delete(subject: string): Promise<void> {
    await this.redis.del(this.key(subject), this.prefKey(subject));
  }

  /** Retention (UU 27/2022): a session lives its idle time, the language choice 30 days. */
  retention(): Array<{ match: string; ttlSec: number }> {
    return [
      { match: this.key('*'), ttlSec: Math.ceil(this.idleMs / 1000) },
      { match: this.prefKey('*'), ttlSec: PREF_TTL_MS / 1000 },
    ];
  }

  private key(subject: string): string {
    return `${this.prefix}:sess:${subject}`;
  }
  private prefKey(subject: string): string {
    return `${this.prefix}:pref:${subject}`;
  }
}

interface SaveCommand {
  mppSaveSession(key: string, expected: number, value: string, ttlMs: number): Promise<number>;
}

function parseSession(raw: string): Session | undefined {
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.v !== 'number' || typeof s.state !== 'string' || !isLocale(s.locale)) return undefined;
    return { v: s.v, state: s.state, locale: s.locale, offered: Array.isArray(s.offered) ? s.offered : [], history: Array.isArray(s.history) ? s.history : [], vars: s.vars ?? {} };
  } catch {
    return undefined;
  }
}
