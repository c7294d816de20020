/**
 * `npm run bench:engine`: what the conversation engine costs on top of Redis.
 *
 * Engine: 200 simulated citizens (userKey `bench-<i>`, channel `bench`) each loop through a scripted
 * conversation mixing typed text (search questions, global words, "2") and choices picked from
 * the ones the previous answer offered. Per-message latency is measured around `engine.handle()`.
 *
 * Baseline: the same closed loop with the same concurrency over the same single ioredis
 * connection, each "message" being a GET then a SET of a ~500-byte value. The engine makes two
 * round trips per message too (MULTI load, EVALSHA save), so this is the floor the engine cannot
 * beat: whatever it adds above it is the engine's own work (flow logic, search, JSON, Lua script).
 *
 * Both run at concurrency 200 (throughput; latency there is mostly waiting behind the other 199
 * citizens, by Little's law ~ concurrency / throughput) and at concurrency 1 (per-message cost).
 * Redis: REDIS_URL if set, else a throwaway redis-server on a free port, stopped at the end.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { OpeningHours } from '../src/catalogue/hours.js';
import { loadCatalogue } from '../src/catalogue/loader.js';
import { ServiceSearch } from '../src/catalogue/search.js';
import { systemClock } from '../src/clock.js';
import { createEngine } from '../src/engine/create.js';
import type { IncomingMessage, TurnResult } from '../src/message.js';
import { freePort, startLocalRedis, type LocalRedis } from '../src/redis/local-server.js';
import { ms, printTable, summarise, type LatencySummary } from './synthetic.js';

import { usePseudonymKey } from '../src/citizen.js';

// Benches build the queue and engine without compose: key the citizen pseudonyms here.
usePseudonymKey('bench-pseudonym-key-the-same-in-every-bench-process');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USERS = 200;
const MESSAGES = 20_000;
const WARMUP = 2_000;
const SOLO_MESSAGES = 2_000;
const SOLO_WARMUP = 300;
const VALUE = JSON.stringify({ v: 1, state: 'service', locale: 'id', offered: [], history: [], vars: { pad: 'x'.repeat(430) } });

/** One step of the script: text to type, or a choice id to pick if the last answer offered it. */
type Step = { text: string } | { choose: string };

/** A loop of ~17 messages touching search (clear, ambiguous, not found), browsing, info and global words. */
const SCRIPT: Step[] = [
  { text: 'halo' },
  { text: 'syarat skck' },
  { choose: 's.polri-skck-baru' },
  { text: 'menu' },
  { choose: 'info' },
  { choose: 'hours' },
  { text: 'paspor hilang' },
  { text: 'kembali' },
  { text: 'info' },
  { choose: 'a.imigrasi' },
  { text: 'ktp hilang gmn ya' },
  { text: '2' },
  { choose: 'menu' },
  { text: 'bantuan' },
  { text: 'akte kelahiran anak' },
  { text: 'biayanya brp?' },
  { text: 'bisa diwakilkan ga kak' },
  { choose: 'take' },
  { text: 'batal' },
  { text: 'assalamualaikum kak, mau tanya paspor saya hilang waktu mudik, bawa apa aja ya?' },
  { text: 'makasih min' },
];

interface User {
  key: string;
  step: number;
  /** Choice ids the last answer offered. */
  offered: string[];
}

interface Phase {
  name: string;
  concurrency: number;
  latency: LatencySummary;
  wallMs: number;
  /** Node process CPU (user + system) over the phase, ms. */
  cpuMs: number;
  /** redis-server CPU over the phase (INFO cpu), ms. */
  redisCpuMs: number;
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** `concurrency` loops each running `op` until `total` ops were started; times every op. */
async function closedLoop(redis: Redis, name: string, concurrency: number, total: number, op: (worker: number) => Promise<void>): Promise<Phase> {
  const latencies: number[] = [];
  let started = 0;
  const redisBefore = await redisCpuMs(redis);
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (w: number): Promise<void> => {
    while (started < total) {
      started++;
      const start = performance.now();
      await op(w);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = (await redisCpuMs(redis)) - redisBefore;
  return { name, concurrency, latency: summarise(latencies), wallMs, cpuMs: (cpu.user + cpu.system) / 1000, redisCpuMs: redisCpu };
}

async function main(): Promise<void> {
  let local: LocalRedis | undefined;
  const url = process.env.REDIS_URL ?? (local = await startLocalRedis({ port: await freePort() })).url;
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  const prefix = 'bench' + randomBytes(5).toString('hex');
  try {
    const catalogue = await loadCatalogue(path.join(ROOT, 'content'));
    const build = (understand: boolean, keyPrefix: string) => createEngine({
      redis,
      prefix: keyPrefix,
      understand,
      services: { catalogue, search: new ServiceSearch(catalogue), hours: new OpeningHours(catalogue.mpp, 'always') },
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      flowsDir: path.join(ROOT, 'flows'),
      localesDir: path.join(ROOT, 'locales'),
      ratePerMinute: 1_000_000,
    });
    const { engine, translator } = await build(true, prefix);
    // Baseline for the understanding layer: the same engine and script, free text only searched.
    const { engine: plainEngine } = await build(false, `${prefix}:plain`);
    const unavailable = translator.t('id', 'errors.unavailable');
    const users: User[] = Array.from({ length: USERS }, (_, i) => ({ key: `bench-${i}`, step: 0, offered: [] }));
    const counts = { messages: 0, failed: 0, limited: 0, fallbacks: 0, choices: 0 };

    /** Sends the user's next scripted message and remembers what the answer offered. */
    const converse = async (user: User, target = engine): Promise<void> => {
      const step = SCRIPT[user.step % SCRIPT.length]!;
      user.step++;
      const message: IncomingMessage = { channel: 'bench', userKey: user.key };
      if ('text' in step) message.text = step.text;
      else {
        counts.choices++;
        const offered = user.offered.includes(step.choose);
        if (!offered) counts.fallbacks++;
        // Not offered (e.g. a search answered differently): pick what the engine did offer.
        message.choice = offered ? step.choose : (user.offered[0] ?? 'menu');
      }
      const result: TurnResult = await target.handle(message);
      counts.messages++;
      if (result.limited) counts.limited++;
      if (result.messages.some((m) => m.text === unavailable)) counts.failed++;
      user.offered = result.messages.flatMap((m) => m.choices ?? []).map((c) => c.id);
    };
    const rawPair = async (key: string): Promise<void> => {
      await redis.get(key);
      await redis.set(key, VALUE);
    };
    const rawKeys = Array.from({ length: USERS }, (_, i) => `${prefix}:raw:${i}`);

    console.log(`Engine bench: ${USERS} users, ${MESSAGES} messages (after ${WARMUP} warm-up), script of ${SCRIPT.length} steps`);
    console.log(`Redis ${local ? `throwaway redis-server at ${url}` : 'from REDIS_URL'}, one ioredis connection, prefix ${prefix}; Node ${process.version}\n`);

    await closedLoop(redis, 'warm-up', USERS, WARMUP, (w) => converse(users[w]!));
    await closedLoop(redis, 'warm-up', USERS, WARMUP, (w) => rawPair(rawKeys[w]!));
    const phases: Phase[] = [];
    phases.push(await closedLoop(redis, 'Redis GET+SET (baseline)', USERS, MESSAGES, (w) => rawPair(rawKeys[w]!)));
    const beforeMeasured = { ...counts };
    phases.push(await closedLoop(redis, 'engine.handle()', USERS, MESSAGES, (w) => converse(users[w]!)));
    const measured = {
      failed: counts.failed - beforeMeasured.failed,
      limited: counts.limited - beforeMeasured.limited,
      fallbacks: counts.fallbacks - beforeMeasured.fallbacks,
      choices: counts.choices - beforeMeasured.choices,
    };
    const solo = users[0]!;
    await closedLoop(redis, 'warm-up', 1, SOLO_WARMUP, () => rawPair(rawKeys[0]!));
    phases.push(await closedLoop(redis, 'Redis GET+SET (baseline)', 1, SOLO_MESSAGES, () => rawPair(rawKeys[0]!)));
    await closedLoop(redis, 'warm-up', 1, SOLO_WARMUP, () => converse(solo));
    phases.push(await closedLoop(redis, 'engine.handle()', 1, SOLO_MESSAGES, () => converse(solo)));
    const plainSolo: User = { key: 'bench-plain', step: 0, offered: [] };
    await closedLoop(redis, 'warm-up', 1, SOLO_WARMUP, () => converse(plainSolo, plainEngine));
    const plainPhase = await closedLoop(redis, 'engine.handle() without understanding', 1, SOLO_MESSAGES, () => converse(plainSolo, plainEngine));

    const rate = (p: Phase) => (p.latency.count * 1000) / p.wallMs;
    printTable(
      ['phase', 'concurrency', 'ops', 'wall s', 'ops/s', 'p50 ms', 'p99 ms', 'max ms', 'node CPU/wall', 'redis CPU/wall'],
      [...phases, plainPhase].map((p) => [
        p.name,
        String(p.concurrency),
        String(p.latency.count),
        (p.wallMs / 1000).toFixed(2),
        rate(p).toFixed(0),
        ms(p.latency.p50),
        ms(p.latency.p99),
        ms(p.latency.max),
        (p.cpuMs / p.wallMs).toFixed(2),
        (p.redisCpuMs / p.wallMs).toFixed(2),
      ]),
    );
    console.log('ops = messages for the engine, GET+SET pairs for Redis (both 2 round trips each)');

    const [rawMany, engMany, rawOne, engOne] = phases as [Phase, Phase, Phase, Phase];
    const cpuPerOp = (p: Phase) => (1000 * p.cpuMs) / p.latency.count;
    console.log('');
    console.log(`throughput at ${USERS} users: engine ${rate(engMany).toFixed(0)} msgs/s = ${((100 * rate(engMany)) / rate(rawMany)).toFixed(1)}% of raw Redis ${rate(rawMany).toFixed(0)} pairs/s`);
    console.log(`Node CPU per op: engine ${cpuPerOp(engMany).toFixed(0)} µs/message vs Redis baseline ${cpuPerOp(rawMany).toFixed(0)} µs/pair`);
    const addedMany = engMany.latency.p99 - rawMany.latency.p99;
    const addedOne = engOne.latency.p99 - rawOne.latency.p99;
    console.log(`engine adds ${ms(addedOne)} ms p99 on top of Redis with 1 user (${ms(engOne.latency.p99)} vs ${ms(rawOne.latency.p99)})`);
    console.log(`engine adds ${ms(addedMany)} ms p99 on top of Redis with ${USERS} users (${ms(engMany.latency.p99)} vs ${ms(rawMany.latency.p99)}; mostly queueing: ${USERS} / throughput = ${ms((USERS * 1000) / rate(engMany))} ms)`);
    console.log(`measured run: ${measured.failed} failed turns, ${measured.limited} rate-limited, ${measured.fallbacks}/${measured.choices} scripted choices not offered`);
    console.log('');
    // Node's JS runs on one thread; CPU/wall slightly above 1 is V8's background GC and compiler threads.
    const load = engMany.cpuMs / engMany.wallMs;
    const perCore = rate(engMany) / load;
    console.log(`Node CPU/wall during the engine run: ${load.toFixed(2)} -> ${perCore.toFixed(0)} messages per CPU-second of the Node process`);
    const understandingCpu = cpuPerOp(engOne) - cpuPerOp(plainPhase);
    const understandingP50 = engOne.latency.p50 - plainPhase.latency.p50;
    console.log(`understanding layer (1 user, same script): Node CPU ${cpuPerOp(engOne).toFixed(0)} vs ${cpuPerOp(plainPhase).toFixed(0)} µs/message without it (+${understandingCpu.toFixed(0)} µs); p50 ${ms(engOne.latency.p50)} vs ${ms(plainPhase.latency.p50)} ms`);
    console.log('');
    console.log('targets');
    printTable(
      ['target', 'figure', 'result'],
      [
        ['engine adds < 2 ms p99 on top of Redis (1 user)', `${ms(addedOne)} ms`, addedOne < 2 ? 'MET' : 'NOT MET'],
        [`engine adds < 2 ms p99 on top of Redis (${USERS} users)`, `${ms(addedMany)} ms`, addedMany < 2 ? 'MET' : 'NOT MET'],
        ['understanding adds <= 0.5 ms CPU per message', `${(understandingCpu / 1000).toFixed(3)} ms CPU, ${ms(understandingP50)} ms p50`, understandingCpu <= 500 ? 'MET' : 'NOT MET'],
        ['> 2,000 messages/s on one core', `${rate(engMany).toFixed(0)} msgs/s at ${load.toFixed(2)} CPU/wall = ${perCore.toFixed(0)}/CPU-s`, perCore > 2000 ? 'MET' : 'NOT MET'],
      ],
    );
  } finally {
    if (!local) {
      // A shared Redis: remove what this run wrote.
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
        if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
      }
    }
    await redis.quit();
    await local?.stop();
  }
}

await main();
