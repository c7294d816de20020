import { parseArgs } from 'node:util';
import { migrateLayoutAtStart } from '../compose/layout.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectRedis, redisTargetOf } from '../redis/connect.js';
import { runCli } from './run.js';

/**
 * `npm run redis:migrate [-- --dry-run]`: the key layout migration that `npm start` and
 * `npm run worker` also run at start; `--dry-run` counts, per store, the keys that would move.
 */
await runCli(async () => {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const target = redisTargetOf(config) ?? `redis://127.0.0.1:${config.LOCAL_REDIS_PORT}`;
  const redis = connectRedis(target, logger, 'layout-migration');
  try {
    const report = await migrateLayoutAtStart(config, redis, logger, { dryRun: values['dry-run'] });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    redis.disconnect();
  }
});
