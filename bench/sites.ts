/**
 * `npm run bench:sites`: the reminder path per site, from "call next" to the "called" notice
 * planned by that site's scheduler, with 1, 4 and 16 sites in one process, on one redis-server
 * and on a real Redis Cluster (3 masters, 3 replicas on loopback) side by side in one run.
 *
 * Each mode: one QueueService and one ReminderScheduler per site (each on its own blocking
 * connection, as `npm start` and `npm run worker` run them), CALLS tickets (channel `bench`) spread
 * evenly over the sites and 4 services; then every site's counters call their lines at once
 * (callNext, done, next). The scheduler plans into a counting notice port (the BullMQ outbox is
 * measured by bench:reminders; here the question is what several sites' consumers cost).
 *
 * Reported: called notices planned per second, latency from callNext resolved to the notice
 * planned (p50, p95), CPU per call of this process, and faults: a "called" notice missing, planned
 * twice, or naming another site than the ticket's (cross-delivery). The 1-site row of each Redis
 * is the baseline: a one-site deployment as before sites.
 */
import { cpus, loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { OpeningHours } from '../src/catalogue/hours.js';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';
import { usePseudonymKey } from '../src/citizen.js';
import { systemClock } from '../src/clock.js';
import { defaultQueuePolicy } from '../src/queue/policy.js';
import { QueueService } from '../src/queue/queue-service.js';
import { connectRedis, redisTargetOf } from '../src/redis/connect.js';
import { startLocalCluster, type LocalCluster } from '../src/redis/local-cluster.js';
import { freePort, startLocalRedis } from '../src/redis/local-server.js';
import type { NoticeJob } from '../src/reminders/kinds.js';
import type { NoticeOutbox } from '../src/reminders/notice-outbox.js';
import { ReminderScheduler } from '../src/reminders/scheduler.js';
import { printTable } from './synthetic.js';

usePseudonymKey('bench-pseudonym-key-the-same-in-every-bench-process');

const CALLS = 480;
const SERVICES = ['polri-skck-baru', 'kejaksaan-tilang', 'samsat-pajak-tahunan', 'dukcapil-ktp-el-baru'];
const logger = pino({ level: 'silent' });
/** "Near" off (the head of the line only would be reminded); survey off: only "called" is planned. */
const RULES = { nearAhead: -1, nearMinutes: -1, surveyDelayMs: 0 };

interface Planned {
  site: string;
  at: number;
}

interface ModeResult {
  mode: string;
  perSecond: number;
  p50: number;
  p95: number;
  cpuMsPerCall: number;
  faults: string[];
}

/** The catalogue with quotas that never run out, as seen by one site. */
function siteCatalogue(base: Catalogue, site: string): Catalogue {
  const services = new Map(base.services);
  for (const id of SERVICES) services.set(id, { ...services.get(id)!, daily_quota: 100_000 });
  return { ...base, services, mpp: { ...base.mpp, site } };
}

/** The notice port, counting: which site planned each ticket's "called" notice, and when. */
function countingOutbox() {
  const called = new Map<string, Planned[]>();
  const outbox: NoticeOutbox = {
    schedule: (_channel, job: NoticeJob) => {
      if (job.kind === 'called') called.set(job.ticketId, [...(called.get(job.ticketId) ?? []), { site: job.site ?? '', at: performance.now() }]);
      return Promise.resolve();
    },
    withdraw: () => Promise.resolve(),
  };
  return { outbox, called };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function runMode(mode: string, url: string, catalogue: Catalogue, sites: number): Promise<ModeResult> {
  const redis = connectRedis(url, logger, 'bench');
  const prefix = `bs${Math.random().toString(36).slice(2, 8)}`;
  const hours = new OpeningHours(catalogue.mpp, 'always');
  const ids = Array.from({ length: sites }, (_, s) => `site-${s}`);
  const qs = ids.map((id) => new QueueService(redis, prefix, siteCatalogue(catalogue, id), hours, systemClock, defaultQueuePolicy));
  const { outbox, called } = countingOutbox();
  const blocking: Redis[] = [];
  const schedulers = qs.map((q, s) => {
    const conn = connectRedis(url, logger, `bench-scheduler-${s}`, 'blocking');
    blocking.push(conn);
    return new ReminderScheduler(conn, q, outbox, RULES, systemClock, logger, ids[s]);
  });
  for (const s of schedulers) await s.start();

  // The lines: CALLS tickets spread over the sites and services.
  const siteOf = new Map<string, string>();
  for (let i = 0; i < CALLS; i++) {
    const s = i % sites;
    const { ticket } = await qs[s]!.take({ serviceId: SERVICES[Math.floor(i / sites) % SERVICES.length]!, citizen: { channel: 'bench', userKey: `${prefix}-${i}` }, source: 'kiosk' });
    siteOf.set(ticket.id, ids[s]!);
  }

  // Every site's counter for each service calls its line, all at once.
  const calledAt = new Map<string, number>();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    qs.flatMap((q) =>
      SERVICES.map(async (serviceId) => {
        const counter = q.countersFor(serviceId)[0]!.id;
        for (let t = await q.callNext(counter); t; t = await q.callNext(counter)) {
          calledAt.set(t.id, performance.now());
          await q.act(t.id, 'done');
        }
      }),
    ),
  );
  const deadline = performance.now() + 30_000;
  while (called.size < calledAt.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const ms = Math.max(...[...called.values()].map((p) => p[0]!.at)) - start;
  const cpu = process.cpuUsage(cpu0);

  const faults: string[] = [];
  const latencies: number[] = [];
  for (const [id, at] of calledAt) {
    const planned = called.get(id) ?? [];
    if (planned.length === 0) faults.push(`${id}: no "called" notice`);
    if (planned.length > 1) faults.push(`${id}: ${planned.length} "called" notices`);
    for (const p of planned) if (p.site !== siteOf.get(id)) faults.push(`${id} of ${siteOf.get(id)}: planned as ${p.site}`);
    if (planned[0]) latencies.push(planned[0].at - at);
  }
  if (calledAt.size !== CALLS) faults.push(`${CALLS - calledAt.size} tickets never called`);
  for (const s of schedulers) await s.stop();
  redis.disconnect();
  latencies.sort((a, b) => a - b);
  return { mode, perSecond: (calledAt.size / ms) * 1000, p50: percentile(latencies, 50), p95: percentile(latencies, 95), cpuMsPerCall: (cpu.user + cpu.system) / 1000 / CALLS, faults };
}

async function main(): Promise<void> {
  const catalogue = await loadCatalogue('content');
  console.log(`bench:sites: ${CALLS} tickets called per mode (4 services, every site's counters at once), one scheduler per site; node ${process.version}, ${cpus().length} cores`);
  const single = await startLocalRedis({ port: await freePort() });
  let cluster: LocalCluster | undefined;
  const results: ModeResult[] = [];
  try {
    cluster = await startLocalCluster();
    const clusterUrl = redisTargetOf({ REDIS_CLUSTER_NODES: cluster.seeds })!;
    for (const sites of [1, 4, 16]) {
      const label = `${sites} site${sites > 1 ? 's' : ''}`;
      results.push(await runMode(`one redis-server, ${label}`, single.url, catalogue, sites));
      results.push(await runMode(`cluster 3+3, ${label}`, clusterUrl, catalogue, sites));
    }
  } finally {
    await single.stop();
    await cluster?.stop();
  }
  printTable(
    ['mode', 'called notices/s', 'p50 ms', 'p95 ms', 'CPU ms/call (app)', 'faults'],
    results.map((r) => [r.mode, r.perSecond.toFixed(0), r.p50.toFixed(1), r.p95.toFixed(1), r.cpuMsPerCall.toFixed(3), String(r.faults.length)]),
  );
  for (const r of results) for (const f of r.faults.slice(0, 5)) console.log(`  FAULT ${r.mode}: ${f}`);
  console.log(`baseline: the 1-site rows (a one-site deployment, as before sites). load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.exitCode = results.some((r) => r.faults.length > 0) ? 1 : 0;
}

await main();
