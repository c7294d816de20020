/**
 * `npm run bench:queue`: taking tickets from two app processes at once.
 *
 * 1,000 ticket requests from 1,000 distinct citizens (channel `bench`) across 4 real services,
 * with quotas overridden in memory: dukcapil-ktp-el-baru gets 400 requests against a quota of 300,
 * polri-skck-baru, kejaksaan-tilang and samsat-pajak-tahunan 200 each against 1,000. The two
 * polri/kejaksaan services sit in one queue group (content/mpp.yaml), so they share numbering.
 * Two processes (this one and a child running this script with `--child`) each fire their 500
 * requests at once, on one ioredis connection each, starting at the same instant (a start time
 * published over Redis pub/sub).
 *
 * Integrity, checked in Redis after each round: per service exactly min(requests, quota) issued
 * and the rest refused with quota_full; per group and day numbers 1..N with no duplicate or gap;
 * every issued ticket stored, waiting, and in its service's line with its number as score.
 *
 * Baseline in the same run, same processes, same concurrency: one EVALSHA of a trivial script
 * (INCR of one key) per request. `take()` itself is one EVALSHA plus two more round trips
 * (HGETALL of the new ticket, a MULTI for its place in the line), so it cannot beat this.
 *
 * Visit variant (issue 13), in the same rounds and processes: 300 three-step visits
 * (polri-sim-perpanjangan -> samsat-pajak-tahunan -> dukcapil-kk-baru, QueueService.takeVisit: one
 * Lua script per visit) mixed with 300 single tickets (100 per service), the kk-baru quota at 350
 * so some visits and singles are refused. Integrity: every accepted visit has its three tickets
 * stored, waiting, in their lines at their numbers, step 1 callable and steps 2-3 held; a refused
 * visit left no ticket (all or nothing); per service the issued count equals what the answers
 * say and never passes the quota; numbers 1..N per group. Its tickets/s is printed beside the
 * single-ticket take() of the same round.
 *
 * Five rounds, each on a fresh key prefix; targets are judged on every round's integrity and the
 * median round's rate. Redis: REDIS_URL if set (keys removed at the end), else a throwaway
 * redis-server on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { OpeningHours } from '../src/catalogue/hours.js';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';
import { systemClock } from '../src/clock.js';
import { QueueKeys } from '../src/queue/keys.js';
import { defaultQueuePolicy } from '../src/queue/policy.js';
import { QueueService } from '../src/queue/queue-service.js';
import { QueueError } from '../src/queue/ticket.js';
import { freePort, startLocalRedis, type LocalRedis } from '../src/redis/local-server.js';
import { mulberry32, ms, printTable, summarise, removeKeys } from './synthetic.js';

import { usePseudonymKey } from '../src/citizen.js';

// Benches build the queue and engine without compose: key the citizen pseudonyms here.
usePseudonymKey('bench-pseudonym-key-the-same-in-every-bench-process');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const PROCESSES = 2;
const ROUNDS = 5;
const TARGET_TICKETS_PER_S = 3000;
/** serviceId -> [requests, quota]. The first one runs out. */
const MIX: Array<[string, number, number]> = [
  ['dukcapil-ktp-el-baru', 400, 300],
  ['polri-skck-baru', 200, 1000],
  ['kejaksaan-tilang', 200, 1000],
  ['samsat-pajak-tahunan', 200, 1000],
];
const REQUESTS = MIX.reduce((sum, [, n]) => sum + n, 0);
/** The visit variant: every visit takes these three in this order; singles spread over the same services. */
const VISIT_STEPS = ['polri-sim-perpanjangan', 'samsat-pajak-tahunan', 'dukcapil-kk-baru'];
const VISITS = 300;
const VISIT_SINGLES_PER_SERVICE = 100;
/** Quotas of the visit variant's services: kk-baru runs out (300 visits + 100 singles ask for 400). */
const VISIT_QUOTAS: Record<string, number> = { 'polri-sim-perpanjangan': 1000, 'samsat-pajak-tahunan': 1000, 'dukcapil-kk-baru': 350 };
const VISIT_REQUESTS = VISITS + VISIT_SINGLES_PER_SERVICE * VISIT_STEPS.length;
const INCR_SCRIPT = "return redis.call('INCR', KEYS[1])";

interface Request {
  i: number;
  serviceId: string;
  userKey: string;
  /** A visit of VISIT_STEPS instead of a single ticket. */
  visit?: boolean;
}

/** The visit variant's requests, shuffled: 300 visits and the singles. */
function visitPlan(): Request[] {
  const requests: Array<Omit<Request, 'i'>> = [
    ...Array.from({ length: VISITS }, (_, k) => ({ serviceId: VISIT_STEPS.join('>'), userKey: `visitor-${k}`, visit: true })),
    ...VISIT_STEPS.flatMap((serviceId) => Array.from({ length: VISIT_SINGLES_PER_SERVICE }, (_, k) => ({ serviceId, userKey: `single-${serviceId}-${k}` }))),
  ];
  const rand = mulberry32(13);
  for (let k = requests.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [requests[k], requests[j]] = [requests[j]!, requests[k]!];
  }
  return requests.map((r, i) => ({ ...r, i }));
}

/** Every request, in a fixed shuffled order; process p sends those with i % PROCESSES === p. */
function plan(): Request[] {
  const services = MIX.flatMap(([id, n]) => Array.from({ length: n }, () => id));
  const rand = mulberry32(7);
  for (let k = services.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [services[k], services[j]] = [services[j]!, services[k]!];
  }
  return services.map((serviceId, i) => ({ i, serviceId, userKey: `citizen-${i}` }));
}

/** The real catalogue with the bench's quotas (the queue reads daily_quota from here). */
function withQuotas(catalogue: Catalogue): Catalogue {
  const services = new Map(catalogue.services);
  for (const [id, quota] of [...MIX.map(([id, , quota]) => [id, quota] as const), ...Object.entries(VISIT_QUOTAS)]) {
    const service = services.get(id);
    if (!service) throw new Error(`service ${id} is not in content/`);
    services.set(id, { ...service, daily_quota: quota });
  }
  return { ...catalogue, services };
}

function groupOf(catalogue: Catalogue, serviceId: string): string {
  const agency = catalogue.services.get(serviceId)?.agency;
  return catalogue.mpp.groups.find((g) => agency && g.agencies.includes(agency))?.id ?? '';
}

type Step = { kind: 'evalsha'; name: string; key: string; sha: string } | { kind: 'take' | 'visit'; name: string; queuePrefix: string } | { kind: 'exit' };

interface TakeRecord {
  i: number;
  serviceId: string;
  /** 'new' | 'existing' | an error code. */
  outcome: string;
  ticketId?: string;
  number?: string;
  seq?: number;
  group?: string;
  day?: string;
  /** A visit's refusal names a service (quota_full). */
  refusedBy?: string;
  /** A visit's tickets, in step order. */
  steps?: Array<{ ticketId: string; serviceId: string; number: string; seq: number; group: string; held: boolean }>;
}

interface StepResult {
  proc: number;
  /** Absolute times (ms since the epoch, sub-ms resolution) of the first send and the last answer. */
  t0: number;
  t1: number;
  cpuMs: number;
  latencies: number[];
  failed: number;
  takes: TakeRecord[];
}

const nowAbs = () => performance.timeOrigin + performance.now();

/** One process's half of a step: all its requests at once, each timed. */
async function runStep(redis: Redis, catalogue: Catalogue, hours: OpeningHours, step: Exclude<Step, { kind: 'exit' }>, proc: number): Promise<StepResult> {
  const mine = (step.kind === 'visit' ? visitPlan() : plan()).filter((r) => r.i % PROCESSES === proc);
  const latencies: number[] = [];
  const takes: TakeRecord[] = [];
  let failed = 0;
  const queue = step.kind === 'take' || step.kind === 'visit' ? new QueueService(redis, step.queuePrefix, catalogue, hours, systemClock, defaultQueuePolicy) : undefined;
  const one = async (r: Request): Promise<void> => {
    const start = performance.now();
    if (step.kind === 'evalsha') {
      await redis.evalsha(step.sha, 1, step.key);
      latencies.push(performance.now() - start);
      return;
    }
    if (r.visit) {
      try {
        const { visit, created } = await queue!.takeVisit({ serviceIds: VISIT_STEPS, citizen: { channel: 'bench', userKey: r.userKey }, source: 'bench' });
        // The number says the place (prefix-seq); the group is the service's (content).
        const steps = visit.steps.map((s) => ({ ticketId: s.ticketId, serviceId: s.serviceId, number: s.number, seq: Number(s.number.split('-')[1]), group: groupOf(catalogue, s.serviceId), held: s.held }));
        takes.push({ i: r.i, serviceId: r.serviceId, outcome: created ? 'new' : 'existing', ticketId: visit.id, day: visit.day, steps });
      } catch (err) {
        if (!(err instanceof QueueError)) failed++;
        takes.push({ i: r.i, serviceId: r.serviceId, outcome: err instanceof QueueError ? err.code : `error: ${(err as Error).message}`, ...(err instanceof QueueError && err.info.serviceId ? { refusedBy: err.info.serviceId } : {}) });
      }
      latencies.push(performance.now() - start);
      return;
    }
    try {
      const { ticket, created } = await queue!.take({ serviceId: r.serviceId, citizen: { channel: 'bench', userKey: r.userKey }, source: 'bench' });
      takes.push({ i: r.i, serviceId: r.serviceId, outcome: created ? 'new' : 'existing', ticketId: ticket.id, number: ticket.number, seq: ticket.seq, group: ticket.group, day: ticket.day });
    } catch (err) {
      if (!(err instanceof QueueError)) failed++;
      takes.push({ i: r.i, serviceId: r.serviceId, outcome: err instanceof QueueError ? err.code : `error: ${(err as Error).message}` });
    }
    latencies.push(performance.now() - start);
  };
  const cpu = process.cpuUsage();
  const t0 = nowAbs();
  await Promise.all(mine.map(one));
  const t1 = nowAbs();
  const used = process.cpuUsage(cpu);
  return { proc, t0, t1, cpuMs: (used.user + used.system) / 1000, latencies, failed, takes };
}

const ctlChannel = (prefix: string) => `${prefix}:bench:ctl`;
const resultsKey = (prefix: string) => `${prefix}:bench:results`;

async function setupProcess(url: string) {
  const catalogue = withQuotas(await loadCatalogue(path.join(ROOT, 'content')));
  const hours = new OpeningHours(catalogue.mpp, 'always');
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  await redis.ping();
  return { catalogue, hours, redis };
}

const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** Worker mode: waits for steps on the control channel, runs its half at the given start time. */
async function child(url: string, prefix: string, proc: number): Promise<void> {
  const { catalogue, hours, redis } = await setupProcess(url);
  const sub = new Redis(url, { maxRetriesPerRequest: 2 });
  const pending: Array<{ step: Step; startAt: number }> = [];
  let wake: (() => void) | undefined;
  sub.on('message', (_channel: string, message: string) => {
    pending.push(JSON.parse(message) as { step: Step; startAt: number });
    wake?.();
  });
  await sub.subscribe(ctlChannel(prefix));
  await redis.rpush(resultsKey(prefix), JSON.stringify({ ready: proc }));
  for (;;) {
    if (pending.length === 0) await new Promise<void>((r) => (wake = r));
    const { step, startAt } = pending.shift()!;
    if (step.kind === 'exit') break;
    await sleepUntil(startAt);
    const result = await runStep(redis, catalogue, hours, step, proc);
    await redis.rpush(resultsKey(prefix), JSON.stringify(result));
  }
  sub.disconnect();
  await redis.quit();
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

interface Integrity {
  faults: string[];
  rows: string[][];
}

/** Checks one take round against what was asked, both from the answers and from Redis itself. */
async function checkIntegrity(redis: Redis, queue: QueueService, queuePrefix: string, catalogue: Catalogue, takes: TakeRecord[]): Promise<Integrity> {
  // Read Redis itself, through the queue's own key builder: the check must not trust the code it checks.
  const keys = new QueueKeys(queuePrefix);
  const faults: string[] = [];
  const rows: string[][] = [];
  const requests = plan();
  if (takes.length !== requests.length) faults.push(`${takes.length} answers for ${requests.length} requests`);
  const issued = takes.filter((t) => t.outcome === 'new');
  const odd = takes.filter((t) => t.outcome !== 'new' && t.outcome !== 'quota_full');
  for (const t of odd.slice(0, 5)) faults.push(`request ${t.i} (${t.serviceId}) answered ${t.outcome}`);
  if (odd.length > 5) faults.push(`… ${odd.length - 5} more unexpected answers`);
  if (new Set(issued.map((t) => t.ticketId)).size !== issued.length) faults.push('the same ticket id was issued twice');

  const day = issued[0]?.day ?? queue.today();
  for (const [serviceId, asked, quota] of MIX) {
    const mine = takes.filter((t) => t.serviceId === serviceId);
    const got = mine.filter((t) => t.outcome === 'new').length;
    const refused = mine.filter((t) => t.outcome === 'quota_full').length;
    const expected = Math.min(asked, quota);
    const stat = await redis.hget(keys.stats(serviceId, day), 'issued');
    const line = await redis.zcard(keys.wait(serviceId, day));
    if (got !== expected) faults.push(`${serviceId}: issued ${got}, expected ${expected}`);
    if (refused !== asked - expected) faults.push(`${serviceId}: ${refused} quota_full refusals, expected ${asked - expected}`);
    if (Number(stat ?? 0) !== got) faults.push(`${serviceId}: Redis counts ${stat} issued, answers say ${got}`);
    if (line !== got) faults.push(`${serviceId}: ${line} tickets in the waiting line, ${got} issued`);
    rows.push([serviceId, String(asked), String(quota), String(got), String(expected), String(refused), String(asked - expected), String(stat ?? 0), String(line)]);
  }

  // Numbering per queue group and day: exactly 1..N, each once, and the counter in Redis at N.
  const byGroup = new Map<string, TakeRecord[]>();
  for (const t of issued) byGroup.set(`${t.group}|${t.day}`, [...(byGroup.get(`${t.group}|${t.day}`) ?? []), t]);
  const prefixOf = new Map(catalogue.mpp.groups.map((g) => [g.id, g.prefix]));
  for (const [key, list] of byGroup) {
    const [group, groupDay] = key.split('|') as [string, string];
    const seqs = list.map((t) => t.seq!).sort((a, b) => a - b);
    const dups = seqs.filter((s, k) => k > 0 && s === seqs[k - 1]).length;
    const gaps = seqs.filter((s, k) => s !== k + 1 && !(k > 0 && s === seqs[k - 1])).length;
    if (dups) faults.push(`group ${group}: ${dups} duplicate numbers`);
    if (gaps || seqs[seqs.length - 1] !== seqs.length) faults.push(`group ${group}: numbers are not 1..${seqs.length} (first ${seqs[0]}, last ${seqs[seqs.length - 1]})`);
    const badNumber = list.filter((t) => t.number !== `${prefixOf.get(group)}-${String(t.seq).padStart(3, '0')}`).length;
    if (badNumber) faults.push(`group ${group}: ${badNumber} numbers do not match their place`);
    const counter = Number(await redis.get(keys.seq(group, groupDay)));
    if (counter !== seqs.length) faults.push(`group ${group}: Redis counter at ${counter}, ${seqs.length} tickets issued`);
    const numbers = list.map((t) => t.number!).sort();
    console.log(`  group ${group.padEnd(16)} ${list.length} tickets, numbers ${numbers[0]}..${numbers[numbers.length - 1]}, ${dups} duplicates, ${gaps} gaps, Redis counter ${counter}`);
  }

  // None lost: each issued ticket is stored, waiting, and in its service's line at its number.
  const pipe = redis.pipeline();
  for (const t of issued) pipe.hmget(keys.ticket(t.ticketId!), 'status', 'seq', 'serviceId').zscore(keys.wait(t.serviceId, t.day!), t.ticketId!);
  const answers = ((await pipe.exec()) ?? []).map(([, v]) => v);
  let lost = 0;
  issued.forEach((t, k) => {
    const [status, seq, serviceId] = answers[2 * k] as Array<string | null>;
    const score = answers[2 * k + 1] as string | null;
    if (status !== 'waiting' || Number(seq) !== t.seq || serviceId !== t.serviceId || Number(score) !== t.seq) lost++;
  });
  if (lost) faults.push(`${lost} issued tickets missing from Redis or from their line`);
  console.log(`  ${issued.length} issued tickets read back from Redis: ${issued.length - lost} stored and waiting in their line, ${lost} lost`);
  return { faults, rows };
}

/** Checks one visit round: all or nothing, held steps, quotas, numbering, nothing lost. */
async function checkVisitIntegrity(redis: Redis, queuePrefix: string, catalogue: Catalogue, takes: TakeRecord[]): Promise<Integrity> {
  const keys = new QueueKeys(queuePrefix);
  const faults: string[] = [];
  const rows: string[][] = [];
  if (takes.length !== VISIT_REQUESTS) faults.push(`${takes.length} answers for ${VISIT_REQUESTS} requests`);
  const visits = takes.filter((t) => t.steps);
  const refusedVisits = takes.filter((t) => t.serviceId.includes('>') && t.outcome !== 'new');
  const singles = takes.filter((t) => !t.serviceId.includes('>'));
  const odd = takes.filter((t) => t.outcome !== 'new' && !(t.outcome === 'quota_full' && (t.refusedBy ?? t.serviceId) === 'dukcapil-kk-baru'));
  for (const t of odd.slice(0, 5)) faults.push(`request ${t.i} (${t.serviceId}) answered ${t.outcome}`);
  // Every answer is a new visit or ticket, or a quota_full of kk-baru; no visit was answered twice.
  if (new Set(visits.map((t) => t.ticketId)).size !== visits.length) faults.push('two requests got the same visit');
  for (const v of visits) {
    if (v.steps!.map((s) => s.serviceId).join('>') !== VISIT_STEPS.join('>')) faults.push(`visit ${v.ticketId}: steps out of order`);
    if (v.steps!.map((s) => s.held).join() !== 'false,true,true') faults.push(`visit ${v.ticketId}: held flags ${v.steps!.map((s) => s.held).join()}`);
  }
  const day = visits[0]?.day ?? singles.find((t) => t.day)?.day ?? '';
  const issuedTickets = [...visits.flatMap((v) => v.steps!.map((s) => ({ ...s, day: v.day! }))), ...singles.filter((t) => t.outcome === 'new').map((t) => ({ ticketId: t.ticketId!, serviceId: t.serviceId, number: t.number!, seq: t.seq!, group: t.group!, held: false, day: t.day! }))];
  for (const serviceId of VISIT_STEPS) {
    const got = issuedTickets.filter((t) => t.serviceId === serviceId).length;
    const stat = Number((await redis.hget(keys.stats(serviceId, day), 'issued')) ?? 0);
    const inLine = await redis.zcard(keys.wait(serviceId, day));
    const quota = VISIT_QUOTAS[serviceId]!;
    const asked = VISITS + VISIT_SINGLES_PER_SERVICE;
    if (stat !== got) faults.push(`${serviceId}: Redis counts ${stat} issued, answers say ${got}`);
    if (got > quota) faults.push(`${serviceId}: ${got} issued over the quota ${quota}`);
    // kk-baru runs out exactly at its quota; the others issue one per accepted visit plus every single.
    const expected = quota < asked ? quota : visits.length + VISIT_SINGLES_PER_SERVICE;
    if (got !== expected) faults.push(`${serviceId}: issued ${got}, expected ${expected}`);
    if (inLine !== got) faults.push(`${serviceId}: ${inLine} in line, ${got} issued`);
    rows.push([serviceId, String(asked), String(quota), String(got), String(stat), String(inLine)]);
  }
  // A refused visit took nothing: the visits accepted account for every visit ticket in Redis.
  const visitTicketsInRedis = (await Promise.all(VISIT_STEPS.map((s) => redis.zrange(keys.wait(s, day), 0, -1)))).flat().length - singles.filter((t) => t.outcome === 'new').length;
  if (visitTicketsInRedis !== visits.length * VISIT_STEPS.length) faults.push(`${visitTicketsInRedis} visit tickets in the lines for ${visits.length} visits (a refused visit left a ticket?)`);
  // Numbering per group: 1..N, each once.
  const byGroup = new Map<string, number[]>();
  for (const t of issuedTickets) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t.seq]);
  for (const [group, seqs] of byGroup) {
    seqs.sort((a, b) => a - b);
    if (seqs.some((s, k) => s !== k + 1)) faults.push(`group ${group}: numbers are not 1..${seqs.length}`);
    const counter = Number(await redis.get(keys.seq(group, day)));
    if (counter !== seqs.length) faults.push(`group ${group}: Redis counter at ${counter}, ${seqs.length} tickets issued`);
  }
  // None lost: stored, waiting, in its line at its number, held as answered.
  const pipe = redis.pipeline();
  for (const t of issuedTickets) pipe.hmget(keys.ticket(t.ticketId), 'status', 'seq', 'held').zscore(keys.wait(t.serviceId, t.day), t.ticketId);
  const answers = ((await pipe.exec()) ?? []).map(([, v]) => v);
  let lost = 0;
  issuedTickets.forEach((t, k) => {
    const [status, seq, held] = answers[2 * k] as Array<string | null>;
    const score = answers[2 * k + 1] as string | null;
    if (status !== 'waiting' || Number(seq) !== t.seq || Number(score) !== t.seq || (held === '1') !== t.held) lost++;
  });
  if (lost) faults.push(`${lost} tickets missing from Redis or their line, or held wrongly`);
  console.log(`  visits: ${visits.length} taken (${visits.length * VISIT_STEPS.length} tickets), ${refusedVisits.length} refused (quota_full of dukcapil-kk-baru), singles ${singles.filter((t) => t.outcome === 'new').length} taken; ${issuedTickets.length - lost} of ${issuedTickets.length} tickets read back right`);
  return { faults, rows };
}

interface Measured {
  round: number;
  phase: string;
  results: StepResult[];
  redisCpuMs: number;
  ok: number;
  tickets: number;
}

async function parent(): Promise<void> {
  let local: LocalRedis | undefined;
  const url = process.env.REDIS_URL ?? (local = await startLocalRedis({ port: await freePort() })).url;
  const prefix = 'bench' + randomBytes(5).toString('hex');
  const { catalogue, hours, redis } = await setupProcess(url);
  const blocking = new Redis(url, { maxRetriesPerRequest: null });
  let worker: ChildProcess | undefined;
  try {
    worker = spawn(process.execPath, ['--import', 'tsx', SELF, '--child', '--url', url, '--prefix', prefix, '--proc', '1'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    const exited = new Promise<never>((_, reject) => worker!.once('exit', (code) => reject(new Error(`child process exited early (code ${code})`))));
    exited.catch(() => undefined);
    const fromChild = async (): Promise<unknown> => {
      const popped = await Promise.race([blocking.blpop(resultsKey(prefix), 120), exited]);
      if (!popped) throw new Error('child process did not answer within 120 s');
      return JSON.parse(popped[1]) as unknown;
    };
    await fromChild(); // ready

    const sha = (await redis.script('LOAD', INCR_SCRIPT)) as string;
    const both = async (step: Exclude<Step, { kind: 'exit' }>): Promise<{ results: StepResult[]; redisCpuMs: number }> => {
      const cpuBefore = await redisCpuMs(redis);
      const startAt = Date.now() + 250;
      await redis.publish(ctlChannel(prefix), JSON.stringify({ step, startAt }));
      await sleepUntil(startAt);
      const mine = await runStep(redis, catalogue, hours, step, 0);
      const theirs = (await fromChild()) as StepResult;
      return { results: [mine, theirs], redisCpuMs: (await redisCpuMs(redis)) - cpuBefore };
    };

    console.log(`Queue bench: ${REQUESTS} ticket requests from ${REQUESTS} citizens, ${PROCESSES} processes x ${REQUESTS / PROCESSES} at once, ${ROUNDS} rounds`);
    console.log(`services: ${MIX.map(([id, n, q]) => `${id} ${n} requests / quota ${q}`).join(', ')}`);
    console.log(`Redis ${local ? `throwaway redis-server at ${url}` : 'from REDIS_URL'}, one ioredis connection per process, prefix ${prefix}; Node ${process.version}`);
    console.log(`${cpus().length} CPUs, load average before: ${loadAverage()} (other work on the machine skews the rates)\n`);

    // Warm-up (JIT, script cache, connections) on its own prefix; not reported.
    await both({ kind: 'evalsha', name: 'warm-up', key: `${prefix}:warm:incr`, sha });
    await both({ kind: 'take', name: 'warm-up', queuePrefix: `${prefix}w` });
    await both({ kind: 'visit', name: 'warm-up', queuePrefix: `${prefix}wv` });

    const measured: Measured[] = [];
    const integrity: Array<Integrity & { round: number }> = [];
    const visitIntegrity: Array<Integrity & { round: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const key = `${prefix}:r${round}:incr`;
      const base = await both({ kind: 'evalsha', name: 'EVALSHA INCR (baseline)', key, sha });
      const incr = Number(await redis.get(key));
      if (incr !== REQUESTS) console.log(`  baseline INCR counter at ${incr}, expected ${REQUESTS}`);
      measured.push({ round, phase: 'EVALSHA INCR (baseline)', ...base, ok: base.results.reduce((n, r) => n + r.latencies.length, 0), tickets: 0 });

      const queuePrefix = `${prefix}r${round}`;
      const take = await both({ kind: 'take', name: 'QueueService.take()', queuePrefix });
      const takes = take.results.flatMap((r) => r.takes);
      measured.push({ round, phase: 'QueueService.take()', ...take, ok: takes.filter((t) => !t.outcome.startsWith('error')).length, tickets: takes.filter((t) => t.outcome === 'new').length });
      console.log(`round ${round} integrity:`);
      const queue = new QueueService(redis, queuePrefix, catalogue, hours, systemClock, defaultQueuePolicy);
      integrity.push({ round, ...(await checkIntegrity(redis, queue, queuePrefix, catalogue, takes)) });

      const visitPrefix = `${prefix}v${round}`;
      const visit = await both({ kind: 'visit', name: 'QueueService.takeVisit()', queuePrefix: visitPrefix });
      const answers = visit.results.flatMap((r) => r.takes);
      const visitTickets = answers.reduce((n, t) => n + (t.steps ? t.steps.length : t.outcome === 'new' ? 1 : 0), 0);
      measured.push({ round, phase: 'visits (3 steps) + singles', ...visit, ok: answers.filter((t) => !t.outcome.startsWith('error')).length, tickets: visitTickets });
      visitIntegrity.push({ round, ...(await checkVisitIntegrity(redis, visitPrefix, catalogue, answers)) });
    }

    const wall = (m: Measured) => Math.max(...m.results.map((r) => r.t1)) - Math.min(...m.results.map((r) => r.t0));
    const skew = (m: Measured) => Math.abs(m.results[0]!.t0 - m.results[1]!.t0);
    const perS = (n: number, m: Measured) => (n * 1000) / wall(m);
    console.log('');
    printTable(
      ['round', 'phase', 'requests', 'answered', 'tickets', 'wall ms', 'requests/s', 'tickets/s', 'p50 ms', 'p99 ms', 'max ms', 'start skew ms', 'node CPU ms p0/p1', 'redis CPU/wall'],
      measured.map((m) => {
        const lat = summarise(m.results.flatMap((r) => r.latencies));
        return [
          String(m.round),
          m.phase,
          String(m.phase.startsWith('visits') ? VISIT_REQUESTS : REQUESTS),
          String(m.ok),
          m.tickets ? String(m.tickets) : '-',
          wall(m).toFixed(1),
          perS(m.ok, m).toFixed(0),
          m.tickets ? perS(m.tickets, m).toFixed(0) : '-',
          ms(lat.p50),
          ms(lat.p99),
          ms(lat.max),
          skew(m).toFixed(2),
          m.results.map((r) => r.cpuMs.toFixed(0)).join('/'),
          (m.redisCpuMs / wall(m)).toFixed(2),
        ];
      }),
    );
    console.log('latency per request from the moment its process sent all of its 500; wall from the first send of either process to the last answer of either');

    console.log('\nintegrity per service, round 1 (answers, and Redis: stats "issued" and waiting-line size)');
    printTable(['service', 'requests', 'quota', 'issued', 'expected', 'quota_full', 'expected', 'redis issued', 'in line'], integrity[0]!.rows);
    const faults = integrity.flatMap((r) => r.faults.map((f) => `round ${r.round}: ${f}`));
    console.log(`\nintegrity faults over ${ROUNDS} rounds: ${faults.length}`);
    for (const f of faults) console.log(`  ${f}`);

    const takeRounds = measured.filter((m) => m.phase.startsWith('Queue')).map((m) => ({ m, rate: perS(m.tickets, m) }));
    const mid = [...takeRounds].sort((x, y) => x.rate - y.rate)[Math.floor(takeRounds.length / 2)]!;
    const sameRound = measured.find((m) => m.round === mid.m.round && m.phase.startsWith('EVALSHA'))!;
    const baseRate = perS(sameRound.ok, sameRound);
    const failed = measured.reduce((n, m) => n + m.results.reduce((k, r) => k + r.failed, 0), 0);
    console.log('');
    console.log(`median round (${mid.m.round}): take() ${mid.rate.toFixed(0)} tickets/s (${perS(mid.m.ok, mid.m).toFixed(0)} answers/s incl. quota_full) vs raw EVALSHA ${baseRate.toFixed(0)} round trips/s in the same round = ${((100 * perS(mid.m.ok, mid.m)) / baseRate).toFixed(1)}% of the baseline`);
    // Node CPU per request does not depend on how busy the machine is the way wall time does.
    const cpuPer = (m: Measured) => (1000 * m.results.reduce((n, r) => n + r.cpuMs, 0)) / REQUESTS;
    const cpuTake = takeRounds.map((x) => cpuPer(x.m)).sort((a, b) => a - b);
    const cpuBase = measured.filter((m) => m.phase.startsWith('EVALSHA')).map(cpuPer).sort((a, b) => a - b);
    console.log(`Node CPU per request, median over rounds: take() ${cpuTake[Math.floor(ROUNDS / 2)]!.toFixed(0)} µs, EVALSHA ${cpuBase[Math.floor(ROUNDS / 2)]!.toFixed(0)} µs (both processes together)`);
    console.log(`requests that failed with something other than a queue refusal: ${failed}`);

    console.log(`\nvisit variant: ${VISITS} visits of ${VISIT_STEPS.join(' -> ')} + ${VISIT_SINGLES_PER_SERVICE * VISIT_STEPS.length} single tickets, both processes at once; round 1 per service`);
    printTable(['service', 'requests', 'quota', 'issued', 'redis issued', 'in line'], visitIntegrity[0]!.rows);
    const visitFaults = visitIntegrity.flatMap((r) => r.faults.map((f) => `round ${r.round}: ${f}`));
    console.log(`visit integrity faults over ${ROUNDS} rounds: ${visitFaults.length}`);
    for (const f of visitFaults) console.log(`  ${f}`);
    const visitRounds = measured.filter((m) => m.phase.startsWith('visits')).map((m) => ({ m, rate: perS(m.tickets, m) }));
    const visitMid = [...visitRounds].sort((x, y) => x.rate - y.rate)[Math.floor(visitRounds.length / 2)]!;
    const singleSame = takeRounds.find((x) => x.m.round === visitMid.m.round)!;
    console.log(`median visit round (${visitMid.m.round}): ${visitMid.rate.toFixed(0)} tickets/s (${perS(visitMid.m.ok, visitMid.m).toFixed(0)} requests/s) vs single-ticket take() ${singleSame.rate.toFixed(0)} tickets/s in the same round`);
    console.log(`load average after: ${loadAverage()}`);
    console.log('\ntargets');
    printTable(
      ['target', 'figure', 'result'],
      [
        ['zero integrity faults (every round)', `${faults.length} faults`, faults.length === 0 && failed === 0 ? 'MET' : 'NOT MET'],
        ['zero visit integrity faults (every round)', `${visitFaults.length} faults`, visitFaults.length === 0 && failed === 0 ? 'MET' : 'NOT MET'],
        [`over ${TARGET_TICKETS_PER_S.toLocaleString('en')} tickets/s (median round)`, `${mid.rate.toFixed(0)} tickets/s`, mid.rate > TARGET_TICKETS_PER_S ? 'MET' : 'NOT MET'],
      ],
    );
    await redis.publish(ctlChannel(prefix), JSON.stringify({ step: { kind: 'exit' }, startAt: 0 }));
    await new Promise<void>((resolve) => (worker!.exitCode !== null ? resolve() : worker!.once('exit', () => resolve())));
  } finally {
    if (worker && worker.exitCode === null) worker.kill();
    if (!local) await removeKeys(redis, prefix);
    blocking.disconnect();
    await redis.quit();
    await local?.stop();
  }
}


const { values } = parseArgs({ options: { child: { type: 'boolean' }, url: { type: 'string' }, prefix: { type: 'string' }, proc: { type: 'string' } } });
if (values.child) await child(values.url!, values.prefix!, Number(values.proc));
else await parent();
