import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { RedisHealth, trackRedisHealth } from './health.js';
import { parseRedisTarget, type RedisTarget } from './target.js';

export { describeRedisTarget, parseRedisTarget, redisTargetOf, type RedisTarget } from './target.js';

/**
 * What a connection is for: request handling fails fast; BullMQ and blocking reads wait forever;
 * a CLI connects once on `connect()`, without retrying, so a Redis that is not there is reported.
 */
export type ConnectionRole = 'command' | 'blocking' | 'once';

/**
 * The one place every Redis client of the assistant is made: the app's command connection, the
 * pub/sub subscriber, the blocking stream readers, BullMQ's connections and the CLIs. `target` is a
 * `redis://` URL or the connection string `redisTargetOf(config)` builds for a Cluster or Sentinel,
 * so code that hands a "redis URL" along keeps working in every mode.
 *
 * - `command`: commands fail fast (after 2 retries) while Redis is down, so a citizen gets a polite
 *   "coba lagi" instead of a hanging chat; it reconnects forever.
 * - `blocking`: maxRetriesPerRequest null (BullMQ's requirement, and XREAD BLOCK must not give up).
 *
 * On a Cluster the client follows MOVED/ASK and refreshes the slot map after a failover; the
 * stores are typed against `Redis`: ioredis's `Cluster` has the same command surface
 * (commands, defineCommand, multi/pipeline within one slot, pub/sub), so it is handed out as one.
 */
export function connectRedis(target: string | RedisTarget, logger: Logger, name = 'app', role: ConnectionRole = 'command'): Redis {
  const t = typeof target === 'string' ? parseRedisTarget(target) : target;
  const once = role === 'once';
  const redisOptions: RedisOptions = {
    connectionName: `mpp-${name}`,
    maxRetriesPerRequest: role === 'blocking' ? null : once ? 1 : 2,
    retryStrategy: once ? () => null : (times) => Math.min(times * 200, 3000),
    ...(once ? { lazyConnect: true, connectTimeout: 5000 } : {}),
  };
  let client: Redis | Cluster;
  if (t.mode === 'cluster') {
    const options: ClusterOptions = {
      redisOptions: { ...redisOptions, ...(t.password ? { password: t.password } : {}) },
      // A failover takes the cluster a few seconds (cluster-node-timeout + election): keep the
      // commands queued meanwhile instead of failing them after the first MOVED/CLUSTERDOWN.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 100,
      maxRedirections: 32,
      clusterRetryStrategy: once ? () => null : (times) => Math.min(times * 200, 3000),
      lazyConnect: once,
      enableReadyCheck: true,
      slotsRefreshTimeout: 2000,
    };
    const cluster = new Cluster(t.nodes, options);
    if (role === 'command') failFastWhileDown(cluster);
    client = cluster;
  } else if (t.mode === 'sentinel') {
    client = new Redis({
      ...redisOptions,
      sentinels: t.sentinels,
      name: t.name,
      ...(t.password ? { password: t.password } : {}),
      ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
      // After a failover the old master turns replica: reconnect to whoever is master now.
      reconnectOnError: (err) => err.message.startsWith('READONLY'),
      failoverDetector: true,
    });
  } else {
    client = new Redis(t.url, redisOptions);
  }
  watch(client, t.mode, name, logger);
  return client as Redis;
}

/**
 * Like `maxRetriesPerRequest` on one server: once the cluster has been up, a request made while
 * every node is unreachable fails at once (the citizen gets "coba lagi") instead of waiting in
 * the client's offline queue until the cluster is back. A single master's failover does not
 * count: the cluster stays up and its slot's commands wait for the promoted replica.
 */
function failFastWhileDown(cluster: Cluster): void {
  cluster.on('ready', () => {
    cluster.options.enableOfflineQueue = true;
  });
  for (const event of ['close', 'reconnecting', 'end']) {
    cluster.on(event, () => {
      if (cluster.status !== 'ready') cluster.options.enableOfflineQueue = false;
    });
  }
}

function watch(client: Redis | Cluster, mode: RedisTarget['mode'], name: string, logger: Logger): void {
  const health = trackRedisHealth(client, new RedisHealth(mode));
  let down = false;
  client.on('error', (err: Error) => {
    health.error(err);
    if (!down) logger.warn({ err: err.message, connection: name, mode }, 'redis connection error');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ connection: name, mode }, 'redis connection restored');
    down = false;
  });
  // A Cluster refreshes its slot map after a replica is promoted: a master it did not know is a
  // failover. A Sentinel client asks for the master on every reconnect: another address is one.
  if (client instanceof Cluster) {
    // A node's connection failing (its master killed) is reported per node, not as 'error'.
    client.on('node error', (err: Error, address: string) => {
      health.error(err);
      logger.debug({ err: err.message, connection: name, node: address }, 'redis cluster node error');
    });
    let known = new Set<string>();
    client.on('refresh', () => {
      const masters = new Set(client.nodes('master').map((n) => `${n.options.host}:${n.options.port}`));
      if (known.size > 0 && [...masters].some((m) => !known.has(m))) {
        health.failover();
        logger.warn({ connection: name, masters: [...masters] }, 'redis cluster: a new master took over slots');
      }
      known = masters;
    });
  } else if (mode === 'sentinel') {
    let master: string | undefined;
    client.on('ready', () => {
      const now = `${client.stream.remoteAddress ?? ''}:${client.stream.remotePort ?? ''}`;
      if (master !== undefined && now !== master) {
        health.failover();
        logger.warn({ connection: name }, 'redis sentinel: connected to a new master');
      }
      master = now;
    });
  }
}
