import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionIds } from '../../src/channels/webchat/session-id.js';
import { ManualClock } from '../../src/clock.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { connectRedis } from '../../src/redis/connect.js';
import { freePort, startLocalRedis, type LocalRedis } from '../../src/redis/local-server.js';
import { MONDAY_9AM, silentLogger, takeTicketInChat, until } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

/**
 * Redis losing its data (a restart without persistence, a failover to an empty replica) is
 * simulated on a redis-server of this file's own, never the shared test server: FLUSHALL there
 * would wipe every other test's keys.
 */
const cleanups: Array<() => Promise<void>> = [];
/** Stopped after the apps, which need their Redis to close cleanly. */
const servers: LocalRedis[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  for (const s of servers.splice(0)) await s.stop().catch(() => undefined);
});

async function ownRedis(port?: number): Promise<LocalRedis> {
  const server = await startLocalRedis({ port: port ?? (await freePort()) });
  servers.push(server);
  return server;
}

/** The web process as `npm start` runs it (reminders in process), on the given Redis. */
async function startApp(url: string) {
  const config = loadConfig({ REDIS_URL: url, LOG_LEVEL: 'silent', REDIS_PREFIX: 'loss', SURVEY_DELAY_MINUTES: '0' });
  const redis = connectRedis(url, silentLogger);
  const subscriber = connectRedis(url, silentLogger, 'subscriber');
  const app = await compose({ config, redisUrl: url, redis, subscriber, logger: silentLogger, clock: new ManualClock(MONDAY_9AM) });
  const rec = recordingNotifier();
  app.notifiers.register(rec.notifier);
  await app.reminders.start({ scheduler: true });
  await app.maintenance.start();
  const http: Server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => http.once('listening', () => r()));
  const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  cleanups.push(async () => {
    await app.close();
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    redis.disconnect();
    subscriber.disconnect();
  });
  /** A citizen takes a ticket in chat and the counter calls it: the "called" notice must reach them. */
  const calledNoticeArrives = async (userKey: string) => {
    await takeTicketInChat(app.engine, { channel: 'test', userKey }, 'syarat perpanjang skck');
    await app.queue.callNext('loket-4');
    await until(() => rec.sent.some((s) => s.to === userKey && s.message.text.includes('dipanggil')), 10_000);
  };
  const ready = async () => (await (await fetch(`${base}/readyz`)).json()) as { degraded: boolean; workers: { scheduler: { state: string; lastError?: string } } };
  return { app, calledNoticeArrives, ready };
}

function admin(server: LocalRedis): Redis {
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  cleanups.push(() => Promise.resolve(redis.disconnect()));
  return redis;
}

describe('Redis loses its data while the app runs', () => {
  it('keeps sending reminders after FLUSHALL: the consumer group and the nightly job scheduler are recreated', async () => {
    const server = await ownRedis();
    const { app, calledNoticeArrives, ready } = await startApp(server.url);
    await calledNoticeArrives('before-flush');

    await admin(server).flushall();
    await calledNoticeArrives('after-flush');
    expect((await ready()).workers.scheduler.state).toBe('consuming');

    // The nightly retention sweep's scheduler was only in Redis; the periodic check puts it back.
    expect(await app.maintenance.ensure()).toBe(true);
    expect(await app.maintenance.ensure()).toBe(false);
  });

  it('keeps sending reminders after redis-server restarts empty (no persistence) on the same port', async () => {
    const port = await freePort();
    const first = await ownRedis(port);
    const { calledNoticeArrives } = await startApp(first.url);
    await calledNoticeArrives('before-restart');

    await first.stop();
    await ownRedis(port);
    await calledNoticeArrives('after-restart');
  }, 40_000);

  it('says on /readyz when the scheduler is not consuming, and that it recovers', async () => {
    const server = await ownRedis();
    const { app, ready } = await startApp(server.url);
    expect(await ready()).toMatchObject({ degraded: false, workers: { scheduler: { state: 'consuming' } } });

    // The stream's key taken by something else: reads fail whatever the scheduler does.
    const redis = admin(server);
    await redis.flushall();
    await redis.set(app.queue.eventStream, 'not a stream');
    await until(async () => (await ready()).workers.scheduler.state === 'stalled', 15_000);
    const stalled = await ready();
    expect(stalled.degraded).toBe(true);
    expect(stalled.workers.scheduler.lastError).toMatch(/WRONGTYPE/);

    await redis.del(app.queue.eventStream);
    await until(async () => (await ready()).workers.scheduler.state === 'consuming', 10_000);
  }, 40_000);
});

describe('the web chat signing key after Redis lost its data', () => {
  it('is put back by the running instance, so an instance started afterwards accepts the ids it issued', async () => {
    const server = await ownRedis();
    const redis = admin(server);
    const running = await SessionIds.create(redis, 'loss', undefined, 50);
    cleanups.push(() => Promise.resolve(running.close()));
    const id = running.issue();

    await redis.flushall();
    await until(async () => (await redis.exists('loss:webchat:key')) === 1);
    const restarted = await SessionIds.create(redis, 'loss', undefined, 50);
    cleanups.push(() => Promise.resolve(restarted.close()));
    expect(restarted.verify(id)).toBeDefined();
    expect(running.verify(restarted.issue())).toBeDefined();
  });
});
