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
import { BoardFeed } from './http/board/feed.js';
import { boardRoutes } from './http/board/routes.js';
import { counterRoutes } from './http/counter/routes.js';
import { createStaffAuth, type StaffAuth } from './http/staff/index.js';
import { catalogueRoutes } from './http/catalogue-routes.js';
import { ipRateLimit } from './http/rate-limit.js';
import { queueApi } from './http/queue-api.js';
import { QueueEventTail } from './queue/events.js';
import type { QueuePolicy } from './queue/policy.js';
import { QueueService } from './queue/queue-service.js';
import { webchatNotifier } from './channels/webchat/notifier.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/index.js';
import { NotifierRegistry } from './reminders/notifier.js';
import { ReminderRuntime } from './reminders/runtime.js';

export interface Composition {
  app: ReturnType<typeof createApp>;
  catalogue: Catalogue;
  search: ServiceSearch;
  engine: Engine;
  translator: Translator;
  hub: PushHub;
  queue: QueueService;
  notifiers: NotifierRegistry;
  /** Present when TELEGRAM_BOT_TOKEN is set; main.ts starts it after listen. */
  telegram?: TelegramChannel;
  reminders: ReminderRuntime;
  staff: StaffAuth;
  /** The queue's event stream, tailed once per process on its own connection. */
  events: QueueEventTail;
  board: BoardFeed;
  /** Ends open board streams and stops the event tail; the caller closes the HTTP server and Redis. */
  close: () => Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  /** The Redis URL behind `redis`, for BullMQ's own connections. */
  redisUrl: string;
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
export async function compose({ config, redisUrl, redis, subscriber, logger, clock }: ComposeOptions): Promise<Composition> {
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
  // Channels register how they deliver notices; reminders never import a channel.
  const notifiers = new NotifierRegistry();
  notifiers.register(webchatNotifier(hub));
  const telegram = config.TELEGRAM_BOT_TOKEN ? createTelegramChannel({ config, engine, translator, redis, prefix: config.REDIS_PREFIX, logger, notifiers }) : undefined;
  const reminders = new ReminderRuntime({
    redisUrl,
    redis,
    prefix: config.REDIS_PREFIX,
    queue,
    conversation: engine,
    notifiers,
    rules: { nearAhead: config.REMIND_AHEAD, nearMinutes: config.REMIND_MINUTES, surveyDelayMs: config.SURVEY_DELAY_MINUTES * 60_000 },
    clock,
    logger,
  });
  const webchat = webchatRoutes({
    engine,
    translator,
    hub,
    ids: await SessionIds.create(redis, config.REDIS_PREFIX, config.WEBCHAT_SECRET),
    limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'webchat', config.HTTP_RATE_PER_MINUTE),
  });
  const staff = createStaffAuth({ redis, prefix: config.REDIS_PREFIX, config, translator });
  // XREAD BLOCK holds its connection: it gets one of its own, never the commands connection.
  const eventsRedis = redis.duplicate({ connectionName: 'mpp-events' });
  eventsRedis.on('error', (err: Error) => logger.debug({ err: err.message }, 'queue events connection error'));
  const events = new QueueEventTail(eventsRedis, queue.keys.events, logger);
  const board = new BoardFeed({ tail: events, queue, catalogue, logger });
  const app = createApp({
    logger,
    trustProxy: config.TRUST_PROXY,
    routers: [
      catalogueRoutes(catalogue, search),
      queueApi(queue, catalogue, config.MPP_API_TOKEN),
      staff.router,
      boardRoutes({ feed: board, translator, catalogue }),
      counterRoutes({ queue, catalogue, translator, staff, clock }),
      webchat,
      ...(telegram ? [telegram.router] : []),
    ],
    ready: async () => {
      await redis.ping();
      return { redis: 'ok' };
    },
  });
  const close = async () => {
    board.close();
    await events.stop();
    await reminders.close();
    await telegram?.stop();
  };
  return { app, catalogue, search, engine, translator, hub, queue, notifiers, reminders, staff, events, board, close, ...(telegram ? { telegram } : {}) };
}

export function queuePolicy(config: Config): QueuePolicy {
  return {
    maxPerDay: config.QUEUE_MAX_PER_DAY,
    priorityEvery: config.QUEUE_PRIORITY_EVERY,
    noshowLimit: config.QUEUE_NOSHOW_LIMIT,
    noshowWindowDays: config.QUEUE_NOSHOW_WINDOW_DAYS,
    blockDays: config.QUEUE_BLOCK_DAYS,
    retentionDays: config.TICKET_RETENTION_DAYS,
    latePlaces: config.QUEUE_LATE_PLACES,
  };
}
