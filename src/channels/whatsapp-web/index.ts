import path from 'node:path';
import type { ChannelContext } from '../context.js';
import QRCode from 'qrcode';
import type { Config } from '../../config.js';
import { ChannelUnavailableError, type ChannelNotifier } from '../../reminders/notifier.js';
import { assertLibraryInstalled, libraryClientFactory, profileDir, type ClientFactory, type ClientFactoryOptions } from './client.js';
import { InboundHandler } from './inbound.js';
import { whatsAppWebNotifier } from './notifier.js';
import { SeenStore } from './seen.js';
import { SendPacer } from './send-pacer.js';
import { SessionWatchdog, type SessionStatus } from './watchdog.js';

export { WHATSAPP_WEB, fromCitizen } from './inbound.js';
export { profileDir, type ClientFactory, type ClientLike, type WaMessageLike } from './client.js';
export type { SessionState, SessionStatus } from './watchdog.js';

export type WhatsAppWebConfig = Pick<
  Config,
  'DATA_DIR' | 'WHATSAPP_SITE' | 'WHATSAPP_CHROMIUM_PATH' | 'WHATSAPP_WEB_READY_TIMEOUT_SECONDS' | 'WHATSAPP_WEB_RETRY_MIN_SECONDS' | 'WHATSAPP_WEB_RETRY_MAX_SECONDS' | 'WHATSAPP_WEB_RATE_PER_MINUTE'
>;

export interface WhatsAppWebOptions extends ChannelContext {
  config: WhatsAppWebConfig;
  /** Builds the client; default: the real whatsapp-web.js Client. Tests pass the shared fake. */
  clientFactory?: ClientFactory;
  /** Where the QR is drawn for a terminal (default stdout); null: nowhere. */
  qrOutput?: NodeJS.WritableStream | null;
}

/** What `/readyz` shows: a lost session degrades the service, it does not make the instance unready. */
export interface WhatsAppWebHealth {
  status: 'ok' | 'degraded';
  state: SessionStatus['state'];
  reason?: string;
  retries: number;
  nextRetryAt?: string;
}

export interface WhatsAppWebChannel {
  /**
   * Starts the session in the background; never rejects, failures go to the watchdog. With several
   * instances, call it only in the one that owns the phone (main.ts holds a Redis lock for that).
   */
  start(): Promise<void>;
  /** Stops retrying and closes Chromium; start() may be called again later. */
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
  // Before anything starts: a missing optional package is a configuration error, not a retry.
  if (!opts.clientFactory) assertLibraryInstalled();
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
  const inbound = new InboundHandler({ engine: opts.engine, translator, seen, send, logger, ...(opts.config.WHATSAPP_SITE ? { siteHint: opts.config.WHATSAPP_SITE } : {}) });
  const watchdog: SessionWatchdog = new SessionWatchdog({
    createClient: () => factory!(clientOptions),
    readyTimeoutMs: config.WHATSAPP_WEB_READY_TIMEOUT_SECONDS * 1000,
    retryMinMs: config.WHATSAPP_WEB_RETRY_MIN_SECONDS * 1000,
    retryMaxMs: config.WHATSAPP_WEB_RETRY_MAX_SECONDS * 1000,
    logger,
    onMessage: (message) => void inbound.handle(message),
    onQr: (qr) => {
      logger.info('whatsapp-web: scan the QR at /admin/whatsapp or in the terminal to link the phone');
      if (qrOutput) {
        void QRCode.toString(qr, { type: 'terminal', small: true }).then(
          (drawn) => qrOutput.write(drawn),
          (err: unknown) => logger.warn({ err }, 'whatsapp-web: QR could not be drawn; use /admin/whatsapp'),
        );
      }
    },
  });
  const ready = () => watchdog.readyClient() !== undefined;
  const status = (): SessionStatus => watchdog.status();
  const notifier = whatsAppWebNotifier({ ready, send, seen, translator, ratePerMinute: config.WHATSAPP_WEB_RATE_PER_MINUTE });

  return {
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
      watchdog.start();
    },
    stop: () => watchdog.stop(),
    status,
    health() {
      const s = status();
      return {
        status: s.state === 'ready' ? 'ok' : 'degraded',
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

