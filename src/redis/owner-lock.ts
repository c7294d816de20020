import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

// Renew or release only while we still hold the lock (another owner may have taken it over).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface OwnerLockEvents {
  onAcquired: () => Promise<void>;
  onLost: () => Promise<void>;
}

/**
 * One owner among several processes for something that exists once (the WhatsApp Web phone
 * session): SET NX with a TTL, renewed while alive; when the owner dies its lock expires and a
 * standby takes over. Not a consensus protocol: a paused owner can overlap for up to one TTL.
 */
export class OwnerLock {
  readonly id = randomBytes(8).toString('hex');
  private owned = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  get isOwner(): boolean {
    return this.owned;
  }

  /** Tries now and then every third of the TTL: renews while owning, tries to take over otherwise. */
  async run(events: OwnerLockEvents): Promise<void> {
    await this.tick(events);
    this.schedule(events);
  }

  private schedule(events: OwnerLockEvents): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick(events).finally(() => this.schedule(events));
    }, Math.max(50, Math.floor(this.ttlMs / 3)));
  }

  private async tick(events: OwnerLockEvents): Promise<void> {
    try {
      if (this.owned) {
        const renewed = Number(await this.redis.eval(RENEW, 1, this.key, this.id, this.ttlMs));
        if (renewed !== 1) {
          this.owned = false;
          this.logger.warn({ lock: this.key }, 'lost ownership');
          await events.onLost();
        }
        return;
      }
      const got = await this.redis.set(this.key, this.id, 'PX', this.ttlMs, 'NX');
      if (got === 'OK') {
        this.owned = true;
        this.logger.info({ lock: this.key }, 'took ownership');
        await events.onAcquired();
      }
    } catch (err) {
      // Redis down: keep what we believe; the TTL decides if it lasts too long.
      this.logger.warn({ lock: this.key, err: (err as Error).message }, 'lock check failed');
    }
  }

  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.owned) await this.redis.eval(RELEASE, 1, this.key, this.id).catch(() => undefined);
    this.owned = false;
  }
}
