import { describe, expect, it } from 'vitest';
import { RetentionSweep } from '../../src/privacy/retention.js';
import { testPrefix, testRedis } from '../helpers.js';

describe('retention sweep', () => {
  it('gives personal keys that lost their expiry a TTL again, trims old events, and leaves aggregates alone', async () => {
    const redis = testRedis();
    const prefix = testPrefix();
    await redis.hset(`${prefix}:{q}:ticket:tkabc123`, 'to', '62812@c.us');
    await redis.set(`${prefix}:sess:abc`, '{}');
    await redis.hset(`${prefix}:{q}:stats:djp-npwp:2026-11-23`, 'issued', 5);
    const old = Date.now() - 3 * 86_400_000;
    await redis.xadd(`${prefix}:{q}:events`, `${old}-0`, 'type', 'issued');
    await redis.xadd(`${prefix}:{q}:events`, '*', 'type', 'called');
    const result = await new RetentionSweep(redis, prefix, 30, 30 * 60_000).run();
    expect(result.expiryRestored).toBe(2);
    expect(await redis.ttl(`${prefix}:{q}:ticket:tkabc123`)).toBeGreaterThan(29 * 86_400);
    expect(await redis.ttl(`${prefix}:sess:abc`)).toBeLessThanOrEqual(1800);
    expect(await redis.ttl(`${prefix}:{q}:stats:djp-npwp:2026-11-23`)).toBe(-1);
    expect(result.eventsTrimmed).toBe(1);
    expect(await redis.xlen(`${prefix}:{q}:events`)).toBe(1);
  });
});
