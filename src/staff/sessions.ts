import { createHash, randomBytes } from 'node:crypto';
import type { CookieOptions } from 'express';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../clock.js';
import type { StaffAccount, StaffRole } from './accounts.js';
import { groupBase } from '../redis/keyspace.js';

/** The staff sign-in cookie. */
export const STAFF_COOKIE = 'mpp_staff';

/** A signed-in staff member, as read from Redis on each request. */
export interface StaffSession {
  /** The cookie value; only its SHA-256 is stored, so a copy of Redis does not sign anyone in. */
  id: string;
  username: string;
  role: StaffRole;
  counters: string[];
  /** The account's sites at sign-in; missing in sessions made before sites existed (then: every site). */
  sites?: string[];
  /** Per-session token that forms and fetch calls send back (`_csrf` / `X-CSRF-Token`). */
  csrf: string;
  createdAt: string;
}

export interface StaffSessionOptions {
  ttlHours: number;
  /** Cookie `Secure` flag (HTTPS only). */
  secure: boolean;
  clock?: Clock;
}

/**
 * Staff sign-ins in Redis with a fixed lifetime (one shift, STAFF_SESSION_HOURS), not sliding:
 * a session left open on a shared counter PC ends with the shift whatever happens.
 */
export class StaffSessions {
  private readonly ttlSeconds: number;
  private readonly clock: Clock;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: StaffSessionOptions,
  ) {
    this.ttlSeconds = Math.round(options.ttlHours * 3600);
    this.clock = options.clock ?? systemClock;
  }

  private key(id: string): string {
    return `${groupBase(this.prefix, 'staff')}:session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  private userKey(username: string): string {
    return `${groupBase(this.prefix, 'staff')}:user-sessions:${username}`;
  }

  async create(account: StaffAccount): Promise<StaffSession> {
    const session: StaffSession = {
      id: randomBytes(32).toString('base64url'),
      username: account.username,
      role: account.role,
      counters: account.counters,
      ...(account.sites?.length ? { sites: account.sites } : {}),
      csrf: randomBytes(32).toString('base64url'),
      createdAt: this.clock.now().toISOString(),
    };
    const { id, ...stored } = session;
    const key = this.key(id);
    await this.redis
      .multi()
      .set(key, JSON.stringify(stored), 'EX', this.ttlSeconds)
      .sadd(this.userKey(account.username), key)
      .expire(this.userKey(account.username), this.ttlSeconds)
      .exec();
    return session;
  }

  async get(id: string): Promise<StaffSession | undefined> {
    if (!/^[\w-]{43}$/.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id));
    return raw ? { id, ...(JSON.parse(raw) as Omit<StaffSession, 'id'>) } : undefined;
  }

  async destroy(session: Pick<StaffSession, 'id' | 'username'>): Promise<void> {
    const key = this.key(session.id);
    await this.redis.multi().del(key).srem(this.userKey(session.username), key).exec();
  }

  /** Ends every session of one person: after a password change or when the account is removed. */
  async revokeUser(username: string): Promise<number> {
    const keys = await this.redis.smembers(this.userKey(username));
    const [deleted] = (await this.redis.multi().del(...keys, this.userKey(username)).exec()) ?? [];
    return Math.max(0, Number(deleted?.[1] ?? 0) - 1);
  }

  /** Options for `res.cookie(STAFF_COOKIE, ...)` and `res.clearCookie`. */
  cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.options.secure, path: '/', maxAge: this.ttlSeconds * 1000 };
  }
}

/** Cookies from a `Cookie` header; malformed pairs are skipped, never thrown on. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    // The first wins, as in browsers' own ordering (most specific path first).
    if (!Object.hasOwn(out, name)) out[name] = value;
  }
  return out;
}
