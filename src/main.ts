import path from 'node:path';
import { loadCatalogue } from './catalogue/loader.js';
import { ServiceSearch } from './catalogue/search.js';
import { loadConfig } from './config.js';
import { createApp } from './http/app.js';
import { catalogueRoutes } from './http/catalogue-routes.js';
import { createLogger } from './logger.js';
import { connectRedis } from './redis/connect.js';
import { RedisMissingError, startLocalRedis } from './redis/local-server.js';
import { runCli } from './cli/run.js';
import { OpeningHours } from './catalogue/hours.js';
import { PushHub } from './channels/webchat/push-hub.js';
import { webchatRoutes } from './channels/webchat/routes.js';
import { SessionIds } from './channels/webchat/session-id.js';
import { systemClock } from './clock.js';
import { createEngine } from './engine/create.js';
import { ipRateLimit } from './http/rate-limit.js';

/** Composition root: config -> redis -> domain services -> engine -> channels -> http. */
await runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const catalogue = await loadCatalogue(config.CONTENT_DIR);
  const search = new ServiceSearch(catalogue);
  logger.info({ services: catalogue.services.size, agencies: catalogue.agencies.size, demo: catalogue.mpp.demo }, 'catalogue loaded');

  let redisUrl = config.REDIS_URL;
  let localRedis: Awaited<ReturnType<typeof startLocalRedis>> | undefined;
  if (!redisUrl) {
    try {
      localRedis = await startLocalRedis({ port: config.LOCAL_REDIS_PORT, dataDir: path.join(config.DATA_DIR, 'redis') });
    } catch (err) {
      if (err instanceof RedisMissingError) {
        process.stderr.write(err.message + '\n');
        process.exit(1);
      }
      throw err;
    }
    redisUrl = localRedis.url;
    logger.info({ url: redisUrl, owned: localRedis.owned }, 'using local redis-server');
  }
  const redis = connectRedis(redisUrl, logger);
  const subscriber = connectRedis(redisUrl, logger, 'subscriber');
  const hours = new OpeningHours(catalogue.mpp, config.OPENING_HOURS);

  const { engine, translator } = await createEngine({
    redis,
    prefix: config.REDIS_PREFIX,
    services: { catalogue, search, hours },
    clock: systemClock,
    logger,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    ratePerMinute: config.CHAT_RATE_PER_MINUTE,
  });
  const hub = new PushHub(redis, subscriber, config.REDIS_PREFIX);
  const webchat = webchatRoutes({
    engine,
    translator,
    hub,
    ids: await SessionIds.create(redis, config.REDIS_PREFIX, config.WEBCHAT_SECRET),
    limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'webchat', config.HTTP_RATE_PER_MINUTE),
  });

  const app = createApp({
    logger,
    trustProxy: config.TRUST_PROXY,
    routers: [catalogueRoutes(catalogue, search), webchat],
    ready: async () => {
      await redis.ping();
      return { redis: 'ok' };
    },
  });
  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info({ port: config.PORT }, `MPP assistant listening on http://localhost:${config.PORT}`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Bounded: whatever is still open after 10 s is cut.
    setTimeout(() => process.exit(1), 10_000).unref();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    redis.disconnect();
    subscriber.disconnect();
    await localRedis?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
});
