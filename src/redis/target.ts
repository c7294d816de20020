/** One Redis endpoint of a node list (`REDIS_CLUSTER_NODES`, `REDIS_SENTINELS`). */
export interface HostPort {
  host: string;
  port: number;
}

/** Which Redis the assistant talks to: one server, a Redis Cluster, or a master found through Sentinel. */
export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'cluster'; nodes: HostPort[]; password?: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; password?: string; sentinelPassword?: string };

const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)$/i;

/**
 * Parses `host:port,host:port` (IPv6 in brackets). Returns the reason as a string when an entry is
 * wrong, so the config check can name it.
 */
export function parseHostPorts(list: string): HostPort[] | string {
  const entries = list.split(',').map((e) => e.trim());
  if (entries.length === 0 || entries.some((e) => e === '')) return 'a comma-separated list of host:port, like 10.0.0.1:7000,10.0.0.2:7000';
  const out: HostPort[] = [];
  for (const entry of entries) {
    const at = entry.lastIndexOf(':');
    const host = entry.slice(0, at);
    const port = Number(entry.slice(at + 1));
    if (at <= 0 || !HOST.test(host) || !/^\d{1,5}$/.test(entry.slice(at + 1)) || port < 1 || port > 65535) {
      return `"${entry}" is not host:port (like 10.0.0.1:7000 or [::1]:7000)`;
    }
    out.push({ host: host.replace(/^\[|\]$/g, ''), port });
  }
  return out;
}

/** The parts of the config that choose the Redis. */
export interface RedisTargetConfig {
  REDIS_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
  REDIS_PASSWORD?: string | undefined;
}

const CLUSTER = 'redis+cluster://';
const SENTINEL = 'redis+sentinel://';

/**
 * The connection string for the configured Redis: `REDIS_URL` as it is, or a `redis+cluster://`
 * / `redis+sentinel://` string that `connectRedis` understands. A string, so everything that
 * passes a "redis URL" to the code that opens connections (compose, BullMQ, the CLIs) works on a
 * Cluster or Sentinel too. Undefined when nothing is set (the caller starts the embedded server).
 */
export function redisTargetOf(config: RedisTargetConfig): string | undefined {
  const auth = config.REDIS_PASSWORD ? `?password=${encodeURIComponent(config.REDIS_PASSWORD)}` : '';
  if (config.REDIS_CLUSTER_NODES) return `${CLUSTER}${config.REDIS_CLUSTER_NODES.replace(/\s/g, '')}${auth}`;
  if (config.REDIS_SENTINELS) return `${SENTINEL}${config.REDIS_SENTINELS.replace(/\s/g, '')}/${encodeURIComponent(config.REDIS_SENTINEL_NAME ?? 'mymaster')}${auth}`;
  return config.REDIS_URL;
}

/** Reads a connection string made by `redisTargetOf` (or a plain redis:// URL). */
export function parseRedisTarget(target: string): RedisTarget {
  const [head = '', query = ''] = target.split('?', 2);
  const password = new URLSearchParams(query).get('password') ?? undefined;
  const withPassword = password ? { password } : {};
  if (head.startsWith(CLUSTER)) {
    const nodes = parseHostPorts(head.slice(CLUSTER.length));
    if (typeof nodes === 'string') throw new Error(`Redis cluster nodes: ${nodes}`);
    return { mode: 'cluster', nodes, ...withPassword };
  }
  if (head.startsWith(SENTINEL)) {
    const rest = head.slice(SENTINEL.length);
    const slash = rest.lastIndexOf('/');
    const sentinels = parseHostPorts(rest.slice(0, slash));
    if (slash < 0 || typeof sentinels === 'string') throw new Error(`Redis sentinels: ${typeof sentinels === 'string' ? sentinels : 'no master name'}`);
    return { mode: 'sentinel', sentinels, name: decodeURIComponent(rest.slice(slash + 1)), ...(password ? { password, sentinelPassword: password } : {}) };
  }
  return { mode: 'single', url: target };
}

/** The target without secrets, for logs and `/readyz`. */
export function describeRedisTarget(target: string): { mode: RedisTarget['mode']; nodes?: number } {
  const t = parseRedisTarget(target);
  if (t.mode === 'cluster') return { mode: 'cluster', nodes: t.nodes.length };
  if (t.mode === 'sentinel') return { mode: 'sentinel', nodes: t.sentinels.length };
  return { mode: 'single' };
}
