import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeRedisTarget, parseRedisTarget, redisTargetOf } from '../../src/redis/connect.js';
import { siteBase, citizenKey } from '../../src/redis/keyspace.js';

describe('choosing the Redis: one server, Cluster or Sentinel', () => {
  it('refuses a node list that is not host:port, naming the bad entry', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' })).toThrow(/REDIS_CLUSTER_NODES: "10.0.0.2" is not host:port/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://a:7000' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:70000' })).toThrow(/not host:port/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,,10.0.0.3:7000' })).toThrow(/comma-separated list of host:port/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'sentinel-1', REDIS_SENTINEL_NAME: 'mymaster' })).toThrow(/REDIS_SENTINELS: "sentinel-1" is not host:port/);
  });

  it('refuses two ways at once, and Sentinel without its master name', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', REDIS_CLUSTER_NODES: 'a:7000' })).toThrow(/REDIS_CLUSTER_NODES: set only one of REDIS_URL/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:26379' })).toThrow(/REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/);
    expect(() => loadConfig({ REDIS_SENTINEL_NAME: 'mymaster' })).toThrow(/REDIS_SENTINELS: required/);
  });

  it('turns the environment into a connection string every connection accepts, and back', () => {
    const cluster = redisTargetOf(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, [::1]:7001', REDIS_PASSWORD: 'p@ss word' }))!;
    expect(parseRedisTarget(cluster)).toEqual({ mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '::1', port: 7001 }], password: 'p@ss word' });
    expect(describeRedisTarget(cluster)).toEqual({ mode: 'cluster', nodes: 2 });
    const sentinel = redisTargetOf(loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379,s3:26379', REDIS_SENTINEL_NAME: 'mpp-master' }))!;
    expect(parseRedisTarget(sentinel)).toEqual({ mode: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }, { host: 's3', port: 26379 }], name: 'mpp-master' });
    expect(parseRedisTarget(redisTargetOf(loadConfig({ REDIS_URL: 'redis://localhost:6379' }))!)).toEqual({ mode: 'single', url: 'redis://localhost:6379' });
    expect(redisTargetOf(loadConfig({}))).toBeUndefined();
  });
});

describe('hash tags', () => {
  it('keeps a site in one tag and a citizen in their own', () => {
    expect(siteBase('mpp', 'kota-contoh', 'q')).toBe('mpp:{site:kota-contoh}:q');
    expect(citizenKey('mpp', 'sess', 'ab12')).toBe('mpp:sess:{ab12}');
    expect(() => siteBase('mpp', 'Kota Contoh}', 'q')).toThrow(/invalid site id/);
  });

  it('refuses a site id in content that would break the tag', async () => {
    const { mppSchema } = await import('../../src/catalogue/schema.js');
    const shape = mppSchema.shape.site;
    expect(shape.parse(undefined)).toBe('main');
    expect(shape.safeParse('kota{x}').success).toBe(false);
  });
});
