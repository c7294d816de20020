import path from 'node:path';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import type { Config } from '../../config.js';
import type { Engine } from '../../engine/engine.js';
import type { Translator } from '../../engine/i18n.js';
import type { StaffAuth } from '../../http/staff/index.js';
import { ChannelUnavailableError, type ChannelNotifier, type NotifierRegistry } from '../../reminders/notifier.js';
import { adminRoutes } from './admin.js';
import { libraryClientFactory, profileDir, type ClientFactory, type ClientFactoryOptions } from './client.js';
import { InboundHandler } from './inbound.js';
import { whatsAppWebNotifier } from './notifier.js';
import { SeenStore } from './seen.js';
import { SendPacer } from './send-pacer.js';
import { SessionLock } from './session-lock.js';
import { SessionWatchdog, type SessionStatus } from './watchdog.js';

const LOCK_TTL_MS = 30_000;

export { WHATSAPP_WEB, fromCitizen } from './inbound.js';
export { profileDir, type ClientFactory, type ClientLike, type WaMessageLike } from './client.js';
export type { SessionState, SessionStatus } from './watchdog.js';

export type WhatsAppWebConfig = Pick<
  Config,
  'DATA_DIR' | 'WHATSAPP_CHROMIUM_PATH' | 'WHATSAPP_WEB_READY_TIMEOUT_SECONDS' | 'WHATSAPP_WEB_RETRY_MIN_SECONDS' | 'WHATSAPP_WEB_RETRY_MAX_SECONDS' | 'WHATSAPP_WEB_RATE_PER_MINUTE'
>;

export interface WhatsAppWebOptions {
  config: WhatsAppWebConfig;
  engine: Engine;
  translator: Translator;
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** The channel registers its reminder notifier here. */
  notifiers: NotifierRegistry;
  /** Guards for the admin page. */
  staff: Pick<StaffAuth, 'loadStaff' | 'requireStaff'>;
  /** Builds the client; default: the real whatsapp-web.js Client. Tests pass the shared fake. */
  clientFactory?: ClientFactory;
  /** Where the QR is drawn for a terminal (default stdout); null: nowhere. */
  qrOutput?: NodeJS.WritableStream | null;
  /** Lifetime of the one-session-per-deployment Redis lock (default 30 s; renewed every third). */
  lockTtlMs?: number;
}

/** What `/readyz` shows: a lost session degrades the service, it does not make the instance unready. */
export interface WhatsAppWebHealth {
  /** `standby`: another instance runs the session, nothing is wrong here. */
  status: 'ok' | 'degraded' | 'standby';
  state: SessionStatus['state'];
  reason?: string;
  retries: number;
  nextRetryAt?: string;
}

export interface WhatsAppWebChannel {
  /** `GET /admin/whatsapp` (staff: admin, operator). */
  router: Router;
  /**
   * Starts the session in the background once this instance holds the deployment's WhatsApp
   * lock (standby until then); never rejects, failures go to the watchdog.
   */
  start(): Promise<void>;
  /** Stops retrying, closes Chromium and hands the lock over. */
  stop(): Promise<void>;
  status(): SessionStatus;
  health(): WhatsAppWebHealth;
  notifier: ChannelNotifier;
  /** Chromium's profile folder (LocalAuth session). */
  profileDir: string;
}

/**
 * The whatsapp-web.js channel: a phone linked by QR, a watchdog that restarts the session with
 * backoff, numbered-text menus, paced sends only to citizens who wrote first, and a notifier that
 * holds reminders while the session is down.
 */
export function createWhatsAppWebChannel(opts: WhatsAppWebOptions): WhatsAppWebChannel {
  const { config, logger, translator } = opts;
  const clientOptions: ClientFactoryOptions = {
    chromiumPath: config.WHATSAPP_CHROMIUM_PATH,
    dataPath: path.resolve(config.DATA_DIR, 'whatsapp-web'),
    clientId: 'mpp',
  };
  let factory = opts.clientFactory;
  const seen = new SeenStore(opts.redis, opts.prefix);
  const pacer = new SendPacer(config.WHATSAPP_WEB_RATE_PER_MINUTE);
  const qrOutput = opts.qrOutput === undefined ? process.stdout : opts.qrOutput;

  const send = (chatId: string, text: string) =>
    pacer.run(async () => {
      const client = watchdog.readyClient();
      if (!client) throw new ChannelUnavailableError('whatsapp-web session is not ready');
      try {
        await client.sendMessage(chatId, text, { linkPreview: false });
      } catch (err) {
        // A failed send is often the first sign of a dead page: look now, not at the next probe.
        await watchdog.checkHealth();
        throw err;
      }
    });
  const inbound = new InboundHandler({ engine: opts.engine, translator, seen, send, logger });
  const watchdog: SessionWatchdog = new SessionWatchdog({
    createClient: () => factory!(clientOptions),
    readyTimeoutMs: config.WHATSAPP_WEB_READY_TIMEOUT_SECONDS * 1000,
    retryMinMs: config.WHATSAPP_WEB_RETRY_MIN_SECONDS * 1000,
    retryMaxMs: config.WHATSAPP_WEB_RETRY_MAX_SECONDS * 1000,
    logger,
    onMessage: (message) => void inbound.handle(message),
    onQr: (qr) => {
      logger.info('whatsapp-web: scan the QR at /admin/whatsapp or in the terminal to link the phone');
      if (qrOutput) void QRCode.toString(qr, { type: 'terminal', small: true }).then((drawn) => qrOutput.write(drawn));
    },
  });
  const ready = () => watchdog.readyClient() !== undefined;
  const lead = leadership(new SessionLock(opts.redis, `${opts.prefix}:wa:lock`, opts.lockTtlMs ?? LOCK_TTL_MS), watchdog, logger);
  const status = (): SessionStatus => lead.status() ?? watchdog.status();
  const notifier = whatsAppWebNotifier({ ready, send, seen, translator, ratePerMinute: config.WHATSAPP_WEB_RATE_PER_MINUTE });
  opts.notifiers.register(notifier);

  return {
    router: adminRoutes([opts.staff.loadStaff, opts.staff.requireStaff({ roles: ['admin', 'operator'], page: true })], translator, status),
    async start() {
      if (!factory) {
        try {
          factory = await libraryClientFactory();
        } catch (err) {
          logger.error({ err }, 'whatsapp-web.js could not be loaded; the WhatsApp Web channel stays off');
          factory = () => {
            throw err;
          };
        }
      }
      await lead.start();
    },
    stop: () => lead.stop(),
    status,
    health() {
      const s = status();
      return {
        status: s.state === 'ready' ? 'ok' : s.state === 'standby' ? 'standby' : 'degraded',
        state: s.state,
        ...(s.reason ? { reason: s.reason } : {}),
        retries: s.retries,
        ...(s.nextRetryAt ? { nextRetryAt: s.nextRetryAt.toISOString() } : {}),
      };
    },
    notifier,
    profileDir: profileDir(clientOptions),
  };
}

/**
 * Runs the watchdog only while this instance holds the lock. The lock is renewed every third of
 * its lifetime; an instance that cannot renew in time stops its session before the lock expires,
 * so two instances never drive the same number.
 */
function leadership(lock: SessionLock, watchdog: SessionWatchdog, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let leading = false;
  let renewedAt = 0;
  let standbySince = new Date();
  let tick: Promise<void> = Promise.resolve();

  const check = async () => {
    let held: boolean | undefined;
    try {
      held = await lock.hold();
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'whatsapp-web lock not renewed');
    }
    if (!started) return;
    if (held) renewedAt = Date.now();
    const lost = held === false || (held === undefined && Date.now() - renewedAt > (lock.ttlMs * 2) / 3);
    if (held && !leading) {
      leading = true;
      logger.info('whatsapp-web: this instance holds the session');
      watchdog.start();
    } else if (lost && leading) {
      leading = false;
      standbySince = new Date();
      logger.warn('whatsapp-web: lock lost; stopping the session here');
      await watchdog.stop();
    }
  };

  return {
    async start() {
      if (started) return;
      started = true;
      standbySince = new Date();
      await (tick = check());
      timer = setInterval(() => void (tick = tick.then(check)), lock.ttlMs / 3);
      timer.unref();
    },
    async stop() {
      started = false;
      clearInterval(timer);
      await tick;
      leading = false;
      await watchdog.stop();
      await lock.release().catch(() => undefined);
    },
    /** `standby` while started without the lock; undefined otherwise (the watchdog's status applies). */
    status(): SessionStatus | undefined {
      return started && !leading ? { state: 'standby', retries: 0, since: standbySince } : undefined;
    },
  };
}
