import path from 'node:path';
import { ConfigError } from '../../config.js';

/** The fields of a whatsapp-web.js `Message` the adapter reads. */
export interface WaMessageLike {
  id: { _serialized: string };
  /** Chat id: `628…@c.us` or `…@lid` for a person, `…@g.us` for a group, `status@broadcast`. */
  from: string;
  body: string;
  /** `chat` for text; `image`, `ptt`, `sticker`, `location`, `document`… otherwise. */
  type: string;
  fromMe: boolean;
  isStatus?: boolean;
  hasMedia?: boolean;
  /** Seconds since the epoch. */
  timestamp?: number;
}

/** Events of whatsapp-web.js `Client` the adapter listens to, with the library's argument shapes. */
export interface ClientEvents {
  qr: [qr: string];
  authenticated: [session?: unknown];
  ready: [];
  message: [message: WaMessageLike];
  disconnected: [reason: string];
  auth_failure: [message: string];
}

/** The subset of whatsapp-web.js `Client` the adapter uses; tests pass one shared fake. */
export interface ClientLike {
  on<E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string, options?: { linkPreview?: boolean }): Promise<unknown>;
  /** Asks the page for WhatsApp's connection state; rejects once the page or browser died. */
  getState(): Promise<string | null>;
  info?: unknown;
  /** Set by the library once Chromium is launched; used to make sure the browser is gone. */
  pupBrowser?: { process(): { pid?: number; exitCode?: number | null; signalCode?: string | null } | null } | null;
}

export interface ClientFactoryOptions {
  chromiumPath: string;
  /** LocalAuth folder; Chromium's profile is `<dataPath>/session-<clientId>`. */
  dataPath: string;
  clientId: string;
}

export type ClientFactory = (opts: ClientFactoryOptions) => ClientLike;

/** Chromium flags: `--no-sandbox` because containers run as root; the rest trim memory and background traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium's profile folder for these options, as LocalAuth lays it out. */
export function profileDir(opts: Pick<ClientFactoryOptions, 'dataPath' | 'clientId'>): string {
  return path.resolve(opts.dataPath, `session-${opts.clientId}`);
}

const LIBRARY = 'whatsapp-web.js';

/**
 * whatsapp-web.js (and with it puppeteer, archiver, unzipper, fluent-ffmpeg) is an optional
 * dependency: `npm ci --omit=optional` and the Docker image without Chromium leave it out. With
 * WHATSAPP_WEB_ENABLED=true it must be there, and a missing package is said at startup, not found
 * later by a watchdog retrying a session that can never start.
 */
export function assertLibraryInstalled(resolve: (specifier: string) => string = (s) => import.meta.resolve(s)): void {
  try {
    resolve(LIBRARY);
  } catch {
    throw new ConfigError(
      `WHATSAPP_WEB_ENABLED=true but the optional package ${LIBRARY} is not installed. Install it with \`npm install\` (without --omit=optional), build the Docker image with --build-arg WITH_CHROMIUM=true, or set WHATSAPP_WEB_ENABLED=false.`,
    );
  }
}

/**
 * The real whatsapp-web.js client with LocalAuth on our data directory and Debian's Chromium.
 * Loaded on demand: the library pulls in puppeteer, which a deployment without WhatsApp never needs.
 */
export async function libraryClientFactory(): Promise<ClientFactory> {
  const { default: wweb } = await import('whatsapp-web.js');
  return (opts) =>
    new wweb.Client({
      authStrategy: new wweb.LocalAuth({ clientId: opts.clientId, dataPath: opts.dataPath }),
      // The library's default keeps the WhatsApp Web page in ./.wwebjs_cache of the working directory.
      webVersionCache: { type: 'local', path: path.join(opts.dataPath, 'web-cache') },
      puppeteer: { executablePath: opts.chromiumPath, headless: true, args: CHROMIUM_ARGS },
    });
}
