import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadCatalogue } from '../catalogue/loader.js';
import type { Config } from '../config.js';
import { migrateKeyLayout, type LayoutMigrationReport } from '../redis/migrate-layout.js';

/**
 * At start, before any store is used: moves keys written before the hash-tag layout (issue 16) to
 * their new names, once per deployment (src/redis/migrate-layout.ts). The site comes from
 * content/mpp.yaml (`site`, default `main`).
 */
export async function migrateLayoutAtStart(config: Config, redis: Redis, logger: Logger, opts: { dryRun?: boolean } = {}): Promise<LayoutMigrationReport> {
  const { mpp } = await loadCatalogue(config.CONTENT_DIR);
  return migrateKeyLayout(redis, { prefix: config.REDIS_PREFIX, site: mpp.site, logger, ...opts });
}
