import type { Redis } from 'ioredis';
import { redisHealthOf } from './health.js';
import { isCluster } from './scan.js';

/**
 * Waits (up to `timeoutMs`) until a replica acknowledged this connection's writes to `key`'s
 * node, before a ticket is confirmed to the citizen. Redis replicates asynchronously: without it,
 * a master killed right after a write can fail over to a replica that never saw the ticket.
 *
 * On a Cluster, WAIT goes in a pipeline behind a command on `key`, so it runs on the master of
 * the key's slot (the connection the write used). With Sentinel it runs on the master; on one
 * server (REDIS_URL, or a client not made by connectRedis) it is skipped. Returns how many replicas acknowledged (-1: not applicable).
 * A timeout is not an error: the write stands on the master (availability first); `/readyz`
 * counts such writes as `unreplicatedWrites`.
 */
export async function awaitReplicas(redis: Redis, key: string, timeoutMs = 200): Promise<number> {
  const health = redisHealthOf(redis);
  if (!health || health.mode === 'single') return -1;
  // WAIT blocks the connection it runs on (shared by the app): after one timed out (no replica
  // left, e.g. right after a failover until the old master returns), skip it for a while.
  if (Date.now() < health.replicaMissingUntil) {
    health.unreplicatedWrites++;
    return 0;
  }
  let acked: number;
  if (isCluster(redis)) {
    const result = await redis.pipeline().exists(key).call('WAIT', '1', String(timeoutMs)).exec();
    acked = Number(result?.[1]?.[1] ?? 0);
  } else {
    acked = Number(await redis.call('WAIT', '1', String(timeoutMs)));
  }
  if (acked < 1) {
    health.unreplicatedWrites++;
    health.replicaMissingUntil = Date.now() + REPLICA_RETRY_MS;
  }
  return acked;
}

/** How long confirmations go without WAIT after one found no replica. */
const REPLICA_RETRY_MS = 5000;
