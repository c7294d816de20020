import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Extends the lock only if this instance still holds it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lock only if this instance still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * One linked phone, one browser: with several app instances only the holder of this Redis lock
 * runs the WhatsApp Web session. Two sessions on one number log each other out (CONFLICT), and two
 * Chromiums on one profile folder fail on its lock. The holder renews well before `ttlMs` runs out;
 * if it cannot, it must stop its session before another instance may take over.
 */
export class SessionLock {
  readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly ttlMs: number,
  ) {}

  /** Takes the lock if free, or renews it if already ours; false while another instance holds it. */
  async hold(): Promise<boolean> {
    if ((await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs)) === 1) return true;
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
