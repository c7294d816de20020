import { WEBCHAT, webchatRoutes } from './channels/webchat/routes.js';
import { SessionIds } from './channels/webchat/session-id.js';
import { composeCore, type ComposeOptions, type Core } from './compose/core.js';
import { createApp } from './http/app.js';
import { appointmentRoutes } from './http/appointments/routes.js';
import { jobsRoutes } from './http/admin/jobs.js';
import { ALL_SITES, adminRoutes, type ReportScope } from './http/admin/routes.js';
import { allSitesCatalogue, allSitesOutOfOrder, allSitesSources, allSitesVisits } from './reports/all-sites.js';
import { failedNoticesRoutes } from './http/admin/failed-notices.js';
import { FailedNotices } from './reminders/failed-notices.js';
import { whatsAppAdminRoutes } from './http/admin/whatsapp.js';
import { BoardFeed } from './http/board/feed.js';
import { boardRoutes } from './http/board/routes.js';
import { catalogueRoutes } from './http/catalogue-routes.js';
import { counterRoutes } from './http/counter/routes.js';
import { deskRoutes } from './http/desk/routes.js';
import { DeskEventTail } from './http/desk/tail.js';
import { incidentRoutes } from './http/incidents/routes.js';
import { KioskDevice } from './http/kiosk/device.js';
import { kioskRoutes } from './http/kiosk/routes.js';
import { TrackFeed } from './http/track/feed.js';
import { trackRoutes } from './http/track/routes.js';
import { visitReport } from './reports/visits.js';
import { pickupRoutes } from './http/pickup/routes.js';
import { metricsScrape } from './http/metrics-scrape.js';
import { IdempotencyKeys } from './http/idempotency.js';
import { queueApi } from './http/queue-api.js';
import { ipRateLimit } from './http/rate-limit.js';
import { StreamCap } from './http/stream-cap.js';
import { cookieSecure } from './config.js';
import { readiness } from './http/readiness.js';
import { createStaffAuth, type StaffAuth } from './http/staff/index.js';
import { QueueEventTail } from './queue/events.js';
import { RangeReports } from './reports/range-report.js';
import { connectRedis } from './redis/connect.js';
import { siteCatalogue } from './catalogue/sites.js';
import { PerSite } from './http/sites/per-site.js';
import { perSiteRouter } from './http/sites/per-site-router.js';
import type { Site } from './sites/sites.js';

export type { ComposeOptions } from './compose/core.js';
export { queuePolicy } from './compose/core.js';

export interface Composition extends Core {
  app: ReturnType<typeof createApp>;
  staff: StaffAuth;
  /** The queue's event stream, tailed once per process on its own connection. */
  events: QueueEventTail;
  /** The main site's board feed (`/board`). */
  board: BoardFeed;
  /** Every site's board feed (`/board?site=`), made on first use, each on its site's own event tail. */
  boards: PerSite<BoardFeed>;
  /** Live public tracking pages (`/t/:code`) of the main site's tickets. */
  track: TrackFeed;
  /** Ends open board streams and stops the event tail; the caller closes the HTTP server and Redis. */
  close: () => Promise<void>;
}

/** Channels that have a notice outbox (BullMQ queue `notify-<channel>`). */
const OUTBOX_CHANNELS = ['webchat', 'telegram', 'whatsapp-web', 'whatsapp-cloud'];

/**
 * The web process: the domain, engine and channels (`composeCore`), then HTTP. `main.ts` adds the
 * process concerns (local Redis, listen, signals); tests call this. Wiring only.
 */
export async function compose(opts: ComposeOptions): Promise<Composition> {
  const { config, redis, logger } = opts;
  const core = await composeCore(opts, { withWhatsAppWeb: true });
  const { catalogue, search, queue, translator, engine, hub, telegram, whatsappWeb, whatsappCloud, reminders, maintenance, notifiers, appointments, survey } = core;
  const staff = createStaffAuth({ redis, prefix: config.REDIS_PREFIX, config, translator, siteIds: core.sites.list.map((s) => s.id) });
  // XREAD BLOCK holds its connection: it gets one of its own, never the commands connection.
  const eventsRedis = connectRedis(opts.redisUrl, logger, 'events', 'blocking');
  const events = new QueueEventTail(eventsRedis, queue.eventStream, logger);
  const board = new BoardFeed({ tail: events, queue, catalogue, logger, incidents: core.incidentStore });
  const track = new TrackFeed({ tail: events, queue, catalogue, logger });
  const main = core.sites.main;
  // Each site's queue has its own event stream (its own slot on a Cluster); a site's tail, with its
  // own blocking connection, opens when its first board or tracking page does, not at start.
  const tails = new PerSite<QueueEventTail>((site) => new QueueEventTail(connectRedis(opts.redisUrl, logger, `events-${site.id}`, 'blocking'), site.queue.eventStream, logger), [[main.id, events]]);
  const offered = new PerSite<typeof catalogue>((site) => siteCatalogue(catalogue, site.id, { offeredOnly: true }));
  const offeredAt = (site: Site) => offered.for(site);
  /** The other site whose bookings hold `code` (a citizen who came to the wrong MPP). */
  const bookedElsewhere = (site: Site) => async (code: string) => {
    for (const other of core.sites.list) if (other !== site && (await other.appointments.store.byCode(code))) return other.mpp.name;
    return undefined;
  };
  const boards = new PerSite<BoardFeed>((site) => new BoardFeed({ tail: tails.for(site), queue: site.queue, catalogue: offeredAt(site), logger, incidents: site.incidentStore }), [[main.id, board]]);
  const tracks = new PerSite<TrackFeed>((site) => new TrackFeed({ tail: tails.for(site), queue: site.queue, catalogue: site.catalogue, logger }), [[main.id, track]]);
  const { tracking, claims } = core;
  const publicUrl = config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {};
  const ids = await SessionIds.create(redis, config.REDIS_PREFIX, config.WEBCHAT_SECRET);
  const deskRedis = connectRedis(opts.redisUrl, logger, 'desk-events', 'blocking');
  const deskTail = new DeskEventTail(deskRedis, core.desk.events.streamKey, logger);
  const webchat = webchatRoutes({
    engine,
    translator,
    hub,
    ids,
    limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'webchat', config.HTTP_RATE_PER_MINUTE),
    origins: { note: (userKey, origin) => queue.noteOrigin(WEBCHAT, userKey, origin) },
    claims,
    streams: new StreamCap({ perAddress: config.SSE_STREAMS_PER_ADDRESS, perSession: config.SSE_STREAMS_PER_SESSION }),
    ...(config.WEBCHAT_SITE === 'none' ? {} : { homeSite: config.WEBCHAT_SITE ?? core.sites.main.id }),
  });
  // The head's report per site (`/admin/report?site=`) and over every site (`?site=all`).
  const rangeOptions = { waitTargetMinutes: config.MPP_WAIT_TARGET_MINUTES, ...(config.REPORT_IKM_MIN_SAMPLE ? { minSample: config.REPORT_IKM_MIN_SAMPLE } : {}) };
  const reports = new PerSite<ReportScope>((site) => ({
    catalogue: offeredAt(site),
    ranges: new RangeReports({ queue: site.queue, survey: site.survey }, offeredAt(site), rangeOptions),
    today: () => site.queue.today(),
    visits: (range) => visitReport(site.queue, range.days, site.mpp.timezone),
    outOfOrder: async (range) => (await Promise.all(range.days.map((day) => site.queue.outOfOrderCalls(day)))).flat(),
  }), [[main.id, {
    catalogue,
    ranges: new RangeReports({ queue, survey }, catalogue, rangeOptions),
    today: () => queue.today(),
    visits: (range) => visitReport(queue, range.days, catalogue.mpp.timezone),
    outOfOrder: async (range) => (await Promise.all(range.days.map((day) => queue.outOfOrderCalls(day)))).flat(),
  }]]);
  const everySite = core.sites.list;
  const allCatalogue = allSitesCatalogue(catalogue, everySite);
  const allReports: ReportScope = {
    catalogue: allCatalogue,
    ranges: new RangeReports(allSitesSources(everySite), allCatalogue, rangeOptions),
    today: () => queue.today(),
    visits: (range) => visitReport(allSitesVisits(everySite), range.days, catalogue.mpp.timezone),
    outOfOrder: (range) => allSitesOutOfOrder(everySite, range.days),
  };
  const failedNotices = new FailedNotices(reminders.outbox, OUTBOX_CHANNELS);
  const channelStates: Record<string, () => { state: string }> = { webchat: () => ({ state: 'running' }) };
  if (telegram) channelStates.telegram = () => telegram.status();
  if (whatsappWeb) channelStates['whatsapp-web'] = () => whatsappWeb.health();
  if (whatsappCloud) channelStates['whatsapp-cloud'] = () => ({ state: 'running' });
  const channelsUp: Record<string, () => boolean> = {};
  if (telegram) channelsUp.telegram = () => telegram.status().state === 'running';
  if (whatsappWeb) channelsUp['whatsapp-web'] = () => whatsappWeb.health().state === 'ready';

  const app = createApp({
    logger,
    redis,
    trustProxy: config.TRUST_PROXY,
    routers: [
      catalogueRoutes(catalogue, search, ipRateLimit(redis, config.REDIS_PREFIX, 'services', config.HTTP_RATE_PER_MINUTE), core.sites),
      queueApi(core.sites, catalogue, config.MPP_API_TOKEN, new IdempotencyKeys(redis, config.REDIS_PREFIX), tracking),
      staff.router,
      boardRoutes({ feed: (site) => boards.for(site), sites: core.sites, translator, limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'board', config.HTTP_RATE_PER_MINUTE), streams: new StreamCap({ perAddress: config.SSE_STREAMS_PER_ADDRESS }) }),
      trackRoutes({ codes: tracking, sites: core.sites, catalogue, translator, feed: (site) => tracks.for(site), claims, ...(config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_BOT_USERNAME ? { telegramBot: config.TELEGRAM_BOT_USERNAME } : {}), limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'track', config.HTTP_RATE_PER_MINUTE), streams: new StreamCap({ perAddress: config.SSE_STREAMS_PER_ADDRESS }), ...publicUrl }),
      kioskRoutes({ sites: core.sites, offered: offeredAt, translator, codes: tracking, device: new KioskDevice(config.MPP_KIOSK_TOKEN, cookieSecure(config), main.id), limiter: ipRateLimit(redis, config.REDIS_PREFIX, 'kiosk', config.HTTP_RATE_PER_MINUTE), takeLimiter: ipRateLimit(redis, config.REDIS_PREFIX, 'kiosk-take', config.KIOSK_TICKETS_PER_MINUTE), ...publicUrl }),
      counterRoutes({ sites: core.sites, offered: offeredAt, translator, staff, clock: opts.clock }),
      // Incidents and bookings are per site: `?site=` picks one; staff of other sites get 403.
      perSiteRouter({ sites: core.sites, staff, translator, paths: ['/admin/incidents'], make: (site, at) => incidentRoutes({ broadcast: site.incidents, catalogue: offeredAt(site), translator, staff, failed: failedNotices, changed: () => boards.for(site).refresh(), at }) }),
      perSiteRouter({ sites: core.sites, staff, translator, paths: ['/staff/bookings', '/staff/api/bookings'], make: (site, at) => appointmentRoutes({ appointments: site.appointments, staff, translator, catalogue: site.catalogue, queue: site.queue, at, elsewhere: bookedElsewhere(site) }) }),
      pickupRoutes({ pickups: core.pickups, catalogue, translator, staff, apiToken: config.MPP_API_TOKEN, countersFor: (serviceId) => queue.countersFor(serviceId), parts: 'api' }),
      // Pickups are deployment-wide; the staff page is per site for whose counters may mark them.
      perSiteRouter({ sites: core.sites, staff, translator, paths: ['/pickup'], make: (site, at) => pickupRoutes({ pickups: core.pickups, catalogue, translator, staff, apiToken: config.MPP_API_TOKEN, countersFor: (serviceId) => site.queue.countersFor(serviceId), parts: 'page', at, ...(core.sites.several ? { siteName: site.mpp.name } : {}) }) }),
      deskRoutes({ desk: core.desk, delivery: core.deskDelivery, complaints: core.complaints, tail: deskTail, catalogue, translator, staff, logger, clock: opts.clock }),
      webchat,
      ...(telegram ? [telegram.router] : []),
      ...(whatsappWeb ? [whatsAppAdminRoutes({ staff, translator, status: () => whatsappWeb.status() })] : []),
      ...(whatsappCloud ? [whatsappCloud.router] : []),
      adminRoutes({ staff, translator, catalogue, sites: core.sites, scope: (site) => (site === ALL_SITES ? allReports : reports.for(site)),
        deskFigures: async (day) => ({ day, desk: await core.desk.figures.day(day), complaints: await core.complaints.totals([day]) }),
        links: [{ href: '/admin/incidents', key: 'incidents' }, ...(whatsappWeb ? [{ href: '/admin/whatsapp', key: 'whatsapp' } as const] : [])] }),
      failedNoticesRoutes({ staff, translator, timezone: catalogue.mpp.timezone, failed: failedNotices,
        recipient: async (n) => (n.ticketId ? (await queue.get(n.ticketId))?.to : n.bookingId ? (await appointments.store.get(n.bookingId))?.to : undefined) }),
      // Every channel's outbox, registered here or not, so notices waiting for a channel are visible.
      jobsRoutes({ staff, translator, queues: OUTBOX_CHANNELS.map((c) => reminders.outbox.queue(c)) }),
    ],
    ready: readiness({ redis, channels: channelStates, reminders, notifiers }),
    metrics: metricsScrape({ metrics: core.metrics, queue, channelsUp, sites: core.sites.list }),
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    production: config.NODE_ENV === 'production',
  });
  const close = async () => {
    ids.close();
    for (const b of boards.values()) b.close();
    for (const t of tracks.values()) t.close();
    await Promise.all(tails.values().map((t) => t.stop()));
    await core.pickupRecorder.stop();
    await deskTail.stop();
    await reminders.close();
    await maintenance.close();
    await telegram?.stop();
    await whatsappWeb?.stop();
  };
  return { ...core, app, staff, events, board, boards, track, close };
}
