import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis, redisTargetOf } from '../../src/redis/connect.js';
import { redisHealthOf } from '../../src/redis/health.js';
import { startLocalSentinel, type LocalSentinel } from '../../src/redis/local-sentinel.js';
import { QueueError } from '../../src/queue/ticket.js';
import { silentLogger, testQueue } from '../helpers.js';

/**
 * Sentinel (1 master, 1 replica, 3 sentinels on loopback): the queue runs through
 * REDIS_SENTINELS and keeps every confirmed ticket when the master is killed and the replica
 * promoted.
 */
describe('on Redis Sentinel, when the master dies during a ticket burst', () => {
  let sentinel: LocalSentinel;
  let redis: Redis;

  beforeAll(async () => {
    sentinel = await startLocalSentinel();
    redis = connectRedis(redisTargetOf({ REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name })!, silentLogger);
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await sentinel?.stop();
  });

  it('follows the promoted replica by itself and loses or duplicates no confirmed ticket', async () => {
    const { queue } = await testQueue({ redis, hoursMode: 'always' });
    const before = await sentinel.masterPort();
    const confirmed = new Map<string, { id: string; number: string }>();
    let killed = false;
    const requests = Array.from({ length: 120 }, (_, i) => `warga-${i}`);
    const pending = [...requests];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let userKey = pending.shift(); userKey; userKey = pending.shift()) {
          for (let attempt = 0; ; attempt++) {
            try {
              const { ticket } = await queue.take({ serviceId: 'samsat-pajak-tahunan', citizen: { channel: 'test', userKey }, source: 'kiosk', idempotencyKey: `k-${userKey}` });
              confirmed.set(userKey, { id: ticket.id, number: ticket.number });
              if (!killed && confirmed.size >= 30) {
                killed = true;
                await sentinel.killMaster();
              }
              break;
            } catch (err) {
              if (err instanceof QueueError || attempt > 300) throw err;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        }
      }),
    );
    expect(await sentinel.masterPort()).not.toBe(before);
    expect(confirmed.size).toBe(requests.length);
    expect(new Set([...confirmed.values()].map((t) => t.number)).size).toBe(requests.length);
    for (const t of confirmed.values()) expect((await queue.get(t.id))?.number).toBe(t.number);
    expect(redisHealthOf(redis)?.snapshot()).toMatchObject({ mode: 'sentinel' });
    expect(redisHealthOf(redis)!.failovers).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
