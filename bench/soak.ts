/**
 * `npm run bench:soak` (SOAK_MINUTES, default 10): steady mixed traffic against a real Redis —
 * chat turns from many citizens, tickets taken in chat, counters calling and finishing them, and
 * the reminder workers delivering the resulting notices to a recording channel — and, per minute,
 * throughput, errors and p99 turn latency, plus the heap after warm-up against the heap at the end.
 * Baseline in the same run: the first minute (warm-up) against the later ones.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { systemClock } from '../src/clock.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { connectRedis } from '../src/redis/connect.js';
import { freePort, startLocalRedis } from '../src/redis/local-server.js';
import { percentile, printTable, removeKeys } from './synthetic.js';

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const RATE_PER_SECOND = Number(process.env.SOAK_RATE ?? 100);
const USERS = 300;
const TICKET_QUESTIONS = ['aktivasi ikd', 'ktp baru', 'ktp hilang', 'tambah anak di kk'];
const SCRIPT = ['halo', 'syarat skck', 'menu', 'paspor hilang', 'kembali', 'jam buka', 'apakah mpp buka sekarang', 'npwp', 'antrean saya', 'bantuan'];

const logger = pino({ level: 'silent' });
const local = process.env.REDIS_URL ? undefined : await startLocalRedis({ port: await freePort() });
const url = process.env.REDIS_URL ?? local!.url;
const prefix = `soak${Date.now().toString(36)}`;
const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', OPENING_HOURS: 'always', CHAT_RATE_PER_MINUTE: '600', SURVEY_DELAY_MINUTES: '0' });
const redis = connectRedis(url, logger);
const subscriber = connectRedis(url, logger, 'subscriber');
const app = await compose({ config, redisUrl: url, redis, subscriber, logger, clock: systemClock });
let delivered = 0;
app.notifiers.register({ channel: 'soak', rate: { max: 200, durationMs: 1000 }, send: () => Promise.resolve(void delivered++) });
await app.reminders.start({ scheduler: true });

interface Minute {
  turns: number;
  errors: number;
  latencies: number[];
  tickets: number;
  calls: number;
}
const perMinute: Minute[] = [];
const current = (): Minute => perMinute[perMinute.length - 1]!;
const steps = new Map<number, number>();
let heapAfterWarmup = 0;

async function turn(user: number): Promise<void> {
  const step = steps.get(user) ?? 0;
  steps.set(user, step + 1);
  const userKey = `soak-${user}`;
  const started = performance.now();
  try {
    // Every 25th turn of a citizen takes a ticket through the real chat flow (Dukcapil services,
    // which the two counters below call).
    if (step % 25 === 24) {
      await app.engine.handle({ channel: 'soak', userKey, text: TICKET_QUESTIONS[(user + step) % TICKET_QUESTIONS.length]! });
      await app.engine.handle({ channel: 'soak', userKey, choice: 'take' });
      await app.engine.handle({ channel: 'soak', userKey, choice: 'confirm' });
      const r = await app.engine.handle({ channel: 'soak', userKey, choice: 'all-ready' });
      // Quota full and the 3-a-day limit are answers too; only an issued ticket counts here.
      if (r.messages.some((m) => m.card?.kind === 'ticket')) current().tickets++;
      await app.engine.handle({ channel: 'soak', userKey, text: 'menu' });
    } else {
      const r = await app.engine.handle({ channel: 'soak', userKey, text: SCRIPT[step % SCRIPT.length]! });
      if (r.messages.length === 0) throw new Error('no answer');
    }
    current().latencies.push(performance.now() - started);
    current().turns++;
  } catch {
    current().errors++;
  }
}

async function counterLoop(counter: string, stopAt: number): Promise<void> {
  while (Date.now() < stopAt) {
    try {
      const called = await app.queue.callNext(counter);
      if (called) {
        current().calls++;
        await app.queue.act(called.id, 'start');
        await app.queue.act(called.id, 'done');
      }
    } catch {
      current().errors++;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const start = Date.now();
const stopAt = start + minutes * 60_000;
perMinute.push({ turns: 0, errors: 0, latencies: [], tickets: 0, calls: 0 });
const counters = [counterLoop('loket-1', stopAt), counterLoop('loket-2', stopAt)];
const inFlight = new Set<Promise<void>>();
let next = 0;
while (Date.now() < stopAt) {
  const minute = Math.floor((Date.now() - start) / 60_000);
  if (minute >= perMinute.length) {
    if (perMinute.length === 1) {
      global.gc?.();
      heapAfterWarmup = process.memoryUsage().heapUsed;
    }
    perMinute.push({ turns: 0, errors: 0, latencies: [], tickets: 0, calls: 0 });
  }
  const tickStart = Date.now();
  for (let i = 0; i < RATE_PER_SECOND / 10; i++) {
    const p = turn(next++ % USERS).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tickStart))));
}
await Promise.all([...inFlight, ...counters]);
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const heapEnd = process.memoryUsage().heapUsed;
if (!heapAfterWarmup) heapAfterWarmup = heapEnd;

console.log(`Soak: ${minutes} min, target ${RATE_PER_SECOND} chat turns/s from ${USERS} citizens, 2 counters calling every 0.5 s, reminders to a recording channel`);
printTable(
  ['minute', 'turns', 'turns/s', 'errors', 'p50 ms', 'p99 ms', 'tickets', 'calls'],
  perMinute.map((m, i) => {
    const sorted = [...m.latencies].sort((a, b) => a - b);
    return [String(i + 1), String(m.turns), (m.turns / 60).toFixed(1), String(m.errors), percentile(sorted, 0.5).toFixed(2), percentile(sorted, 0.99).toFixed(2), String(m.tickets), String(m.calls)];
  }),
);
const errors = perMinute.reduce((n, m) => n + m.errors, 0);
const growth = ((heapEnd - heapAfterWarmup) / heapAfterWarmup) * 100;
console.log(`\nnotices delivered: ${delivered}`);
console.log(`heap after warm-up (end of minute 1): ${(heapAfterWarmup / 1e6).toFixed(1)} MB, at the end: ${(heapEnd / 1e6).toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%)`);
console.log(`targets: zero errors: ${errors === 0 ? 'MET' : `NOT MET (${errors})`}; heap growth under 10% after warm-up: ${growth < 10 ? 'MET' : 'NOT MET'}`);

await app.close();
redis.disconnect();
subscriber.disconnect();
if (process.env.REDIS_URL) {
  const cleaner = new Redis(url);
  await removeKeys(cleaner, `${prefix}:`);
  cleaner.disconnect();
}
await local?.stop();
process.exit(0);
