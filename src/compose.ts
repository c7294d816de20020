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
import { Appointments, defaultAppointmentRules } from './appointments/appointments.js';
import { BookingPlan } from './appointments/plan.js';
import { BookingStore } from './appointments/store.js';
import type { EngineServices } from './engine/action.js';
import { createEngine } from './engine/create.js';
import type { Engine } from './engine/engine.js';
import type { Translator } from './i18n.js';
import { createApp } from './http/app.js';
import { appointmentRoutes } from './http/appointments/routes.js';
import { incidentRoutes } from './http/incidents/routes.js';
import { IncidentBroadcast } from './incidents/broadcast.js';
import { IncidentStore } from './incidents/store.js';
import { DailyReports } from './reports/daily-report.js';
import { jobsRoutes } from './http/admin/jobs.js';
import { adminRoutes } from './http/admin/routes.js';
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
import { Metrics } from './metrics.js';
import { Forgetting } from './privacy/forget.js';
import { RetentionSchedule, RetentionSweep } from './privacy/retention.js';
import { WEBCHAT } from './channels/webchat/routes.js';
import { webchatNotifier } from './channels/webchat/notifier.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram/index.js';
import { NotifierRegistry } from './reminders/notifier.js';
import { ReminderRuntime } from './reminders/runtime.js';
import { SurveyStore } from './survey/store.js';
import { createWhatsAppWebChannel, type ClientFactory, type WhatsAppWebChannel } from './channels/whatsapp-web/index.js';
import { createWhatsAppCloudChannel, whatsAppCloudEnabled, type WhatsAppCloudChannel } from './channels/whatsapp-cloud/index.js';

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
  /** The nightly retention sweep (started where the scheduler runs). */
  maintenance: RetentionSchedule;
  /** Present when WHATSAPP_WEB_ENABLED=true; main.ts starts it after listen. */
  whatsappWeb?: WhatsAppWebChannel;
  /** Present when the four WHATSAPP_CLOUD_* variables are set. */
  whatsappCloud?: WhatsAppCloudChannel;
  staff: StaffAuth;
  /** The queue's event stream, tailed once per process on its own connection. */
  events: QueueEventTail;
  board: BoardFeed;
  appointments: Appointments;
  incidents: IncidentBroadcast;
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
  /** whatsapp-web.js client builder; tests pass the shared fake. Default: the real library. */
  whatsappWebClientFactory?: ClientFactory;
}

/**
 * Builds the whole application from its connections: catalogue -> search -> engine -> channels
 * -> HTTP. `main.ts` adds the process concerns (local Redis, listen, signals); tests call this.
 */
export async function compose({ config, redisUrl, redis, subscriber, logger, clock, whatsappWebClientFactory }: ComposeOptions): Promise<Composition> {
  const catalogue = await loadCatalogue(config.CONTENT_DIR);
  const search = new ServiceSearch(catalogue);
  const hours = new OpeningHours(catalogue.mpp, config.OPENING_HOURS);
  const queue = new QueueService(redis, config.REDIS_PREFIX, catalogue, hours, clock, queuePolicy(config));
  const survey = new SurveyStore(redis, queue.keys);
  const bookings = new BookingStore(redis, config.REDIS_PREFIX);
  const incidentStore = new IncidentStore(redis, config.REDIS_PREFIX);
  const metrics = new Metrics();
  // Search latency for /metrics, measured where every channel's questions pass.
  const searchOnce = search.search.bind(search);
  search.search = (query, limit) => {
    const end = metrics.searchSeconds.startTimer();
    try {
      return searchOnce(query, limit);
    } finally {
      end();
    }
  };
  const forgetting = new Forgetting(queue, logger);
  const services: EngineServices = { catalogue, search, hours, queue, survey, incidents: incidentStore, forgetting };
  const { engine, translator } = await createEngine({
    redis,
    prefix: config.REDIS_PREFIX,
    services,
    clock,
    logger,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    ratePerMinute: config.CHAT_RATE_PER_MINUTE,
    onTurn: (channel, ms, out) => {
      metrics.messagesIn.inc({ channel });
      metrics.messagesOut.inc({ channel, kind: 'reply' }, out);
      metrics.turnSeconds.observe({ channel }, ms / 1000);
    },
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
    lookups: { bookings, incidents: incidentStore },
    onReport: (r) => {
      metrics.deliveries.inc({ channel: r.channel, outcome: r.outcome });
      if (r.outcome === 'sent') metrics.messagesOut.inc({ channel: r.channel, kind: r.kind });
      if (r.latencyMs !== undefined) metrics.reminderLatency.observe({ channel: r.channel, kind: r.kind }, r.latencyMs / 1000);
    },
    onFailure: (queueName) => metrics.jobFailures.inc({ queue: queueName }),
  });
  // Bookings and incidents schedule notices through the reminders' outbox, which exists only now;
  // the engine reads `services` on every turn, and no turn runs before compose returns.
  const appointments = new Appointments(bookings, new BookingPlan(catalogue, hours), queue, reminders.outbox, clock, { ...defaultAppointmentRules, retentionDays: config.TICKET_RETENTION_DAYS });
  services.appointments = appointments;
  const maintenance = new RetentionSchedule(redisUrl, reminders.bullPrefix, new RetentionSweep(redis, config.REDIS_PREFIX, config.TICKET_RETENTION_DAYS, config.SESSION_IDLE_MINUTES * 60_000), catalogue.mpp.timezone, logger);
  forgetting.register('webchat-pending', (channel, userKey) => (channel === WEBCHAT ? hub.clearPending(userKey) : Promise.resolve(0)));
  forgetting.register('bookings', (channel, userKey) => appointments.forgetCitizen(channel, userKey));
  const incidents = new IncidentBroadcast(incidentStore, catalogue, queue, bookings, reminders.outbox, clock);
  const webchat = webchatRoutes({
    engine,
    translator,
    hub,
    ids: await SessionIds.create(redis, config.REDIS_PREFIX, config.WEBCHAT_SECRET),
    limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'webchat', config.HTTP_RATE_PER_MINUTE),
  });
  const staff = createStaffAuth({ redis, prefix: config.REDIS_PREFIX, config, translator });
  const whatsappWeb = config.WHATSAPP_WEB_ENABLED
    ? createWhatsAppWebChannel({ config, engine, translator, redis, prefix: config.REDIS_PREFIX, logger, notifiers, staff, ...(whatsappWebClientFactory ? { clientFactory: whatsappWebClientFactory } : {}), ...(config.LOG_LEVEL === 'silent' ? { qrOutput: null } : {}) })
    : undefined;
  const whatsappCloud = whatsAppCloudEnabled(config) ? createWhatsAppCloudChannel({ config, engine, translator, redis, prefix: config.REDIS_PREFIX, logger, clock, notifiers }) : undefined;
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
      incidentRoutes({ broadcast: incidents, catalogue, translator, staff }),
      appointmentRoutes({ appointments, staff }),
      webchat,
      ...(telegram ? [telegram.router] : []),
      ...(whatsappWeb ? [whatsappWeb.router] : []),
      ...(whatsappCloud ? [whatsappCloud.router] : []),
      adminRoutes({ staff, translator, catalogue, reports: new DailyReports(redis, queue.keys, survey, catalogue), today: () => queue.today(), links: whatsappWeb ? [{ href: '/admin/whatsapp', key: 'whatsapp' }] : [] }),
      // Every channel's outbox, registered here or not, so notices waiting for a channel are visible.
      jobsRoutes({ staff, translator, queues: OUTBOX_CHANNELS.map((c) => reminders.outbox.queue(c)) }),
    ],
    ready: async () => {
      await redis.ping();
      // A channel that is down degrades this instance (reported, still 200): it keeps serving
      // web chat and the other channels, so a load balancer must not take it out.
      const channels: Record<string, unknown> = { webchat: { state: 'running' } };
      if (telegram) channels.telegram = telegram.status();
      if (whatsappWeb) channels['whatsapp-web'] = whatsappWeb.health();
      if (whatsappCloud) channels['whatsapp-cloud'] = { state: 'running' };
      const degraded = Object.values(channels).some((c) => !['running', 'ready'].includes(String((c as { state?: string }).state)));
      return { redis: 'ok', degraded, channels, workers: { scheduler: reminders.schedulerRunning, deliveryChannels: notifiers.channels() } };
    },
    metrics: async () => {
      const snapshot = await queue.snapshot();
      for (const s of snapshot.services) {
        metrics.ticketsWaiting.set({ service: s.serviceId }, s.waiting);
        metrics.ticketsIssued.set({ service: s.serviceId }, s.quota - s.remainingQuota);
      }
      if (telegram) metrics.channelUp.set({ channel: 'telegram' }, telegram.status().state === 'running' ? 1 : 0);
      if (whatsappWeb) metrics.channelUp.set({ channel: 'whatsapp-web' }, whatsappWeb.health().state === 'ready' ? 1 : 0);
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
  });
  const close = async () => {
    board.close();
    await events.stop();
    await reminders.close();
    await maintenance.close();
    await telegram?.stop();
    await whatsappWeb?.stop();
  };
  return { app, catalogue, search, engine, translator, hub, queue, notifiers, reminders, maintenance, staff, events, board, appointments, incidents, close, ...(telegram ? { telegram } : {}), ...(whatsappWeb ? { whatsappWeb } : {}), ...(whatsappCloud ? { whatsappCloud } : {}) };
}

/** Channels that have a notice outbox (BullMQ queue `notify-<channel>`). */
const OUTBOX_CHANNELS = ['webchat', 'telegram', 'whatsapp-web', 'whatsapp-cloud'];

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
