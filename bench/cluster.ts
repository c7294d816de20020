/**
 * `npm run bench:cluster`: the queue on one redis-server beside a real Redis Cluster (3 masters,
 * 3 replicas on loopback, `redis-cli --cluster create`), each with 1, 4 and 16 sites, in one run.
 *
 * Each mode takes TICKETS tickets from distinct citizens over 4 real services, spread evenly over
 * its sites (a site = its own `{site:<id>}` hash tag, driven through the queue layer directly:
 * one QueueService per site id), with IN_FLIGHT requests in flight from this process. Reported:
 * tickets/s, CPU per ticket of this process and of the redis-server processes (from
 * /proc/<pid>/stat), and integrity faults: per site and group, numbers 1..N with no gap or
 * duplicate, every confirmed ticket stored and in its line, nothing more in the lines.
 *
 * On the cluster a ticket is confirmed after a replica acknowledged it (WAIT, see
 * src/redis/durability.ts): that round trip is part of the cluster's figure.
 *
 * Failover run: 4 sites on a fresh cluster, a steady burst; after a third of the tickets the
 * master holding site-0 gets `kill -9`. Every request retries with its idempotency key until it
 * is confirmed. Reported: time from the kill until site-0 takes tickets again, lost and
 * duplicated confirmed tickets (must be 0), and the integrity faults as above.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { OpeningHours } from '../src/catalogue/hours.js';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';
import { usePseudonymKey } from '../src/citizen.js';
import { systemClock } from '../src/clock.js';
import { QueueKeys } from '../src/queue/keys.js';
import { defaultQueuePolicy } from '../src/queue/policy.js';
import { QueueService } from '../src/queue/queue-service.js';
import { QueueError } from '../src/queue/ticket.js';
import { connectRedis, redisTargetOf } from '../src/redis/connect.js';
import { startLocalCluster, type LocalCluster } from '../src/redis/local-cluster.js';
import { freePort, startLocalRedis } from '../src/redis/local-server.js';
import { printTable } from './synthetic.js';

usePseudonymKey('bench-pseudonym-key-the-same-in-every-bench-process');

const TICKETS = 2000;
const IN_FLIGHT = 64;
/** Rounds per mode; the table shows the median round (by tickets/s) and every round's faults. */
const ROUNDS = 3;
const SERVICES = ['polri-skck-baru', 'kejaksaan-tilang', 'samsat-pajak-tahunan', 'dukcapil-ktp-el-baru'];
const logger = pino({ level: 'silent' });
const CLK_TCK = 100;

interface Request {
  site: number;
  serviceId: string;
  userKey: string;
}

interface Confirmed {
  site: number;
  serviceId: string;
  id: string;
  number: string;
}

/** The catalogue with quotas that never run out, as seen by one site. */
function siteCatalogue(base: Catalogue, site: string): Catalogue {
  const services = new Map(base.services);
  for (const id of SERVICES) services.set(id, { ...services.get(id)!, daily_quota: 100_000 });
  return { ...base, services, mpp: { ...base.mpp, site } };
}

function plan(sites: number, count: number, tag: string): Request[] {
  return Array.from({ length: count }, (_, i) => ({ site: i % sites, serviceId: SERVICES[Math.floor(i / sites) % SERVICES.length]!, userKey: `${tag}-${i}` }));
}

/** CPU seconds (user + system) a process used so far. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function queues(redis: Redis, prefix: string, catalogue: Catalogue, sites: number): QueueService[] {
  const hours = new OpeningHours(catalogue.mpp, 'always');
  return Array.from({ length: sites }, (_, s) => new QueueService(redis, prefix, siteCatalogue(catalogue, `site-${s}`), hours, systemClock, defaultQueuePolicy));
}

/** Takes every request with IN_FLIGHT in flight; a request is retried (same idempotency key) until confirmed. */
async function burst(qs: QueueService[], requests: Request[], onConfirmed?: (c: Confirmed, n: number, startedAt: number) => void): Promise<{ confirmed: Map<string, Confirmed>; retries: number; ms: number }> {
  const confirmed = new Map<string, Confirmed>();
  const pending = [...requests];
  let retries = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let r = pending.shift(); r; r = pending.shift()) {
        for (;;) {
          const startedAt = performance.now();
          try {
            const { ticket } = await qs[r.site]!.take({ serviceId: r.serviceId, citizen: { channel: 'bench', userKey: r.userKey }, source: 'kiosk', idempotencyKey: r.userKey });
            const c = { site: r.site, serviceId: r.serviceId, id: ticket.id, number: ticket.number };
            confirmed.set(r.userKey, c);
            onConfirmed?.(c, confirmed.size, startedAt);
            break;
          } catch (err) {
            if (err instanceof QueueError) throw err;
            retries++;
            await new Promise((res) => setTimeout(res, 50));
          }
        }
      }
    }),
  );
  return { confirmed, retries, ms: performance.now() - start };
}

/** Integrity faults: lost or duplicated confirmed tickets, gaps or duplicates in numbering, extra tickets in the lines. */
async function faults(redis: Redis, qs: QueueService[], prefix: string, requests: Request[], confirmed: Map<string, Confirmed>): Promise<string[]> {
  const out: string[] = [];
  if (confirmed.size !== requests.length) out.push(`${requests.length - confirmed.size} requests never confirmed`);
  const ids = [...confirmed.values()].map((c) => c.id);
  if (new Set(ids).size !== ids.length) out.push(`${ids.length - new Set(ids).size} duplicated ticket ids`);
  for (const [s, q] of qs.entries()) {
    const mine = [...confirmed.values()].filter((c) => c.site === s);
    for (const c of mine) if ((await q.get(c.id))?.number !== c.number) out.push(`site-${s}: confirmed ${c.number} lost`);
    // Per group prefix (C-, D-...): numbers 1..N, no gap, no duplicate.
    const byGroup = new Map<string, number[]>();
    for (const c of mine) {
      const [group = '', n = ''] = c.number.split('-');
      byGroup.set(group, [...(byGroup.get(group) ?? []), Number(n)]);
    }
    for (const [group, numbers] of byGroup) {
      const sorted = [...numbers].sort((a, b) => a - b);
      if (sorted.some((n, i) => n !== i + 1)) out.push(`site-${s} group ${group}: numbers not 1..${sorted.length}`);
    }
    const keys = new QueueKeys(prefix, `site-${s}`);
    const day = q.today();
    let waiting = 0;
    for (const id of SERVICES) waiting += (await redis.zcard(keys.wait(id, day))) + (await redis.zcard(keys.waitPriority(id, day)));
    if (waiting !== mine.length) out.push(`site-${s}: ${waiting} in the lines, ${mine.length} confirmed`);
  }
  return out;
}

interface ModeResult {
  mode: string;
  perSecond: number;
  clientCpuMs: number;
  serverCpuMs: number;
  retries: number;
  faults: string[];
}

async function runMode(mode: string, url: string, pids: number[], catalogue: Catalogue, sites: number): Promise<ModeResult> {
  const redis = connectRedis(url, logger, 'bench');
  const prefix = `bc${Math.random().toString(36).slice(2, 8)}`;
  // Warm up under another prefix: loads the scripts on every master and opens the connections.
  await burst(queues(redis, `${prefix}w`, catalogue, sites), plan(sites, sites * 8, `${prefix}w`));
  const qs = queues(redis, prefix, catalogue, sites);
  const requests = plan(sites, TICKETS, prefix);
  const client0 = process.cpuUsage();
  const server0 = pids.reduce((sum, pid) => sum + cpuOf(pid), 0);
  const { confirmed, retries, ms } = await burst(qs, requests);
  const client = process.cpuUsage(client0);
  const server = pids.reduce((sum, pid) => sum + cpuOf(pid), 0) - server0;
  const found = await faults(redis, qs, prefix, requests, confirmed);
  redis.disconnect();
  return { mode, perSecond: (TICKETS / ms) * 1000, clientCpuMs: (client.user + client.system) / 1000 / TICKETS, serverCpuMs: (server * 1000) / TICKETS, retries, faults: found };
}

function median(rounds: ModeResult[]): ModeResult {
  const sorted = [...rounds].sort((a, b) => a.perSecond - b.perSecond);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  return { ...mid, faults: rounds.flatMap((r) => r.faults) };
}

async function failoverRun(catalogue: Catalogue): Promise<{ recoverMs: number; faults: string[]; retries: number; perSecond: number }> {
  const cluster = await startLocalCluster();
  try {
    const url = redisTargetOf({ REDIS_CLUSTER_NODES: cluster.seeds })!;
    const redis = connectRedis(url, logger, 'bench-failover');
    const prefix = 'bfo';
    const sites = 4;
    const qs = queues(redis, prefix, catalogue, sites);
    const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', new QueueKeys(prefix, 'site-0').events));
    const victim = await cluster.masterOf(slot);
    const requests = plan(sites, 2000, prefix);
    let killedAt = 0;
    let backAt = 0;
    // Flowing again: the first site-0 ticket whose request was sent after the kill is confirmed.
    const { confirmed, retries, ms } = await burst(qs, requests, (c, n, startedAt) => {
      if (!killedAt && n >= requests.length / 3) {
        killedAt = performance.now();
        victim.kill();
      } else if (killedAt && !backAt && c.site === 0 && startedAt > killedAt) {
        backAt = performance.now();
      }
    });
    const found = await faults(redis, qs, prefix, requests, confirmed);
    redis.disconnect();
    return { recoverMs: backAt - killedAt, faults: found, retries, perSecond: (requests.length / ms) * 1000 };
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const catalogue = await loadCatalogue('content');
  console.log(`bench:cluster: ${TICKETS} tickets per mode and round, ${IN_FLIGHT} in flight from one process, 4 services, median of ${ROUNDS} rounds; node ${process.version}, ${cpus().length} cores`);
  const single = await startLocalRedis({ port: await freePort() });
  let cluster: LocalCluster | undefined;
  const results: ModeResult[] = [];
  try {
    cluster = await startLocalCluster();
    const url = redisTargetOf({ REDIS_CLUSTER_NODES: cluster.seeds })!;
    const pids = cluster.nodes.map((n) => n.pid);
    // The same sites on both, side by side: a site's lines get shorter as sites grow.
    for (const sites of [1, 4, 16]) {
      const label = `${sites} site${sites > 1 ? 's' : ''}`;
      // Rounds alternate between the two, so a busy moment of the machine hits both alike.
      const one: ModeResult[] = [];
      const many: ModeResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        one.push(await runMode(`one redis-server, ${label}`, single.url, single.pid ? [single.pid] : [], catalogue, sites));
        many.push(await runMode(`cluster 3+3, ${label}`, url, pids, catalogue, sites));
      }
      results.push(median(one), median(many));
    }
  } finally {
    await single.stop();
    await cluster?.stop();
  }
  printTable(
    ['mode', 'tickets/s', 'CPU ms/ticket (app)', 'CPU ms/ticket (redis, all nodes)', 'retries', 'integrity faults'],
    results.map((r) => [r.mode, r.perSecond.toFixed(0), r.clientCpuMs.toFixed(3), r.serverCpuMs.toFixed(3), String(r.retries), String(r.faults.length)]),
  );
  for (const r of results) for (const f of r.faults) console.log(`  FAULT ${r.mode}: ${f}`);
  // tickets/s on a shared 2-core machine swing with its load; CPU per ticket is the steadier figure.
  console.log(`load average after the table: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const fo = await failoverRun(catalogue);
  console.log(`\nfailover (cluster 3+3, 4 sites, 2000 tickets, kill -9 of site-0's master after a third):`);
  console.log(`  site-0 takes tickets again ${(fo.recoverMs / 1000).toFixed(2)} s after the kill; ${fo.perSecond.toFixed(0)} tickets/s over the run; ${fo.retries} retried requests; integrity faults ${fo.faults.length} (lost, duplicated, gaps)`);
  for (const f of fo.faults) console.log(`  FAULT failover: ${f}`);
  const bad = results.some((r) => r.faults.length > 0) || fo.faults.length > 0;
  process.exitCode = bad ? 1 : 0;
}

await main();
