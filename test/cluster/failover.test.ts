import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { compose, type Composition } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { QueueKeys } from '../../src/queue/keys.js';
import { QueueError } from '../../src/queue/ticket.js';
import { connectRedis, redisTargetOf } from '../../src/redis/connect.js';
import { startLocalCluster, type LocalCluster } from '../../src/redis/local-cluster.js';
import type { Redis } from 'ioredis';
import { MONDAY_9AM, silentLogger, testPrefix, until } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

/** 4 services, 60 citizens each (quotas 100-200): nobody is refused, every request must end in one ticket. */
const SERVICES = ['polri-skck-baru', 'kejaksaan-tilang', 'samsat-pajak-tahunan', 'dukcapil-ktp-el-baru'];
const PER_SERVICE = 60;
/** The master holding the site's slot is killed once this many tickets were confirmed. */
const KILL_AFTER = 60;

/**
 * Issue 16: `kill -9` of the master that holds the site during a ticket burst. Its own cluster (3
 * masters, 3 replicas; cluster-node-timeout 2 s), so the shared test cluster stays whole.
 */
describe('on a Redis Cluster, when the master holding the site dies during a ticket burst', () => {
  let cluster: LocalCluster;
  let app: Composition;
  let redis: Redis;
  let subscriber: Redis;
  let base = '';
  let prefix = '';
  let close: () => Promise<void> = () => Promise.resolve();
  const rec = recordingNotifier();

  beforeAll(async () => {
    cluster = await startLocalCluster();
    prefix = testPrefix();
    const config = loadConfig({ REDIS_CLUSTER_NODES: cluster.seeds, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', OPENING_HOURS: 'always', SURVEY_DELAY_MINUTES: '0' });
    const url = redisTargetOf(config)!;
    redis = connectRedis(url, silentLogger);
    subscriber = connectRedis(url, silentLogger, 'subscriber');
    app = await compose({ config, redisUrl: url, redis, subscriber, logger: silentLogger, clock: new ManualClock(MONDAY_9AM) });
    app.notifiers.register(rec.notifier);
    await app.reminders.start({ scheduler: true });
    const server = app.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await app.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      redis.disconnect();
      subscriber.disconnect();
    };
  }, 60_000);

  afterAll(async () => {
    // The last test leaves every node dead: BullMQ's close would wait for them; the app's own
    // shutdown is bounded the same way (main.ts).
    await Promise.race([close(), new Promise((r) => setTimeout(r, 5000))]);
    redis?.disconnect();
    subscriber?.disconnect();
    await cluster?.stop();
  });

  it('reconnects by itself, loses and duplicates no confirmed ticket, keeps reminders flowing, and /readyz tells', async () => {
    const keys = new QueueKeys(prefix, app.catalogue.mpp.site);
    const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', keys.events));
    const victim = await cluster.masterOf(slot);
    const requests = SERVICES.flatMap((serviceId) => Array.from({ length: PER_SERVICE }, (_, i) => ({ serviceId, userKey: `${serviceId}-${i}` })));
    const confirmed = new Map<string, { id: string; number: string; serviceId: string }>();
    let killed = false;

    // A kiosk-like client: the same idempotency key on every retry of one request.
    const takeOne = async (r: { serviceId: string; userKey: string }) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        try {
          const { ticket } = await app.queue.take({ serviceId: r.serviceId, citizen: { channel: 'test', userKey: r.userKey }, source: 'kiosk', idempotencyKey: `burst-${r.userKey}` });
          confirmed.set(r.userKey, { id: ticket.id, number: ticket.number, serviceId: r.serviceId });
          if (!killed && confirmed.size >= KILL_AFTER) {
            killed = true;
            victim.kill();
          }
          return;
        } catch (err) {
          if (err instanceof QueueError) throw err;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    };
    const pending = [...requests];
    await Promise.all(Array.from({ length: 16 }, async () => {
      for (let r = pending.shift(); r; r = pending.shift()) await takeOne(r);
    }));

    expect(killed).toBe(true);
    // Every request confirmed exactly once, with a ticket of its own.
    expect(confirmed.size).toBe(requests.length);
    expect(new Set([...confirmed.values()].map((t) => t.id)).size).toBe(requests.length);
    // Nothing confirmed is missing from Redis after the failover; nothing unconfirmed is in it.
    for (const t of confirmed.values()) expect((await app.queue.get(t.id))?.number).toBe(t.number);
    const day = app.queue.today();
    let waiting = 0;
    for (const s of SERVICES) waiting += (await redis.zcard(keys.wait(s, day))) + (await redis.zcard(keys.waitPriority(s, day)));
    expect(waiting).toBe(requests.length);
    // Numbers stay unique within each service's group (polri and kejaksaan share one).
    const numbers = [...confirmed.values()].map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);

    // Reminders keep flowing: calling the next SKCK ticket reaches the citizen.
    const called = await app.queue.callNext('loket-4');
    expect(called).toBeDefined();
    await until(() => rec.sent.some((s) => s.message.text.includes(`Nomor ${called!.number} dipanggil`)), 20_000);

    const ready = (await (await fetch(`${base}/readyz`)).json()) as { status: string; redisClient: { mode: string; failovers: number; lastError?: { message: string } } };
    expect(ready.status).toBe('ready');
    expect(ready.redisClient.mode).toBe('cluster');
    expect(ready.redisClient.failovers).toBeGreaterThanOrEqual(1);
    expect(ready.redisClient.lastError?.message).toBeTruthy();
  }, 90_000);

  it('answers a citizen politely at once, and /readyz says 503, when every node is down', async () => {
    for (const node of cluster.nodes) node.kill();
    const took: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = Date.now();
      const reply = await app.engine.handle({ channel: 'test', userKey: `warga-saat-gangguan-${i}`, text: 'syarat skck' });
      took.push(Date.now() - started);
      expect(reply.messages.map((m) => m.text).join('\n')).toContain('gangguan');
    }
    expect(Math.max(...took)).toBeLessThan(8000);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  }, 60_000);
});
