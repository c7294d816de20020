import { runCli } from './cli/run.js';
import { systemClock } from './clock.js';
import { composeWorker } from './compose/worker.js';
import { migrateLayoutAtStart } from './compose/layout.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectRedis, redisTargetOf } from './redis/connect.js';

/**
 * `npm run worker`: only the BullMQ side (reminder scheduling for every site, delivery), for scale-out next to
 * `npm start` with WORKER_IN_PROCESS=false. Needs REDIS_URL (the shared Redis). It delivers for
 * channels it can reach from here; WhatsApp Web notices stay with the process that owns the phone.
 */
await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const redisUrl = redisTargetOf(config);
  if (!redisUrl) {
    process.stderr.write('npm run worker needs REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS): the Redis that the web process (npm start) uses.\n');
    process.exit(1);
  }
  const redis = connectRedis(redisUrl, logger);
  const subscriber = connectRedis(redisUrl, logger, 'subscriber');
  // Waits for (or does) the one-time key layout migration before any store reads a key.
  await migrateLayoutAtStart(config, redis, logger);
  const { notifiers, reminders, maintenance, pickupRecorder, close } = await composeWorker({ config, redisUrl, redis, subscriber, logger, clock: systemClock });
  await reminders.start({ scheduler: true });
  await maintenance.start();
  await pickupRecorder.start();
  // One reminder scheduler and one pickup consumer per MPP site of the content.
  logger.info({ channels: notifiers.channels(), sites: Object.keys(reminders.schedulerHealthBySite() ?? {}) }, 'worker running');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker shutting down: finishing running jobs');
    // BullMQ's close waits for running jobs without a limit: bound it.
    setTimeout(() => process.exit(1), 20_000).unref();
    await close();
    redis.disconnect();
    subscriber.disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
});
