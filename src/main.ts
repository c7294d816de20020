import path from 'node:path';
import { runCli } from './cli/run.js';
import { systemClock } from './clock.js';
import { compose } from './compose.js';
import { migrateLayoutAtStart } from './compose/layout.js';
import { OwnerLock } from './redis/owner-lock.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { connectRedis, describeRedisTarget, redisTargetOf } from './redis/connect.js';
import { RedisMissingError, startLocalRedis, type LocalRedis } from './redis/local-server.js';

/** Composition root: config -> redis -> domain services -> engine -> channels -> http. */
await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);

  // REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS; none: the embedded server for a newcomer.
  let redisUrl = redisTargetOf(config);
  let localRedis: LocalRedis | undefined;
  if (!redisUrl) {
    try {
      localRedis = await startLocalRedis({ port: config.LOCAL_REDIS_PORT, dataDir: path.join(config.DATA_DIR, 'redis') });
    } catch (err) {
      if (!(err instanceof RedisMissingError)) throw err;
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    redisUrl = localRedis.url;
    logger.info({ url: redisUrl, owned: localRedis.owned }, 'using local redis-server');
  } else {
    logger.info(describeRedisTarget(redisUrl), 'using redis');
  }
  const redis = connectRedis(redisUrl, logger);
  const subscriber = connectRedis(redisUrl, logger, 'subscriber');
  // Keys of the layout before issue 16 move to their new names once, before any store reads them.
  await migrateLayoutAtStart(config, redis, logger);
  const { app, catalogue, close, reminders, maintenance, pickupRecorder, telegram, whatsappWeb } = await compose({ config, redisUrl, redis, subscriber, logger, clock: systemClock });
  // Deliver notices for the channels this process holds; schedule them too unless a separate
  // `npm run worker` does (WORKER_IN_PROCESS=false).
  // WhatsApp Web notices are delivered only by the process that owns the phone session.
  await reminders.start({ scheduler: config.WORKER_IN_PROCESS, holdBack: ['whatsapp-web'] });
  if (config.WORKER_IN_PROCESS) {
    await maintenance.start();
    // Documents collected later: applications recorded from the queue's "done" events.
    await pickupRecorder.start();
  }
  logger.info({ services: catalogue.services.size, agencies: catalogue.agencies.size, demo: catalogue.mpp.demo }, 'catalogue loaded');

  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT }, `MPP assistant listening on http://localhost:${config.PORT}`);
  });
  // After listen: in webhook mode Telegram may post as soon as setWebhook returns. Not awaited:
  // it never throws, and an unreachable Telegram must not hold up the rest of the start.
  void telegram?.start();
  // One phone session, one owner: a Redis lock picks the instance; the others stand by and take
  // over when the owner dies. Chromium and the session start in the background; the watchdog
  // owns their failures.
  const whatsappLock = whatsappWeb ? new OwnerLock(redis, `${config.REDIS_PREFIX}:lock:whatsapp-web`, 30_000, logger) : undefined;
  if (whatsappWeb && whatsappLock) {
    await whatsappLock.run({
      onAcquired: async () => {
        await whatsappWeb.start();
        reminders.addChannel('whatsapp-web');
      },
      onLost: async () => {
        await reminders.removeChannel('whatsapp-web');
        await whatsappWeb.stop();
      },
    });
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Bounded: whatever is still open after 10 s is cut.
    setTimeout(() => process.exit(1), 10_000).unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Stop taking Telegram updates first (polling ends; webhook posts in flight finish).
    await telegram?.stop();
    // Close Chromium before Redis goes: a stray browser would keep the session profile locked.
    await whatsappWeb?.stop();
    await whatsappLock?.release();
    // Board streams never go idle by themselves: end them, or close() would wait for the timeout.
    await close();
    await closed;
    redis.disconnect();
    subscriber.disconnect();
    await localRedis?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
});
