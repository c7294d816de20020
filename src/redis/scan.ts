import type { Cluster, Redis } from 'ioredis';

/** Whether a client handed out as `Redis` is really an ioredis Cluster. */
export function isCluster(redis: Redis): boolean {
  return (redis as unknown as Cluster).isCluster === true;
}

/**
 * SCAN MATCH over the whole keyspace, a batch of keys at a time. On a Redis Cluster SCAN only
 * walks the node it is sent to, so every master is scanned in turn.
 */
export async function* scanKeys(redis: Redis, match: string, count = 500): AsyncGenerator<string[]> {
  const nodes = isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}
