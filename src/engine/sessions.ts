import { citizenSubject } from '../citizen.js';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isLocale, locales, type Locale } from '../message.js';
import { sessionVarsSchema, type SessionVars } from './session-vars.js';
import { citizenKey } from '../redis/keyspace.js';

/** A conversation's state. Stored as JSON under a hashed key, expiring after the idle time. */
export interface Session {
  /** Version for optimistic concurrency: a save only succeeds on the version it read. */
  v: number;
  /** Last saved, on the engine's clock (ms): idle expiry is measured on it, not on Redis time. */
  at: number;
  state: string;
  locale: Locale;
  /** Choices offered by the last message as `id\u0000label`; any other id is a stale button. */
  offered: string[];
  /** States visited, for "kembali". */
  history: string[];
  /**
   * The last service card's state and offer: its buttons keep working after a follow-up answer,
   * a not-found or small talk, until another card replaces it or the citizen goes to the menu.
   */
  card?: { state: string; offered: string[] };
  /** Small values a flow keeps between turns: the service being looked at, the last query. */
  vars: SessionVars;
}

const sessionSchema = z.object({
  v: z.number(),
  at: z.number(),
  state: z.string(),
  locale: z.enum(locales),
  offered: z.array(z.string()).default([]),
  history: z.array(z.string()).default([]),
  card: z.object({ state: z.string(), offered: z.array(z.string()) }).optional(),
  vars: sessionVarsSchema.default({}),
});

export interface LoadedSession {
  session: Session;
  /** False when the conversation is new or had expired. */
  existing: boolean;
  /** Messages this citizen sent in the current minute, counting this one. */
  recent: number;
  /** The MPP site the citizen chose before (remembered like the language), unchecked: the caller validates it. */
  site?: string;
}

/** Thrown when another turn of the same citizen saved first; the turn is re-run. */
export class SessionConflict extends Error {
  readonly code = 'session_conflict';
}

/** Redis aborted the load transaction (a connection dropped mid-way); the turn answers "gangguan". */
export class SessionLoadAborted extends Error {
  readonly code = 'session_load_aborted';
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
/** Redis only collects what the clock has long expired: a manual clock in tests decides expiry. */
const GC_GRACE_MS = 60_000;

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
    const rateKey = `${citizenKey(this.prefix, 'rate', subject)}:${minute}`;
    const multi = this.redis.multi().get(this.key(subject)).get(this.prefKey(subject)).get(this.siteKey(subject));
    if (opts.countRate === false) multi.get(rateKey);
    else multi.incr(rateKey).pexpire(rateKey, 120_000);
    const results = await multi.exec();
    if (!results) throw new SessionLoadAborted('session load was aborted');
    for (const [err] of results) if (err) throw err;
    const [raw, pref, sitePref, count] = results.map((r) => r[1]) as [string | null, string | null, string | null, number | string | null];
    const recent = Number(count ?? 0);
    const site = sitePref ? { site: sitePref } : {};
    const locale = isLocale(pref) ? pref : undefined;
    const stored = raw ? parseSession(raw) : undefined;
    const session = stored && nowMs - stored.at <= this.idleMs ? stored : undefined;
    if (session) return { session: locale ? { ...session, locale } : session, existing: true, recent, ...site };
    return { session: { v: raw ? storedVersion(raw) : 0, at: nowMs, state: '', locale: locale ?? 'id', offered: [], history: [], vars: {} }, existing: false, recent, ...site };
  }

  /** Saves if nobody else saved since `load`; throws SessionConflict otherwise. */
  async save(subject: string, session: Session, nowMs: number): Promise<void> {
    const next = { ...session, v: session.v + 1, at: nowMs };
    const ok = await (this.redis as unknown as SaveCommand).mppSaveSession(this.key(subject), session.v, JSON.stringify(next), this.idleMs + GC_GRACE_MS);
    if (ok !== 1) throw new SessionConflict('session changed concurrently');
    session.v = next.v;
    session.at = nowMs;
  }

  /** Remembers the language beyond the session's idle expiry. */
  async setLocale(subject: string, locale: Locale): Promise<void> {
    await this.redis.set(this.prefKey(subject), locale, 'PX', PREF_TTL_MS);
  }

  /**
   * Remembers the citizen's MPP site beyond the session, as long as the language. The site id is
   * not personal, but its key is the citizen's pseudonym: the same expiry, and erased with them.
   */
  async setSite(subject: string, site: string): Promise<void> {
    await this.redis.set(this.siteKey(subject), site, 'PX', PREF_TTL_MS);
  }

  async delete(subject: string): Promise<void> {
    await this.redis.del(this.key(subject), this.prefKey(subject), this.siteKey(subject));
  }

  /** Retention (UU 27/2022): a session lives its idle time, the language and MPP choice 30 days. */
  retention(): Array<{ match: string; ttlSec: number }> {
    return [
      { match: this.key('*'), ttlSec: Math.ceil(this.idleMs / 1000) },
      { match: this.prefKey('*'), ttlSec: PREF_TTL_MS / 1000 },
      { match: this.siteKey('*'), ttlSec: PREF_TTL_MS / 1000 },
    ];
  }

  // A citizen's session, language and rate counter share the citizen's hash tag: the load's
  // MULTI and the erasure's DEL touch one Cluster slot, and citizens spread over every shard.
  private key(subject: string): string {
    return citizenKey(this.prefix, 'sess', subject);
  }
  private prefKey(subject: string): string {
    return citizenKey(this.prefix, 'pref', subject);
  }
  private siteKey(subject: string): string {
    return citizenKey(this.prefix, 'site', subject);
  }
}

interface SaveCommand {
  mppSaveSession(key: string, expected: number, value: string, ttlMs: number): Promise<number>;
}

/** A stored session, or undefined when it is not JSON or has another layout (then the citizen starts afresh). */
function parseSession(raw: string): Session | undefined {
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The version of whatever is stored, even in an old layout, so the fresh session can replace it. */
function storedVersion(raw: string): number {
  const v = /"v":(\d+)/.exec(raw)?.[1];
  return v === undefined ? 0 : Number(v);
}
