import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisServerAvailable, RedisMissingError } from './local-server.js';

/** A throwaway Sentinel setup on loopback: one master, one replica, three sentinels. */
export interface LocalSentinel {
  /** `host:port,...` of the sentinels, for REDIS_SENTINELS. */
  sentinels: string;
  name: string;
  /** Kills (SIGKILL) the redis-server that is master now; resolves with its port. */
  killMaster(): Promise<number>;
  /** The port of the master the sentinels name now. */
  masterPort(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts a master and a replica (`--replicaof`) and three `redis-server --sentinel` processes
 * watching it (quorum 2, down after 1 s, so a failover takes a few seconds), each in a
 * temporary folder that `stop()` removes with the processes.
 */
export async function startLocalSentinel(name = 'mymaster'): Promise<LocalSentinel> {
  if (!redisServerAvailable()) throw new RedisMissingError();
  const dir = await mkdtemp(path.join(tmpdir(), 'mpp-sentinel-'));
  const servers = new Map<number, ChildProcess>();
  const children: ChildProcess[] = [];
  const stop = async () => {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    const exited = running.map((c) => new Promise((r) => c.once('exit', r)));
    for (const c of running) c.kill('SIGKILL');
    await Promise.all(exited);
    await rm(dir, { recursive: true, force: true });
  };
  const run = (args: string[]) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    children.push(child);
    return child;
  };
  try {
    const master = await freePort();
    const replica = await freePort();
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'];
    servers.set(master, run(['--port', String(master), '--dbfilename', `m-${master}.rdb`, ...common]));
    servers.set(replica, run(['--port', String(replica), '--dbfilename', `r-${replica}.rdb`, '--replicaof', '127.0.0.1', String(master), ...common]));
    await Promise.all([master, replica].map((p) => waitFor(p, async (r) => (await r.ping()) === 'PONG')));
    await waitFor(replica, async (r) => (await r.info('replication')).includes('master_link_status:up'));
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = path.join(dir, `sentinel-${port}.conf`);
      await writeFile(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor ${name} 127.0.0.1 ${master} 2`, `sentinel down-after-milliseconds ${name} 1000`, `sentinel failover-timeout ${name} 5000`, `sentinel parallel-syncs ${name} 1`, ''].join('\n'));
      run([conf, '--sentinel']);
      ports.push(port);
    }
    // Ready once every sentinel knows the replica and the other sentinels.
    await Promise.all(ports.map((p) => waitFor(p, async (r) => {
      const [info] = (await r.call('SENTINEL', 'MASTERS')) as string[][];
      const field = (k: string) => Number(info?.[info.indexOf(k) + 1]);
      return field('num-slaves') === 1 && field('num-other-sentinels') === 2;
    })));
    const masterPort = async () => {
      for (const p of ports) {
        const addr = (await ask(p, (r) => r.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)).catch(() => undefined)) as string[] | undefined;
        if (addr?.[1]) return Number(addr[1]);
      }
      throw new Error('no sentinel answered');
    };
    return {
      sentinels: ports.map((p) => `127.0.0.1:${p}`).join(','),
      name,
      masterPort,
      async killMaster() {
        const port = await masterPort();
        servers.get(port)?.kill('SIGKILL');
        return port;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function ask<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

async function waitFor(port: number, ok: (r: Redis) => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ask(port, ok).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis on port ${port} did not get ready`);
}
