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

  const app = createApp({
    logger,
    trustProxy: config.TRUST_PROXY,
    routers: [catalogueRoutes(catalogue, search)],
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
    await localRedis?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
});
