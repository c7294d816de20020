/**
 * `npm run bench:reminders`: from "call next" to the "silakan ke loket" reminder handed to the channel.
 *
 * 1,020 tickets (channel `bench`, one userKey each) and a ReminderRuntime with its scheduler and a
 * recording notifier for `bench` limited like Telegram, 30 messages per 1000 ms. A counter loop:
 * callNext, wait for the citizen (until their 'called' notice reached the notifier, or a
 * deadline), act start, act done. Latency runs from right after callNext resolved to the first
 * notifier.send() of that ticket's 'called' notice.
 *
 * (a) under the limit: 20 tickets of polri-skck-baru called by loket-4, one call a second.
 * (b) burst: 1,000 tickets (dukcapil-ktp-el-baru, samsat-pajak-tahunan, quotas raised in memory)
 *     called at once by 1,000 counters added to an in-memory copy of the catalogue, one ticket
 *     each. A real MPP has ~20 counters; 1,000 at once is what it takes to have 1,000 'called'
 *     notices due together. A counter that starts serving before the notice went out would make
 *     it stale (dropped at send time by design), so counters wait for the notice as citizens do.
 *
 * Counted per setting: delivered, duplicated (same ticket and kind sent twice), stale, lost (the
 * ticket stayed 'called' until the deadline and no notice came); the achieved rate and the most
 * messages in any sliding 1 s window, against the limit. 'Near' reminders are switched off
 * (nearAhead and nearMinutes -1: 0 would still remind the head of the line, ahead 0 <= 0) and
 * the survey too; any notice of another kind is counted separately.
 *
 * Baselines in the same run: a bare BullMQ queue and worker (no limiter), add -> processor called,
 * 200 jobs one after another; and the ideal burst at exactly 30/s (notice k leaves at floor(k/30) s).
 * Redis: REDIS_URL if set (keys removed at the end), else a throwaway redis-server on a free port.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { OpeningHours } from '../src/catalogue/hours.js';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';
import { ServiceSearch } from '../src/catalogue/search.js';
import { systemClock } from '../src/clock.js';
import { createEngine } from '../src/engine/create.js';
import { defaultQueuePolicy } from '../src/queue/policy.js';
import { QueueService } from '../src/queue/queue-service.js';
import { freePort, startLocalRedis, type LocalRedis } from '../src/redis/local-server.js';
import { NotifierRegistry, type ChannelNotifier } from '../src/reminders/notifier.js';
import type { DeliveryReport } from '../src/reminders/outbox.js';
import { ReminderRuntime } from '../src/reminders/runtime.js';
import { ms, printTable, summarise, type LatencySummary, removeKeys } from './synthetic.js';

import { usePseudonymKey } from '../src/citizen.js';

// Benches build the queue and engine without compose: key the citizen pseudonyms here.
usePseudonymKey('bench-pseudonym-key-the-same-in-every-bench-process');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHANNEL = 'bench';
// Telegram: about 30 messages per second per bot.
const RATE = { max: 30, durationMs: 1000 };
const SPACED = { serviceId: 'polri-skck-baru', counter: 'loket-4', tickets: 20, everyMs: 1000, deadlineMs: 10_000 };
const BURST = { services: ['dukcapil-ktp-el-baru', 'samsat-pajak-tahunan'], tickets: 1000 };
/** Twice the ideal spread of the burst (1,000 at 30/s = 33 s). */
const BURST_DEADLINE_MS = 2 * Math.ceil(BURST.tickets / RATE.max) * 1000;
const RAW_JOBS = 200;
const RAW_WARMUP = 20;
const TARGET_P99_MS = 1000;

const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** The real catalogue, quotas raised for the bench's services, plus one counter per burst ticket. */
function benchCatalogue(base: Catalogue): { catalogue: Catalogue; burstCounters: string[] } {
  const services = new Map(base.services);
  for (const id of [SPACED.serviceId, ...BURST.services]) {
    const service = services.get(id);
    if (!service) throw new Error(`service ${id} is not in content/`);
    services.set(id, { ...service, daily_quota: 10_000 });
  }
  const counters = [...base.mpp.counters];
  const burstCounters: string[] = [];
  for (let i = 0; i < BURST.tickets; i++) {
    const serviceId = BURST.services[i % BURST.services.length]!;
    const id = `bench-loket-${i + 1}`;
    counters.push({ id, name: { id: `Loket bench ${i + 1}`, en: `Bench counter ${i + 1}` }, agency: services.get(serviceId)!.agency, services: [serviceId] });
    burstCounters.push(id);
  }
  return { catalogue: { ...base, services, mpp: { ...base.mpp, counters } }, burstCounters };
}

/** What reached the notifier, per ticket and kind. */
interface Notice {
  ticketId: string;
  kind: string;
  sent: number;
  stale: number;
  /** performance.now() of the first send() of the first delivery. */
  firstSendAt?: number;
  messages: number;
}

/** The recording channel, and the bookkeeping that ties its sends to tickets and kinds. */
function recorder() {
  const userOf = new Map<string, string>(); // ticketId -> userKey (the notifier's `to`)
  const unattributed = new Map<string, number[]>(); // userKey -> send times not yet tied to a report
  const sendTimes: number[] = [];
  const notices = new Map<string, Notice>();
  const settled = new Set<string>(); // ticket ids whose 'called' notice was sent or dropped
  const waiters = new Map<string, () => void>();
  const runtimeLatency: number[] = [];

  const notifier: ChannelNotifier = {
    channel: CHANNEL,
    rate: RATE,
    send: (to) => {
      const at = performance.now();
      sendTimes.push(at);
      unattributed.set(to, [...(unattributed.get(to) ?? []), at]);
      return Promise.resolve();
    },
  };

  const onReport = (r: DeliveryReport): void => {
    const key = `${r.ticketId}|${r.kind}`;
    const notice = notices.get(key) ?? { ticketId: r.ticketId, kind: r.kind, sent: 0, stale: 0, messages: 0 };
    notices.set(key, notice);
    if (r.outcome === 'sent') {
      const to = userOf.get(r.ticketId) ?? '';
      const times = unattributed.get(to) ?? [];
      unattributed.delete(to);
      notice.sent++;
      notice.messages += times.length;
      notice.firstSendAt ??= times[0];
      if (r.latencyMs !== undefined) runtimeLatency.push(r.latencyMs);
    } else if (r.outcome === 'stale') notice.stale++;
    if (r.kind === 'called' && (r.outcome === 'sent' || r.outcome === 'stale' || r.outcome === 'permanent')) {
      settled.add(r.ticketId);
      waiters.get(r.ticketId)?.();
    }
  };

  /** Resolves true when the ticket's 'called' notice was handled, false at the deadline. */
  const waitCalled = (ticketId: string, deadline: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (settled.has(ticketId)) return resolve(true);
      const timer = setTimeout(
        () => {
          waiters.delete(ticketId);
          resolve(settled.has(ticketId));
        },
        Math.max(0, deadline - performance.now()),
      );
      waiters.set(ticketId, () => {
        clearTimeout(timer);
        waiters.delete(ticketId);
        resolve(true);
      });
    });

  return { notifier, onReport, waitCalled, userOf, notices, sendTimes, runtimeLatency };
}

interface SettingResult {
  name: string;
  /** ticketId -> performance.now() right after callNext resolved. */
  calledAt: Map<string, number>;
  /** Tickets the counter gave up on: still 'called' at the deadline, no notice. */
  timedOut: Set<string>;
  t0: number;
  t1: number;
}

/** The window of `width` ms (sorted times) holding the most events. */
function maxWindowAt(times: number[], width: number): { count: number; from: number; times: number[] } {
  let best = { count: 0, from: NaN, times: [] as number[] };
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= width) j++;
    if (i - j + 1 > best.count) best = { count: i - j + 1, from: times[j]!, times: times.slice(j, i + 1) };
  }
  return best;
}

const maxInWindow = (times: number[], width: number) => maxWindowAt(times, width).count;

async function bullBaseline(url: string, bullPrefix: string): Promise<LatencySummary> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('bench-raw', { connection, prefix: bullPrefix });
  const received = new Map<number, () => void>();
  const worker = new Worker(
    'bench-raw',
    (job) => {
      received.get((job.data as { i: number }).i)?.();
      return Promise.resolve();
    },
    { connection: workerConnection, prefix: bullPrefix, concurrency: 4 },
  );
  await worker.waitUntilReady();
  const latencies: number[] = [];
  for (let i = 0; i < RAW_WARMUP + RAW_JOBS; i++) {
    const got = new Promise<void>((resolve) => received.set(i, resolve));
    const start = performance.now();
    await queue.add('raw', { i }, { jobId: `raw-${i}`, removeOnComplete: true });
    await got;
    if (i >= RAW_WARMUP) latencies.push(performance.now() - start);
  }
  await worker.close();
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return summarise(latencies);
}

/** Waits until the scheduler has read and acknowledged every event and the outbox is empty. */
async function settle(redis: Redis, queue: QueueService, runtime: ReminderRuntime, maxMs: number): Promise<void> {
  const end = performance.now() + maxMs;
  while (performance.now() < end) {
    const groups = (await redis.xinfo('GROUPS', queue.eventStream)) as unknown[][];
    const group = groups.map((g) => Object.fromEntries(g.flatMap((v, k, all) => (k % 2 === 0 ? [[String(v), all[k + 1]]] : [])))).find((g) => g.name === 'reminders');
    const counts = await runtime.outbox.queue(CHANNEL).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const busy = Object.values(counts).reduce((a, b) => a + b, 0);
    if (group && Number(group.lag) === 0 && Number(group.pending) === 0 && busy === 0) break;
    await sleep(100);
  }
  // A late duplicate would show up within this quiet period.
  await sleep(1500);
}

async function main(): Promise<void> {
  const started = performance.now();
  let local: LocalRedis | undefined;
  const url = process.env.REDIS_URL ?? (local = await startLocalRedis({ port: await freePort() })).url;
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  const prefix = 'bench' + randomBytes(5).toString('hex');
  let runtime: ReminderRuntime | undefined;
  try {
    const { catalogue, burstCounters } = benchCatalogue(await loadCatalogue(path.join(ROOT, 'content')));
    const hours = new OpeningHours(catalogue.mpp, 'always');
    const logger = pino({ level: 'silent' });
    const queue = new QueueService(redis, prefix, catalogue, hours, systemClock, defaultQueuePolicy);
    const { engine } = await createEngine({
      redis,
      prefix,
      services: { catalogue, search: new ServiceSearch(catalogue), hours, queue },
      clock: systemClock,
      logger,
      flowsDir: path.join(ROOT, 'flows'),
      localesDir: path.join(ROOT, 'locales'),
      ratePerMinute: 1_000_000,
    });
    const rec = recorder();
    const notifiers = new NotifierRegistry();
    notifiers.register(rec.notifier);

    console.log(`Reminders bench: ${SPACED.tickets + BURST.tickets} tickets on channel '${CHANNEL}', notifier limit ${RATE.max} per ${RATE.durationMs} ms`);
    console.log(`Redis ${local ? `throwaway redis-server at ${url}` : 'from REDIS_URL'}, prefix ${prefix}; Node ${process.version}`);
    console.log(`${cpus().length} CPUs, load average before: ${loadAverage()}\n`);

    // Tickets first, then the runtime: its consumer group starts at '$', so 'issued' events are not replayed.
    const take = async (serviceId: string, userKey: string) => {
      const { ticket } = await queue.take({ serviceId, citizen: { channel: CHANNEL, userKey }, source: 'bench' });
      rec.userOf.set(ticket.id, userKey);
      return ticket.id;
    };
    const spacedTickets: string[] = [];
    for (let i = 0; i < SPACED.tickets; i++) spacedTickets.push(await take(SPACED.serviceId, `spaced-${i}`));
    const burstTickets = await Promise.all(Array.from({ length: BURST.tickets }, (_, i) => take(BURST.services[i % BURST.services.length]!, `burst-${i}`)));

    const raw = await bullBaseline(url, `${prefix}:bull`);

    runtime = new ReminderRuntime({
      redisUrl: url,
      redis,
      prefix,
      queue,
      conversation: engine,
      notifiers,
      rules: { nearAhead: -1, nearMinutes: -1, surveyDelayMs: 0 },
      clock: systemClock,
      logger,
      onReport: rec.onReport,
    });
    await runtime.start({ scheduler: true });
    await sleep(500);

    /** One counter's turn: call, wait for the citizen (their notice), serve. */
    const serve = async (counter: string, deadline: (calledAt: number) => number, result: SettingResult): Promise<void> => {
      const ticket = await queue.callNext(counter);
      const calledAt = performance.now();
      if (!ticket) throw new Error(`${counter}: nobody waiting`);
      result.calledAt.set(ticket.id, calledAt);
      if (!(await rec.waitCalled(ticket.id, deadline(calledAt)))) result.timedOut.add(ticket.id);
      await queue.act(ticket.id, 'start');
      await queue.act(ticket.id, 'done');
    };

    // (a) under the limit: one call a second at loket-4.
    const spaced: SettingResult = { name: `(a) ${SPACED.tickets} calls, 1 per ${SPACED.everyMs} ms`, calledAt: new Map(), timedOut: new Set(), t0: performance.now(), t1: 0 };
    for (let k = 0; k < SPACED.tickets; k++) {
      await sleep(spaced.t0 + k * SPACED.everyMs - performance.now());
      await serve(SPACED.counter, (at) => at + SPACED.deadlineMs, spaced);
    }
    await settle(redis, queue, runtime, 10_000);
    spaced.t1 = performance.now();

    // (b) burst: every burst counter calls at once.
    const burst: SettingResult = { name: `(b) burst of ${BURST.tickets} calls at once`, calledAt: new Map(), timedOut: new Set(), t0: performance.now(), t1: 0 };
    const burstDeadline = burst.t0 + BURST_DEADLINE_MS;
    await Promise.all(burstCounters.map((c) => serve(c, () => burstDeadline, burst)));
    const callsDone = Math.max(...burst.calledAt.values());
    await settle(redis, queue, runtime, 15_000);
    burst.t1 = performance.now();

    // Tally per setting.
    const notices = [...rec.notices.values()];
    const rows: string[][] = [];
    const figures = new Map<string, { p99: number; dup: number; lost: number; delivered: number; expected: number }>();
    for (const [setting, tickets] of [
      [spaced, spacedTickets],
      [burst, burstTickets],
    ] as const) {
      const mine = new Set(tickets);
      const called = notices.filter((n) => n.kind === 'called' && mine.has(n.ticketId));
      const delivered = called.filter((n) => n.sent > 0);
      const dup = called.filter((n) => n.sent > 1).length;
      const stale = called.filter((n) => n.sent === 0 && n.stale > 0).length;
      const lost = [...setting.calledAt.keys()].filter((id) => !delivered.some((n) => n.ticketId === id)).length;
      const latency = summarise(delivered.map((n) => n.firstSendAt! - setting.calledAt.get(n.ticketId)!));
      const times = rec.sendTimes.filter((t) => t >= setting.t0 && t <= setting.t1).sort((a, b) => a - b);
      const span = times.length > 1 ? times[times.length - 1]! - times[0]! : NaN;
      const rate = ((times.length - 1) * 1000) / span;
      figures.set(setting === spaced ? 'a' : 'b', { p99: latency.p99, dup, lost, delivered: delivered.length, expected: setting.calledAt.size });
      rows.push([
        setting.name,
        String(setting.calledAt.size),
        String(delivered.length),
        String(dup),
        String(stale),
        String(lost),
        String(setting.timedOut.size),
        ms(latency.p50),
        ms(latency.p99),
        ms(latency.max),
        String(times.length),
        Number.isFinite(rate) ? rate.toFixed(1) : 'n/a',
        String(maxInWindow(times, RATE.durationMs)),
      ]);
    }
    const ideal = summarise(Array.from({ length: BURST.tickets }, (_, k) => Math.floor(k / RATE.max) * RATE.durationMs));
    rows.push([`ideal burst at exactly ${RATE.max}/s`, String(BURST.tickets), String(BURST.tickets), '0', '0', '0', '0', ms(ideal.p50), ms(ideal.p99), ms(ideal.max), String(BURST.tickets), String(RATE.max), String(RATE.max)]);
    rows.push([`BullMQ add -> worker, no limiter (baseline)`, String(raw.count), String(raw.count), '-', '-', '-', '-', ms(raw.p50), ms(raw.p99), ms(raw.max), '-', '-', '-']);
    printTable(['setting', 'called', 'delivered', 'duplicated', 'stale', 'lost', 'timed out', 'p50 ms', 'p99 ms', 'max ms', 'messages', 'msgs/s', `max in any ${RATE.durationMs} ms`], rows);
    console.log(`latency: right after callNext() resolved -> first notifier.send() of the ticket's 'called' notice; p99 of 20 samples is their maximum`);
    console.log(`msgs/s: messages handed to the notifier between the first and the last of the setting; limit ${RATE.max} per ${RATE.durationMs} ms`);

    const others = notices.filter((n) => n.kind !== 'called');
    const perNotice = notices.filter((n) => n.sent > 0).map((n) => n.messages / n.sent);
    const burstSpan = (callsDone - burst.t0) / 1000;
    const runtimeOwn = summarise(rec.runtimeLatency);
    const counts = await runtime.outbox.queue(CHANNEL).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
    const burstSends = rec.sendTimes.filter((t) => t >= burst.t0 && t <= burst.t1).sort((x, y) => x - y);
    const perSecond: number[] = [];
    for (const t of burstSends) perSecond[Math.floor((t - burstSends[0]!) / 1000)] = (perSecond[Math.floor((t - burstSends[0]!) / 1000)] ?? 0) + 1;
    const sliding = maxWindowAt(burstSends, RATE.durationMs);
    console.log('');
    console.log(`burst sends per 1 s from the first one: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}`);
    console.log(`busiest sliding ${RATE.durationMs} ms: ${sliding.count} sends, from ${((sliding.from - burstSends[0]!) / 1000).toFixed(3)} s; sends there at ${sliding.times.map((t) => ((t - burstSends[0]!) / 1000).toFixed(3)).join(' ')}`);
    console.log(`burst: all ${BURST.tickets} callNext() resolved within ${burstSpan.toFixed(2)} s of the start; deadline for a notice ${BURST_DEADLINE_MS / 1000} s after the start`);
    console.log(`notices of other kinds (near, recalled, no-show, survey): ${others.length}${others.length ? ` (${others.map((n) => n.kind).join(', ')})` : ''}`);
    console.log(`messages per delivered notice: ${Math.min(...perNotice)}..${Math.max(...perNotice)}; outbox jobs at the end: ${JSON.stringify(counts)}`);
    console.log(`runtime's own metric (queue event time -> after send, DeliveryReport.latencyMs, both settings): p50 ${ms(runtimeOwn.p50)} ms, p99 ${ms(runtimeOwn.p99)} ms`);

    const a = figures.get('a')!;
    const b = figures.get('b')!;
    console.log(`load average after: ${loadAverage()}`);
    console.log('\ntargets');
    printTable(
      ['target', 'figure', 'result'],
      [
        [`'called' p99 < ${TARGET_P99_MS} ms under the rate limit`, `${ms(a.p99)} ms (BullMQ alone ${ms(raw.p99)} ms)`, a.p99 < TARGET_P99_MS && a.delivered === a.expected ? 'MET' : 'NOT MET'],
        ['zero duplicates', `${a.dup + b.dup}`, a.dup + b.dup === 0 ? 'MET' : 'NOT MET'],
        ['zero lost', `${a.lost + b.lost} (of ${a.expected + b.expected})`, a.lost + b.lost === 0 ? 'MET' : 'NOT MET'],
      ],
    );
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await runtime?.close();
    if (!local) await removeKeys(redis, prefix);
    await redis.quit();
    await local?.stop();
  }
}


// Exit explicitly, as src/main.ts does: OutboxWorkers opens one connection per channel worker and
// never closes it (BullMQ does not close a client it was handed), so the process would otherwise
// stay alive, reconnecting to the stopped server.
await main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
