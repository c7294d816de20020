import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Appointments, defaultAppointmentRules } from '../appointments/appointments.js';
import { BookingPlan } from '../appointments/plan.js';
import { BookingStore } from '../appointments/store.js';
import { OpeningHours } from '../catalogue/hours.js';
import { loadCatalogue, type Catalogue } from '../catalogue/loader.js';
import { ServiceSearch } from '../catalogue/search.js';
import { ChecklistReader } from '../understanding/checklist.js';
import { Understander, loadUnderstandingData, serviceRelations } from '../understanding/index.js';
import { createTelegramChannel, type TelegramChannel } from '../channels/telegram/index.js';
import { webchatNotifier } from '../channels/webchat/notifier.js';
import { PushHub } from '../channels/webchat/push-hub.js';
import { WEBCHAT } from '../channels/webchat/routes.js';
import { createWhatsAppCloudChannel, whatsAppCloudEnabled, type WhatsAppCloudChannel } from '../channels/whatsapp-cloud/index.js';
import { createWhatsAppWebChannel, type ClientFactory, type WhatsAppWebChannel } from '../channels/whatsapp-web/index.js';
import { loadPseudonymKey, usePseudonymKey } from '../citizen.js';
import { CloudStore } from '../channels/whatsapp-cloud/store.js';
import { WHATSAPP_CLOUD } from '../channels/whatsapp-cloud/inbound.js';
import { SeenStore } from '../channels/whatsapp-web/seen.js';
import { WHATSAPP_WEB } from '../channels/whatsapp-web/inbound.js';
import type { Clock } from '../clock.js';
import { ConfigError, type Config } from '../config.js';
import { createEngine } from '../engine/create.js';
import type { Engine } from '../engine/engine.js';
import type { Translator } from '../i18n.js';
import { IncidentBroadcast } from '../incidents/broadcast.js';
import { IncidentStore } from '../incidents/store.js';
import { Metrics } from '../metrics.js';
import { linkOnly } from '../complaints/lapor.js';
import { workingCalendar } from '../complaints/deadlines.js';
import { ComplaintStore } from '../complaints/store.js';
import { HandoverStore } from '../desk/handover-store.js';
import { DeskDelivery } from '../reminders/desk-delivery.js';
import { Forgetting } from '../privacy/forget.js';
import { RetentionSweep, bookingRetention } from '../privacy/retention.js';
import type { QueuePolicy } from '../queue/policy.js';
import { QueueService } from '../queue/queue-service.js';
import { NightlySchedule } from '../reminders/maintenance.js';
import { NotifierRegistry } from '../reminders/notifier.js';
import { Outbox } from '../reminders/outbox.js';
import { ReminderRuntime } from '../reminders/runtime.js';
import { SurveyStore } from '../survey/store.js';
import { TicketClaims } from '../tracking/claims.js';
import { TrackingCodes } from '../tracking/codes.js';
import { Pickups } from '../pickup/pickups.js';
import { PickupRecorder } from '../pickup/recorder.js';
import { PickupStore } from '../pickup/store.js';
import { siteCatalogue } from '../catalogue/sites.js';
import { Sites, type Site } from '../sites/sites.js';

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

/** Everything but HTTP: domain services, the engine, the channels' adapters, reminders. */
export interface Core {
  catalogue: Catalogue;
  /** The deployment's MPP sites; `queue`, `hours`, `bookings`, `incidents`… below are the main site's. */
  sites: Sites;
  search: ServiceSearch;
  hours: OpeningHours;
  queue: QueueService;
  survey: SurveyStore;
  bookings: BookingStore;
  incidentStore: IncidentStore;
  appointments: Appointments;
  incidents: IncidentBroadcast;
  engine: Engine;
  translator: Translator;
  hub: PushHub;
  notifiers: NotifierRegistry;
  telegram?: TelegramChannel;
  whatsappWeb?: WhatsAppWebChannel;
  whatsappCloud?: WhatsAppCloudChannel;
  reminders: ReminderRuntime;
  /** The nightly retention sweep (started where the scheduler runs). */
  maintenance: NightlySchedule;
  /** The retention sweep the nightly job runs: every site's queue and bookings, sessions, desk, complaints, pickups. */
  retention: RetentionSweep;
  metrics: Metrics;
  /** The help desk's hand-overs and what it says to citizens. */
  desk: HandoverStore;
  deskDelivery: DeskDelivery;
  complaints: ComplaintStore;
  /** Tracking codes of tickets (printed QR, `trackUrl`). */
  tracking: TrackingCodes;
  /** One-time "continue in the chat" claims of kiosk tickets. */
  claims: TicketClaims;
  /** Document-ready pickup: applications, staff marks, notices. */
  pickups: Pickups;
  /** Records applications from the queue's "done" events; started where the scheduler runs. */
  pickupRecorder: PickupRecorder;
}

/**
 * Wires the domain in dependency order: catalogue -> stores and services (the outbox first, so
 * bookings and incidents have it) -> engine -> channels -> reminders. `withWhatsAppWeb: false`
 * leaves out the one channel that needs a phone session (the worker process).
 */
export async function composeCore(opts: ComposeOptions, { withWhatsAppWeb }: { withWhatsAppWeb: boolean }): Promise<Core> {
  const { config, redisUrl, redis, subscriber, logger, clock } = opts;
  const prefix = config.REDIS_PREFIX;
  // Before anything derives a citizen's pseudonym.
  usePseudonymKey(config.PSEUDONYM_SECRET ?? (await loadPseudonymKey(redis, prefix)));
  const metrics = new Metrics();
  const catalogue = await loadCatalogue(config.CONTENT_DIR);
  // Search latency for /metrics, measured where every channel's questions pass.
  const search = new ServiceSearch(catalogue, undefined, { onSearch: (seconds) => metrics.searchSeconds.observe(seconds) });
  // The env names a site of the content: a typo stops the start (before any connection is opened).
  for (const [name, value] of [['WHATSAPP_SITE', config.WHATSAPP_SITE], ['WEBCHAT_SITE', config.WEBCHAT_SITE === 'none' ? undefined : config.WEBCHAT_SITE]] as const) {
    if (value && !catalogue.sites.some((s) => s.site === value)) {
      throw new ConfigError(`Invalid environment:\n  ${name}: no site "${value}" in ${config.CONTENT_DIR} (sites: ${catalogue.sites.map((s) => s.site).join(', ')})`);
    }
  }
  const understanding = await loadUnderstandingData(config.CONTENT_DIR, new Set(catalogue.services.keys()));
  const tracking = new TrackingCodes(redis, prefix, clock, catalogue.mpp.timezone);
  const outbox = Outbox.connect(redisUrl, prefix);
  // Every MPP site of the deployment gets its own queue, bookings and incidents (keys under `{site:<id>}`).
  const sites = new Sites(
    catalogue.sites.map((mpp): Site => {
      const site = mpp.site;
      const view = siteCatalogue(catalogue, site, { offeredOnly: false });
      const hours = new OpeningHours(mpp, config.OPENING_HOURS);
      const queue = new QueueService(redis, prefix, siteCatalogue(catalogue, site, { offeredOnly: true }), hours, clock, queuePolicy(config));
      const bookings = new BookingStore(redis, prefix, site);
      const incidentStore = new IncidentStore(redis, prefix, site);
      const appointments = new Appointments(bookings, new BookingPlan(view, hours), queue, outbox, clock, { ...defaultAppointmentRules, retentionDays: config.TICKET_RETENTION_DAYS });
      const incidents = new IncidentBroadcast(incidentStore, view, queue, bookings, outbox, clock);
      return { id: site, mpp, catalogue: view, hours, queue, survey: new SurveyStore(redis, queue.ticketSlot), bookings, appointments, incidentStore, incidents };
    }),
  );
  // The main site's stores are the deployment's defaults (pages without `?site=`, one-site deployments).
  const { hours, queue, survey, bookings, incidentStore, appointments, incidents } = sites.main;
  const site = sites.main.id;
  // A claim, an erasure, a notice find a ticket at whichever site issued it.
  const claims = new TicketClaims(redis, prefix, tracking, sites);
  const forgetting = new Forgetting(sites.list.map((s) => s.queue), logger);
  const desk = new HandoverStore(redis, prefix, clock, hours, { idleTimeoutMs: config.DESK_IDLE_MINUTES * 60_000 }, undefined, site);
  const calendar = workingCalendar(catalogue.mpp);
  const complaints = new ComplaintStore(redis, prefix, clock, calendar, undefined, undefined, site);
  const pickups = new Pickups(new PickupStore(redis, prefix, { keepDays: config.PICKUP_KEEP_DAYS, maxDays: config.PICKUP_MAX_DAYS }), catalogue, calendar, outbox, clock, { remindAfterDays: config.PICKUP_REMIND_AFTER_DAYS });

  const { engine, translator, sessions } = await createEngine({
    redis,
    prefix,
    services: { catalogue, search, hours, queue, survey, incidents: incidentStore, forgetting, appointments, understander: new Understander(understanding, search, serviceRelations(catalogue.services)), checklistReader: new ChecklistReader(understanding.intents, search.normaliser), desk, complaints: { store: complaints, calendar, lapor: linkOnly() }, pickups, sites },
    clock,
    logger,
    contentDir: config.CONTENT_DIR,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    ratePerMinute: config.CHAT_RATE_PER_MINUTE,
    onTurn: (channel, ms, out) => {
      metrics.messagesIn.inc({ channel });
      metrics.messagesOut.inc({ channel, kind: 'reply' }, out);
      metrics.turnSeconds.observe({ channel }, ms / 1000);
    },
  });

  const hub = new PushHub(redis, subscriber, prefix);
  const context = { engine, translator, redis, prefix, logger };
  const telegram = config.TELEGRAM_BOT_TOKEN ? createTelegramChannel({ ...context, config, claims }) : undefined;
  const whatsappWeb =
    withWhatsAppWeb && config.WHATSAPP_WEB_ENABLED
      ? createWhatsAppWebChannel({ ...context, config, ...(opts.whatsappWebClientFactory ? { clientFactory: opts.whatsappWebClientFactory } : {}), ...(config.LOG_LEVEL === 'silent' ? { qrOutput: null } : {}) })
      : undefined;
  const whatsappCloud = whatsAppCloudEnabled(config) ? createWhatsAppCloudChannel({ ...context, config, clock }) : undefined;

  // Channels tell reminders how they deliver; reminders never import a channel.
  const notifiers = new NotifierRegistry();
  notifiers.register(webchatNotifier(hub));
  if (telegram) notifiers.register(telegram.notifier);
  if (whatsappWeb) notifiers.register(whatsappWeb.notifier);
  if (whatsappCloud) notifiers.register(whatsappCloud.notifier);

  forgetting.register('webchat-pending', (channel, userKey) => (channel === WEBCHAT ? hub.clearPending(userKey) : Promise.resolve(0)));
  forgetting.register('desk', (channel, userKey) => desk.erase(channel, userKey));
  forgetting.register('complaints', (channel, userKey) => complaints.erase(channel, userKey));
  forgetting.register('pickups', (channel, userKey) => pickups.erase(channel, userKey));
  forgetting.register('bookings', async (channel, userKey) => {
    let erased = 0;
    for (const s of sites.list) erased += await s.appointments.forgetCitizen(channel, userKey);
    return erased;
  });
  // WhatsApp's "wrote first" marker and 24-hour-window record (keys are pseudonyms, values are not needed after erasure).
  forgetting.register('whatsapp-web-seen', (channel, userKey) => (channel === WHATSAPP_WEB ? new SeenStore(redis, prefix).forget(userKey) : Promise.resolve(0)));
  forgetting.register('whatsapp-cloud-last', (channel, userKey) => (channel === WHATSAPP_CLOUD ? new CloudStore(redis, prefix).forget(userKey) : Promise.resolve(0)));

  const reminders = new ReminderRuntime({
    redisUrl,
    redis,
    prefix,
    outbox,
    queue,
    // One scheduler per site; notices find their ticket's or booking's site.
    sites: sites.list.map((s) => ({ id: s.id, queue: s.queue, bookings: s.bookings, incidents: s.incidentStore })),
    conversation: engine,
    notifiers,
    rules: { nearAhead: config.REMIND_AHEAD, nearMinutes: config.REMIND_MINUTES, surveyDelayMs: config.SURVEY_DELAY_MINUTES * 60_000 },
    clock,
    logger,
    lookups: { pickups },
    onReport: (r) => {
      metrics.deliveries.inc({ channel: r.channel, outcome: r.outcome });
      if (r.outcome === 'sent') metrics.messagesOut.inc({ channel: r.channel, kind: r.kind });
      if (r.latencyMs !== undefined) metrics.reminderLatency.observe({ channel: r.channel, kind: r.kind }, r.latencyMs / 1000);
    },
    onFailure: (queueName) => metrics.jobFailures.inc({ queue: queueName }),
  });
  // Each store states its own retention; the sweep only applies them.
  // The desk's own sweep() is the idle hand-back, not a retention clean-up: only its rules go in.
  // Every site's queue and bookings (their keys carry the site's tag: one rule set per site).
  const siteStores = sites.list.flatMap((s) => [s.queue, bookingRetention(s.bookings.keys, config.TICKET_RETENTION_DAYS)]);
  const sweep = new RetentionSweep(redis, [...siteStores, sessions, hub, { retention: () => desk.retention() }, complaints, pickups.store]);
  // Nightly besides the sweep: reminders for documents ready and not collected.
  const nightly = { run: async () => ({ ...(await sweep.run()), pickupReminders: await pickups.remindUncollected() }) };
  const deskDelivery = new DeskDelivery(desk, notifiers, translator, logger);
  // Every minute: idle hand-overs go back to the assistant, and each citizen is told.
  const deskSweep = { run: () => deskDelivery.sweep() };
  const maintenance = new NightlySchedule(redisUrl, reminders.bullPrefix, nightly, catalogue.mpp.timezone, logger, deskSweep);

  // Every site's "done" events; one consumer (and connection) per site's stream.
  const pickupRecorder = new PickupRecorder(redis.duplicate({ lazyConnect: true, connectionName: 'mpp-pickups' }), sites.list.map((s) => s.queue), pickups, logger);

  return {
    sites,
    pickups,
    pickupRecorder,
    catalogue,
    search,
    hours,
    queue,
    survey,
    bookings,
    incidentStore,
    appointments,
    incidents,
    engine,
    translator,
    hub,
    notifiers,
    reminders,
    maintenance,
    retention: sweep,
    metrics,
    desk,
    deskDelivery,
    complaints,
    tracking,
    claims,
    ...(telegram ? { telegram } : {}),
    ...(whatsappWeb ? { whatsappWeb } : {}),
    ...(whatsappCloud ? { whatsappCloud } : {}),
  };
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
    unverified: { channels: [WEBCHAT], perAddress: config.WEBCHAT_TICKETS_PER_ADDRESS, quotaSharePercent: config.WEBCHAT_QUOTA_SHARE },
  };
}
