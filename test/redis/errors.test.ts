import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { isRedisUnavailable, replyErrorCode } from '../../src/redis/errors.js';
import { testPrefix, testRedis } from '../helpers.js';

const failure = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err);

describe('Redis errors by class and code', () => {
  it('reads the reply code of a real server error (BUSYGROUP, WRONGTYPE) and none of a connection failure', async () => {
    const redis = testRedis();
    const key = `${testPrefix()}:stream`;
    await redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM');
    expect(replyErrorCode(await failure(redis.xgroup('CREATE', key, 'g', '$', 'MKSTREAM')))).toBe('BUSYGROUP');
    expect(replyErrorCode(await failure(redis.lpush(key, 'x')))).toBe('WRONGTYPE');
    expect(replyErrorCode(new Error('BUSYGROUP lookalike'))).toBeUndefined();
  });

  it('calls a closed or unreachable Redis unavailable, and a server refusal not', async () => {
    const closed = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const err = await failure(closed.get('x'));
    expect(isRedisUnavailable(err, closed)).toBe(true);
    const redis = testRedis();
    const key = `${testPrefix()}:s`;
    await redis.set(key, 'v');
    expect(isRedisUnavailable(await failure(redis.lpush(key, 'x')), redis)).toBe(false);
    expect(isRedisUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
