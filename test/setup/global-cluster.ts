import { startLocalCluster, type LocalCluster } from '../../src/redis/local-cluster.js';

/**
 * The `cluster` test project: a real Redis Cluster (3 masters, 3 replicas, `redis-cli --cluster
 * create` on loopback) for the whole run; the same tests then connect through REDIS_CLUSTER_NODES
 * (test/helpers.ts reads MPP_TEST_CLUSTER_NODES when the project sets MPP_TEST_REDIS=cluster).
 */
let cluster: LocalCluster | undefined;

export async function setup(): Promise<void> {
  if (process.env.MPP_TEST_CLUSTER_NODES) return;
  cluster = await startLocalCluster();
  process.env.MPP_TEST_CLUSTER_NODES = cluster.seeds;
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
