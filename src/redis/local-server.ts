import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

/** Raised when no Redis is configured and redis-server is not installed either. */
export class RedisMissingError extends Error {
  readonly code = 'redis_missing';
  constructor() {
    super(
      [
        'REDIS_URL is not set and `redis-server` is not on PATH.',
        'Either install Redis:   sudo apt-get install -y redis-server   (Debian/Ubuntu)   or   brew install redis   (macOS)',
        'or point the assistant at one:   REDIS_URL=redis://localhost:6379 npm start',
        'or run everything with Docker:   docker compose up',
      ].join('\n'),
    );
  }
}

export interface LocalRedisOptions {
  port: number;
  /** Folder for the AOF/RDB files; omit for a throwaway server with no persistence (tests). */
  dataDir?: string;
}

/** A redis-server child process owned by this process. */
export interface LocalRedis {
  url: string;
  /** True when we started it (and so must stop it); false when one already listened there. */
  owned: boolean;
  /** Process id of the server we started (fault tests kill it). */
  pid?: number;
  stop(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts `redis-server` on the port, or reuses one that already answers there. */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${opts.port}`;
  if (await answersPing(opts.port)) return { url, owned: false, stop: () => Promise.resolve() };
  if (!redisServerAvailable()) throw new RedisMissingError();

  const args = ['--port', String(opts.port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--maxmemory-policy', 'noeviction'];
  if (opts.dataDir) {
    const dir = path.resolve(opts.dataDir);
    await mkdir(dir, { recursive: true });
    // AOF with fsync every second: a crash loses at most ~1 s of writes.
    args.push('--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec');
  } else {
    args.push('--save', '', '--appendonly', 'no');
  }
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitUntilReady(opts.port, child, () => stderr);
  return { url, owned: true, ...(child.pid ? { pid: child.pid } : {}), stop: () => stopChild(child) };
}

/** Finds a free TCP port on loopback (for tests and throwaway servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function waitUntilReady(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}: ${stderr().trim()}`);
    if (await answersPing(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port} within 5 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // SIGTERM makes redis flush the AOF before it exits.
    child.kill('SIGTERM');
  });
}
