/**
 * A worker process that dies in the middle of a delivery (kill -9 of itself), for the stalled-job
 * test: argv = redis url, key prefix.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ManualClock } from '../../src/clock.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { ReminderRuntime } from '../../src/reminders/runtime.js';

const [url, prefix] = process.argv.slice(2) as [string, string];
const logger = pino({ level: 'silent' });
const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent' });
const redis = new Redis(url);
const app = await compose({ config, redisUrl: url, redis, subscriber: new Redis(url), logger, clock: new ManualClock(new Date('2026-11-23T02:00:00Z')) });
const marker = new Redis(url);
app.notifiers.register({
  channel: 'test',
  rate: { max: 100, durationMs: 1000 },
  send: async () => {
    await marker.set(`${prefix}:child-took-job`, '1');
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  },
});
// A short job lock, as in the parent, so the test need not wait out the 30 s default.
const runtime = new ReminderRuntime({ redisUrl: url, redis, prefix, queue: app.queue, conversation: app.engine, notifiers: app.notifiers, rules: { nearAhead: -1, nearMinutes: -1, surveyDelayMs: 0 }, clock: new ManualClock(new Date('2026-11-23T02:00:00Z')), logger, lockMs: 1000 });
await runtime.start({ scheduler: false });
