import type { Redis } from 'ioredis';
import { USERNAME } from './accounts.js';
import { groupBase } from '../redis/keyspace.js';

export interface LoginLimitOptions {
  /** Failed sign-ins allowed per username from one address within the window. */
  perUser: number;
  /** Failed sign-ins allowed per address, whatever the username (stops trying many names). */
  perAddress: number;
  windowMs: number;
}

/**
 * 5 failures per username and address, 20 per address, for 15 minutes: room for a clerk who
 * mistypes, far too few for guessing a 10+ character password. Counted per username *and* address
 * so a guesser elsewhere cannot lock a clerk at the counter out of their account.
 */
export const defaultLoginLimit: LoginLimitOptions = { perUser: 5, perAddress: 20, windowMs: 15 * 60_000 };

// Reserve one attempt on both counters before the password is checked, in one step: checking first
// and counting after would let a burst of parallel guesses all pass the check. A refused attempt
// gives its reservation back, so hammering a locked username does not also lock the address.
// Returns 0 when allowed, else the ms until the full counter's window ends.
const RESERVE = `
for i = 1, 2 do redis.call('SET', KEYS[i], 0, 'PX', ARGV[3], 'NX') end
local user = redis.call('INCR', KEYS[1])
local address = redis.call('INCR', KEYS[2])
if user <= tonumber(ARGV[1]) and address <= tonumber(ARGV[2]) then return 0 end
redis.call('DECR', KEYS[1])
redis.call('DECR', KEYS[2])
local ttl = redis.call('PTTL', user > tonumber(ARGV[1]) and KEYS[1] or KEYS[2])
if ttl > 0 then return ttl end
return tonumber(ARGV[3])`;

// A correct password: that username's failures from this address are forgiven, and the attempt is
// taken off the address count (many clerks behind one address sign in at the start of a shift).
const RELEASE = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECR', KEYS[2]) end
return 1`;

/** Counts staff sign-in attempts in Redis (shared by every instance); a window starts at its first attempt. */
export class LoginLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: LoginLimitOptions = defaultLoginLimit,
  ) {}

  private keys(username: string, ip: string): [string, string] {
    // Only well-formed usernames get their own counter, so junk input cannot mint unbounded keys.
    const name = USERNAME.test(username) ? username : '~';
    return [`${groupBase(this.prefix, 'staff')}:login-fail:user:${name}:${ip}`, `${groupBase(this.prefix, 'staff')}:login-fail:ip:${ip}`];
  }

  /**
   * Counts one attempt as failed until `succeeded` says otherwise. Returns 0 when the attempt may
   * go ahead, else the seconds to wait (and the attempt is not counted).
   */
  async attempt(username: string, ip: string): Promise<number> {
    const { perUser, perAddress, windowMs } = this.options;
    const ms = Number(await this.redis.eval(RESERVE, 2, ...this.keys(username, ip), perUser, perAddress, windowMs));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async succeeded(username: string, ip: string): Promise<void> {
    await this.redis.eval(RELEASE, 2, ...this.keys(username, ip));
  }
}
