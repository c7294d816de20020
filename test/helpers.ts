import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';
import { OpeningHours } from '../src/catalogue/hours.js';
import { ServiceSearch } from '../src/catalogue/search.js';
import { ManualClock, type Clock } from '../src/clock.js';
import { createEngine } from '../src/engine/create.js';
import type { TurnResult } from '../src/message.js';
import type { Engine } from '../src/engine/engine.js';
import type { AddressInfo } from 'node:net';
import { compose, type ComposeOptions } from '../src/compose.js';
import { ReminderRuntime, type ReminderRuntimeOptions } from '../src/reminders/runtime.js';
import { Forgetting } from '../src/privacy/forget.js';
import { loadConfig } from '../src/config.js';
import { connectRedis, redisTargetOf, type ConnectionRole } from '../src/redis/connect.js';
import { QueueService } from '../src/queue/queue-service.js';
import { SurveyStore } from '../src/survey/store.js';
import { defaultQueuePolicy, type QueuePolicy } from '../src/queue/policy.js';
import { STAFF_COOKIE, type StaffRole } from '../src/http/staff/index.js';

export const silentLogger = pino({ level: 'silent' });

let cataloguePromise: Promise<Catalogue> | undefined;
/** The real demo catalogue from content/, loaded once per test file. */
export function demoCatalogue(): Promise<Catalogue> {
  return (cataloguePromise ??= loadCatalogue('content'));
}

/** A fresh key prefix per test so tests never see each other's data in the shared Redis. */
export function testPrefix(): string {
  return 't' + randomBytes(5).toString('hex');
}

/** Whether this test project runs on the local Redis Cluster (vitest project `cluster`). */
export const onCluster = process.env.MPP_TEST_REDIS === 'cluster';

/** The test Redis as the app's environment names it: REDIS_URL, or REDIS_CLUSTER_NODES on the cluster project. */
export function testRedisEnv(): { REDIS_URL: string } | { REDIS_CLUSTER_NODES: string } {
  if (onCluster) {
    const nodes = process.env.MPP_TEST_CLUSTER_NODES;
    if (!nodes) throw new Error('MPP_TEST_CLUSTER_NODES is not set: the cluster global setup should have started the cluster');
    return { REDIS_CLUSTER_NODES: nodes };
  }
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: the global setup should have started redis-server');
  return { REDIS_URL: url };
}

/** The connection string of the test Redis (a redis:// URL, or the cluster's) for connectRedis and compose. */
export function testRedisUrl(): string {
  return redisTargetOf(testRedisEnv())!;
}

const opened: Redis[] = [];
/** A real Redis connection to the test server (or cluster), made by the app's factory, closed after the file's tests. */
export function testRedis(role: ConnectionRole = 'command'): Redis {
  const redis = connectRedis(testRedisUrl(), silentLogger, 'test', role);
  opened.push(redis);
  return redis;
}

afterAll(async () => {
  await Promise.all(opened.splice(0).map((r) => r.quit().catch(() => undefined)));
});


/** Monday 23 Nov 2026, 09:00 WIB: the demo MPP is open. */
export const MONDAY_9AM = new Date('2026-11-23T02:00:00Z');

export interface TestEngineOptions {
  clock?: Clock;
  ratePerMinute?: number;
  idleMs?: number;
  redis?: Redis;
  prefix?: string;
  hoursMode?: 'content' | 'always';
  /** false: an engine without the queue service (tickets "not available"). */
  queue?: boolean;
  policy?: Partial<QueuePolicy>;
}

/** A real engine on the demo catalogue, flows and locales, with sessions in the test Redis. */
export async function testEngine(opts: TestEngineOptions = {}) {
  const catalogue = await demoCatalogue();
  const clock = (opts.clock ?? new ManualClock(MONDAY_9AM)) as ManualClock;
  const prefix = opts.prefix ?? testPrefix();
  const redis = opts.redis ?? testRedis();
  const hours = new OpeningHours(catalogue.mpp, opts.hoursMode ?? 'content');
  const queue = opts.queue === false ? undefined : new QueueService(redis, prefix, catalogue, hours, clock, { ...defaultQueuePolicy, ...opts.policy });
  const created = await createEngine({
    redis,
    prefix,
    services: { catalogue, search: new ServiceSearch(catalogue), hours, ...(queue ? { queue, forgetting: new Forgetting(queue, silentLogger), survey: new SurveyStore(redis, queue.ticketSlot) } : {}) },
    clock,
    logger: silentLogger,
    ratePerMinute: opts.ratePerMinute ?? 1000,
    ...(opts.idleMs ? { idleMs: opts.idleMs } : {}),
  });
  return { ...created, clock, prefix, catalogue, queue };
}

/** All texts of a turn joined, for readable assertions. */
export function allText(result: TurnResult): string {
  return result.messages.map((m) => m.text).join('\n---\n');
}

/** Choice ids offered by the last message of a turn. */
export function choiceIds(result: TurnResult): string[] {
  return result.messages.at(-1)?.choices?.map((c) => c.id) ?? [];
}

/**
 * The whole app (compose) on a free port with a fresh Redis prefix; close() after the test.
 * The demo has several MPP sites: citizens of a test app come as from the main site's link
 * (`siteHint`, as `/?site=main` or `/start site-main` would send), so a test about tickets is not
 * first asked "di MPP mana?". `siteHint: null` starts citizens who chose no MPP (the sites tests).
 */
export async function startTestApp(env: Record<string, string> = {}, clock: Clock = new ManualClock(MONDAY_9AM), extra: Pick<ComposeOptions, 'whatsappWebClientFactory'> & { siteHint?: string | null } = {}) {
  const config = loadConfig({ ...testRedisEnv(), REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent', ...env });
  const redis = testRedis();
  const subscriber = testRedis();
  const { siteHint = 'main', ...options } = extra;
  const composition = await compose({ config, redisUrl: testRedisUrl(), redis, subscriber, logger: silentLogger, clock, ...options });
  if (siteHint !== null) {
    const handle = composition.engine.handle.bind(composition.engine);
    composition.engine.handle = (message) => handle({ siteHint, ...message });
  }
  const server = composition.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    ...composition,
    config,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await composition.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** A password that passes the staff rules, for test accounts. */
export const STAFF_PASSWORD = 'correct horse battery';

/**
 * A staff account and a live session on a test app, without going through the form: the
 * `Cookie` header to send and the session's CSRF token.
 */
export async function staffSession(app: TestApp, username: string, role: StaffRole, counters: string[] = []) {
  const account = await app.staff.store.create(username, STAFF_PASSWORD, role, counters);
  const session = await app.staff.sessions.create(account);
  return { cookie: `${STAFF_COOKIE}=${session.id}`, csrf: session.csrf };
}


/** A queue on the demo catalogue with its own key prefix and a steerable clock. */
export async function testQueue(opts: { clock?: ManualClock; hoursMode?: 'content' | 'always'; policy?: Partial<QueuePolicy>; redis?: Redis; prefix?: string } = {}) {
  const catalogue = await demoCatalogue();
  const clock = opts.clock ?? new ManualClock(MONDAY_9AM);
  const prefix = opts.prefix ?? testPrefix();
  const queue = new QueueService(opts.redis ?? testRedis(), prefix, catalogue, new OpeningHours(catalogue.mpp, opts.hoursMode ?? 'content'), clock, { ...defaultQueuePolicy, ...opts.policy });
  return { queue, clock, prefix, catalogue };
}

/** Every leaf key of a locale file, sorted: two languages of one file must list the same. */
export function leafKeys(file: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string) => {
    if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    else out.push(prefix);
  };
  walk(JSON.parse(readFileSync(file, 'utf8')), '');
  return out.sort();
}

/** Polls until `check` holds (events cross Redis, BullMQ and timers); fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A reminder runtime on a test app's queue, engine and notifiers, with its own connections;
 * only what a test cares about (rules, clock, retry and hold delays, reports) is given.
 */
export function testReminders(app: TestApp, opts: Partial<ReminderRuntimeOptions> & Pick<ReminderRuntimeOptions, 'rules'>): ReminderRuntime {
  return new ReminderRuntime({
    redisUrl: testRedisUrl(),
    redis: testRedis(),
    prefix: app.config.REDIS_PREFIX,
    queue: app.queue,
    conversation: app.engine,
    notifiers: app.notifiers,
    clock: new ManualClock(MONDAY_9AM),
    logger: silentLogger,
    ...opts,
  });
}

/** A citizen takes a ticket through the real chat flow: question, "take", confirm, all documents ready. */
export async function takeTicketInChat(engine: Engine, citizen: { channel: string; userKey: string }, question: string, site = 'main'): Promise<TurnResult> {
  // Arriving from a site's link, as a citizen of a several-site deployment does who chose it before (no "di MPP mana?").
  await engine.handle({ ...citizen, text: question, siteHint: site });
  await engine.handle({ ...citizen, choice: 'take' });
  await engine.handle({ ...citizen, choice: 'confirm' });
  return engine.handle({ ...citizen, choice: 'all-ready' });
}
