/**
 * `npm run bench:report`: the head's report over a period, read from the durable per-day aggregates.
 *
 * Seeds the stats hash (counts plus the report detail: arrivals and waits by hour, a wait
 * histogram, counters, officers, channels, transfers) and the survey totals for every service of
 * the demo catalogue on every day of a semester (184 days), shaped like a busy MPP (about 60
 * fields per service and day), then times `RangeReports.report()` for a day, a month, a quarter
 * and a semester, five runs each, median reported.
 *
 * Baseline in the same run, on the same data and connection: the bare reads the report cannot
 * avoid (one pipeline of HGETALL over every stats and survey hash of the period, no parsing, no
 * aggregation). The difference is our parsing and adding up.
 * Redis: REDIS_URL if set (keys removed at the end), else a throwaway redis-server on a free port.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadCatalogue } from '../src/catalogue/loader.js';
import { addDays } from '../src/catalogue/local-time.js';
import { QueueKeys } from '../src/queue/keys.js';
import { OpeningHours } from '../src/catalogue/hours.js';
import { systemClock } from '../src/clock.js';
import { defaultQueuePolicy } from '../src/queue/policy.js';
import { QueueService } from '../src/queue/queue-service.js';
import { freePort, startLocalRedis, type LocalRedis } from '../src/redis/local-server.js';
import { RangeReports } from '../src/reports/range-report.js';
import { parseRange } from '../src/reports/range.js';
import { SurveyStore } from '../src/survey/store.js';
import { mulberry32, ms, printTable, removeKeys } from './synthetic.js';

const RUNS = 5;
const FROM = '2026-07-01';
const DAYS = 184;

async function main(): Promise<void> {
  let local: LocalRedis | undefined;
  const url = process.env.REDIS_URL ?? (local = await startLocalRedis({ port: await freePort() })).url;
  const redis = new Redis(url);
  const prefix = `bench-report-${randomBytes(4).toString('hex')}`;
  const keys = new QueueKeys(prefix);
  const catalogue = await loadCatalogue('content');
  const queue = new QueueService(redis, prefix, catalogue, new OpeningHours(catalogue.mpp, 'always'), systemClock, defaultQueuePolicy);
  const survey = new SurveyStore(redis, queue.ticketSlot);
  const services = [...catalogue.services.keys()];
  const rand = mulberry32(7);
  const days = Array.from({ length: DAYS }, (_, i) => addDays(FROM, i));
  try {
    for (const day of days) {
      const pipe = redis.pipeline();
      for (const id of services) {
        const issued = 5 + Math.floor(rand() * 40);
        const served = Math.floor(issued * 0.85);
        const fields: Record<string, number> = { issued, served, noshow: issued - served, cancelled: 0, waitMs: served * 15 * 60_000, serviceMs: served * 8 * 60_000, waitMax: 70 * 60_000, xout: 1, [`xto:${services[0]!}`]: 1 };
        for (let h = 1; h <= 8; h++) {
          fields[`ah:${h}`] = Math.ceil(issued / 8);
          fields[`wh:${h}`] = 15 * 60_000 * Math.ceil(served / 8);
          fields[`wn:${h}`] = Math.ceil(served / 8);
        }
        for (let m = 0; m < 40; m += 2) fields[`wm:${m}`] = 1 + Math.floor(rand() * 3);
        for (const c of ['loket-1', 'loket-2', 'loket-3']) fields[`ctr:${c}`] = Math.floor(served / 3);
        for (const o of ['rina', 'dedi', 'budi']) fields[`off:${o}`] = Math.floor(served / 3);
        for (const k of ['telegram:chat', 'webchat:chat', 'kiosk:kiosk', 'counter:counter']) fields[`in:${k}`] = Math.floor(issued / 4);
        pipe.hset(keys.stats(id, day), fields);
        const skm: Record<string, number> = { responses: 5, comments: 1 };
        for (let u = 1; u <= 9; u++) Object.assign(skm, { [`u${u}_sum`]: 17, [`u${u}_n`]: 5 });
        pipe.hset(survey.totalsKey(id, day), skm);
      }
      await pipe.exec();
    }
    const reports = new RangeReports({ queue, survey }, catalogue, { waitTargetMinutes: 30 });
    const rows: string[][] = [];
    for (const kind of ['day', 'month', 'quarter', 'semester'] as const) {
      const parsed = parseRange({ range: kind, day: '2026-08-15' }, '2026-08-15');
      if (!parsed.ok) throw new Error('range');
      const range = parsed.range;
      const ours: number[] = [];
      const bare: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        let t = performance.now();
        const report = await reports.report(range);
        ours.push(performance.now() - t);
        if (report.total.issued === 0) throw new Error('empty report');
        t = performance.now();
        const pipe = redis.pipeline();
        for (const day of range.days) for (const id of services) pipe.hgetall(keys.stats(id, day)).hgetall(survey.totalsKey(id, day));
        await pipe.exec();
        bare.push(performance.now() - t);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      rows.push([kind, String(range.days.length), String(range.days.length * services.length * 2), ms(median(bare)), ms(median(ours))]);
    }
    console.log(`Redis ${local ? `throwaway redis-server at ${url}` : 'from REDIS_URL'}; ${services.length} services; Node ${process.version}; median of ${RUNS} runs (ms)`);
    printTable(['period', 'days', 'hashes read', 'baseline: bare HGETALL pipeline', 'RangeReports.report()'], rows);
  } finally {
    await removeKeys(redis, prefix);
    redis.disconnect();
    await local?.stop();
  }
}

await main();
