/**
 * What a Redis client went through, for `/readyz`: failovers seen (a replica promoted into the
 * Cluster's slot map, or Sentinel's master switched) and the last connection error.
 */
export class RedisHealth {
  failovers = 0;
  lastFailoverAt?: number;
  lastError?: { message: string; at: number };
  /** Writes confirmed while no replica acknowledged them (see awaitReplicas). */
  unreplicatedWrites = 0;
  /** Until then, confirmations skip WAIT: the last one found no replica. */
  replicaMissingUntil = 0;
  /** One failover can refresh the slot map more than once: count one per 5 s. */
  private readonly window = 5000;

  constructor(readonly mode: 'single' | 'cluster' | 'sentinel') {}

  error(err: Error): void {
    this.lastError = { message: err.message.slice(0, 200), at: Date.now() };
  }

  failover(): void {
    const now = Date.now();
    if (this.lastFailoverAt !== undefined && now - this.lastFailoverAt < this.window) return;
    this.failovers++;
    this.lastFailoverAt = now;
  }

  snapshot(): { mode: string; failovers: number; unreplicatedWrites: number; lastFailoverAt?: string; lastError?: { message: string; at: string } } {
    return {
      mode: this.mode,
      failovers: this.failovers,
      unreplicatedWrites: this.unreplicatedWrites,
      ...(this.lastFailoverAt ? { lastFailoverAt: new Date(this.lastFailoverAt).toISOString() } : {}),
      ...(this.lastError ? { lastError: { message: this.lastError.message, at: new Date(this.lastError.at).toISOString() } } : {}),
    };
  }
}

const byClient = new WeakMap<object, RedisHealth>();

/** The health record `connectRedis` keeps for a client it made (undefined for other clients). */
export function redisHealthOf(client: object): RedisHealth | undefined {
  return byClient.get(client);
}

export function trackRedisHealth(client: object, health: RedisHealth): RedisHealth {
  byClient.set(client, health);
  return health;
}
