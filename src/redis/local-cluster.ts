import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisServerAvailable, RedisMissingError } from './local-server.js';

/** One node of a throwaway cluster. */
export interface ClusterNode {
  port: number;
  pid: number;
  /** Killed with SIGKILL by a failover test. */
  kill(): void;
}

/** A real Redis Cluster on loopback, for tests and bench: `masters` masters with one replica each. */
export interface LocalCluster {
  nodes: ClusterNode[];
  /** `host:port,...` for REDIS_CLUSTER_NODES. */
  seeds: string;
  /** The node that serves `slot` as master now. */
  masterOf(slot: number): Promise<ClusterNode>;
  /** Resolves when every live node reports cluster_state:ok. */
  waitOk(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  masters?: number;
  /** Milliseconds before a silent master is failed over (redis default 15 s; tests want it fast). */
  nodeTimeoutMs?: number;
}

/**
 * Starts 2×`masters` `redis-server --cluster-enabled yes` processes on free loopback ports (no
 * persistence, each in its own temporary folder), joins them with `redis-cli --cluster create
 * --cluster-replicas 1`, and waits for cluster_state:ok. `stop()` kills them and removes the folders.
 */
export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  if (!redisServerAvailable()) throw new RedisMissingError();
  const masters = opts.masters ?? 3;
  const dir = await mkdtemp(path.join(tmpdir(), 'mpp-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * 2; i++) {
      const port = await freePort();
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', String(opts.nodeTimeoutMs ?? 2000), '--dir', dir, '--dbfilename', `dump-${port}.rdb`, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
        { stdio: 'ignore' },
      );
      children.push(child);
      nodes.push({ port, pid: child.pid ?? 0, kill: () => child.kill('SIGKILL') });
    }
    await Promise.all(nodes.map((n) => waitPing(n.port)));
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
  } catch (err) {
    await stop();
    throw err;
  }
  const alive = () => nodes.filter((n) => children[nodes.indexOf(n)]?.exitCode === null && children[nodes.indexOf(n)]?.signalCode === null);
  const cluster: LocalCluster = {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    async masterOf(slot) {
      for (const node of alive()) {
        const r = await ask(node.port, ['CLUSTER', 'SLOTS']).catch(() => undefined);
        for (const [from, to, [, masterPort]] of (r ?? []) as Array<[number, number, [string, number]]>) {
          if (slot >= from && slot <= to) return nodes.find((n) => n.port === Number(masterPort)) ?? node;
        }
      }
      throw new Error(`no master for slot ${slot}`);
    },
    async waitOk(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const states = await Promise.all(alive().map((n) => ask(n.port, ['CLUSTER', 'INFO']).catch(() => '')));
        if (states.every((s) => String(s).includes('cluster_state:ok'))) return;
        if (Date.now() > until) throw new Error('redis cluster did not reach cluster_state:ok');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop,
  };
  try {
    await cluster.waitOk();
    // Replicas must have synced before a failover test kills a master.
    await waitReplicasSynced(nodes.map((n) => n.port));
  } catch (err) {
    await stop();
    throw err;
  }
  return cluster;
}

async function ask(port: number, command: string[]): Promise<unknown> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const [name = '', ...args] = command;
    return await redis.call(name, ...args);
  } finally {
    redis.disconnect();
  }
}

async function waitPing(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await ask(port, ['PING']).catch(() => '')) === 'PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

async function waitReplicasSynced(ports: number[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const infos = await Promise.all(ports.map((p) => ask(p, ['INFO', 'replication']).catch(() => '')));
    const replicas = infos.filter((s) => String(s).includes('role:slave'));
    if (replicas.length * 2 === ports.length && replicas.every((s) => String(s).includes('master_link_status:up'))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis cluster replicas did not sync');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
