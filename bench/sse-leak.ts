/**
 * `npm run bench:sse`: opens and aborts 5,000 web chat event streams (50 at a time, each dropped
 * as soon as its headers arrive, as a phone losing signal does) against the running app on
 * loopback, then reports the process's active resources and heap (after GC) before and after.
 * Baseline in the same run: the handler as it was before the fix (close handler attached after
 * the subscription's await), kept below, mounted in front of the same app in a second process.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import type { PushHub } from '../src/channels/webchat/push-hub.js';
import { SessionIds } from '../src/channels/webchat/session-id.js';
import { systemClock } from '../src/clock.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import type { OutgoingMessage } from '../src/message.js';
import { connectRedis } from '../src/redis/connect.js';
import { freePort, startLocalRedis } from '../src/redis/local-server.js';
import { printTable, removeKeys } from './synthetic.js';

const STREAMS = Number(process.env.SSE_STREAMS ?? 5000);
const CONCURRENCY = 50;
type Variant = 'before' | 'after';
interface Figures {
  variant: Variant;
  resourcesBefore: number;
  resourcesAfter: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  openStreams: number;
  ms: number;
}

/** The stream handler before the fix: the close handler only exists once `listen` has resolved. */
function handlerBeforeFix(ids: SessionIds, hub: PushHub): express.RequestHandler {
  return async (req, res) => {
    const key = ids.verify(typeof req.query.sessionId === 'string' ? req.query.sessionId : '');
    if (!key) return void res.status(404).end();
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (message: OutgoingMessage) => res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    const stop = await hub.listen(key, send);
    res.write(': connected\n\n');
    for (const message of await hub.takePending(key)) send(message);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      void stop();
    });
  };
}

/** One stream: request, drop the connection as soon as the headers arrive. */
function openAndAbort(port: number, sessionId: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/api/webchat/events?sessionId=${encodeURIComponent(sessionId)}`, agent: false }, (res) => {
      res.resume();
      req.destroy();
      resolve();
    });
    req.on('error', () => resolve());
  });
}

const settle = async (): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
};
const heapMb = () => Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;

async function measure(variant: Variant, redisUrl: string): Promise<Figures> {
  const logger = pino({ level: 'silent' });
  const prefix = `ssebench${variant}${Date.now().toString(36)}`;
  // Caps raised: this measures what a closed stream leaves behind, not the caps (tested apart).
  const config = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', SSE_STREAMS_PER_ADDRESS: '10000', SSE_STREAMS_PER_SESSION: '100', HTTP_RATE_PER_MINUTE: '100000' });
  const redis = connectRedis(redisUrl, logger);
  const subscriber = connectRedis(redisUrl, logger, 'subscriber');
  const app = await compose({ config, redisUrl, redis, subscriber, logger, clock: systemClock });
  const outer = express();
  if (variant === 'before') outer.get('/api/webchat/events', handlerBeforeFix(await SessionIds.create(redis, prefix), app.hub));
  outer.use(app.app);
  const server = outer.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const first = (await (await fetch(`http://127.0.0.1:${port}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"halo"}' })).json()) as { sessionId: string };
  await openAndAbort(port, first.sessionId);
  await settle();
  const resourcesBefore = process.getActiveResourcesInfo().length;
  const heapBeforeMb = heapMb();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < STREAMS) {
        next++;
        await openAndAbort(port, first.sessionId);
      }
    }),
  );
  const ms = performance.now() - started;
  await settle();
  const figures = { variant, resourcesBefore, resourcesAfter: process.getActiveResourcesInfo().length, heapBeforeMb, heapAfterMb: heapMb(), openStreams: app.hub.openStreams, ms };
  server.closeAllConnections();
  server.close();
  await app.close();
  await removeKeys(redis, prefix);
  redis.disconnect();
  subscriber.disconnect();
  return figures;
}

const child = process.argv[2] as Variant | undefined;
if (child) {
  process.stdout.write(JSON.stringify(await measure(child, process.env.REDIS_URL!)) + '\n');
  process.exit(0);
}

// Each variant in its own process, so one's leftovers cannot count against the other.
const local = process.env.REDIS_URL ? undefined : await startLocalRedis({ port: await freePort() });
const redisUrl = process.env.REDIS_URL ?? local!.url;
const rows: Figures[] = [];
for (const variant of ['before', 'after'] as const) {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, variant], { env: { ...process.env, REDIS_URL: redisUrl }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${variant} run failed:\n${run.stderr}`);
  rows.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Figures);
}
await local?.stop();
console.log(`${STREAMS} web chat event streams opened and dropped at once (${CONCURRENCY} at a time), loopback, one address`);
printTable(
  ['handler', 'active resources before', 'after', 'heap MB before', 'after', 'listeners left', 'seconds'],
  rows.map((r) => [r.variant === 'before' ? 'before the fix (close after await)' : 'now (close before await, caps)', String(r.resourcesBefore), String(r.resourcesAfter), String(r.heapBeforeMb), String(r.heapAfterMb), String(r.openStreams), (r.ms / 1000).toFixed(1)]),
);
