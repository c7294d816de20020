import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OpeningHours } from './catalogue/hours.js';
import { loadCatalogue, type Catalogue } from './catalogue/loader.js';
import { ServiceSearch } from './catalogue/search.js';
import { PushHub } from './channels/webchat/push-hub.js';
import { webchatRoutes } from './channels/webchat/routes.js';
import { SessionIds } from './channels/webchat/session-id.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createEngine } from './engine/create.js';
import type { Engine } from './engine/engine.js';
import type { Translator } from './engine/i18n.js';
import { createApp } from './http/app.js';
import { catalogueRoutes } from './http/catalogue-routes.js';
import { ipRateLimit } from './http/rate-limit.js';
import { queueApi } from './http/queue-api.js';
import type { QueuePolicy } from './queue/policy.js';
import { QueueService } from './queue/queue-service.js';

export interface Composition {
  app: ReturnType<typeof createApp>;
  catalogue: Catalogue;
  search: ServiceSearch;
  engine: Engine;
  translator: Translator;
  hub: PushHub;
  queue: QueueService;
}

export interface ComposeOptions {
  config: Config;
  /** Commands connection (fails fast while Redis is down). */
  redis: Redis;
  /** A second connection for pub/sub subscriptions. */
  subscriber: Redis;
  logger: Logger;
  clock: Clock;
}

/**
 * Builds the whole application from its connections: catalogue -> search -> engine -> channels
 * -> HTTP. `main.ts` adds the process concerns (local Redis, listen, signals); tests call this.
 */
export async function compose({ config, redis, subscriber, logger, clock }: ComposeOptions): Promise<Composition> {
  const catalogue = await loadCatalogue(config.CONTENT_DIR);
  const search = new ServiceSearch(catalogue);
  const hours = new OpeningHours(catalogue.mpp, config.OPENING_HOURS);
  const queue = new QueueService(redis, config.REDIS_PREFIX, catalogue, hours, clock, queuePolicy(config));
  const { engine, translator } = await createEngine({
    redis,
    prefix: config.REDIS_PREFIX,
    services: { catalogue, search, hours, queue },
    clock,
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
    routers: [catalogueRoutes(catalogue, search), queueApi(queue, catalogue, config.MPP_API_TOKEN), webchat],
    ready: async () => {
      await redis.ping();
      return { redis: 'ok' };
    },
  });
  return { app, catalogue, search, engine, translator, hub, queue };
}

export function queuePolicy(config: Config): QueuePolicy {
  return {
    maxPerDay: config.QUEUE_MAX_PER_DAY,
    priorityEvery: config.QUEUE_PRIORITY_EVERY,
    noshowLimit: config.QUEUE_NOSHOW_LIMIT,
    noshowWindowDays: config.QUEUE_NOSHOW_WINDOW_DAYS,
    blockDays: config.QUEUE_BLOCK_DAYS,
    retentionDays: config.TICKET_RETENTION_DAYS,
  };
}
