import { isIP } from 'node:net';
import { z } from 'zod';
import { SITE_ID } from './redis/keyspace.js';
import { parseHostPorts } from './redis/target.js';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `host:port,host:port`: the seed nodes of a Redis Cluster or the Sentinels. */
const hostPorts = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const parsed = parseHostPorts(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

/** Names Express's `trust proxy` knows for address ranges (proxy-addr). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyRange = (entry: string): boolean => {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  // A /0 trusts every hop: the same as `true`.
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (family === 4 ? 32 : 128));
};

/**
 * Which peers may tell us the client's address in X-Forwarded-For (Express `trust proxy`): `false`
 * (no proxy), a hop count, or the proxies' addresses and subnets. `true` would trust every hop, so
 * the left-most entry, which the client writes itself, would become its address: refused.
 */
const trustProxy = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (value === 'true' || value === 'yes') {
      ctx.addIssue({ code: 'custom', message: 'true would let any client choose its address through X-Forwarded-For; set the number of proxies in front (1 behind one nginx or Caddy) or their addresses/subnets (e.g. 10.0.0.0/8,loopback)' });
    } else if (value !== 'false' && value !== 'no' && !/^\d{1,2}$/.test(value) && !value.split(',').every((e) => isProxyRange(e.trim()))) {
      ctx.addIssue({ code: 'custom', message: 'false, a hop count (1 behind one reverse proxy) or a comma-separated list of proxy addresses/subnets (10.0.0.0/8, loopback, uniquelocal)' });
    }
  })
  .transform((value): false | number | string[] => {
    if (value === 'false' || value === 'no') return false;
    if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
    return value.split(',').map((e) => e.trim());
  });

/** Every environment variable the assistant reads. `.env.example` documents each one. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Seed nodes of a Redis Cluster (`host:port,...`; a few are enough, the client learns the rest). */
  REDIS_CLUSTER_NODES: hostPorts.optional(),
  /** Sentinels (`host:port,...`) that name the master called REDIS_SENTINEL_NAME. */
  REDIS_SENTINELS: hostPorts.optional(),
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'the master name of the Sentinel configuration (letters, digits, . _ -)').optional(),
  /** Password (requirepass / masterauth) of the Cluster nodes or the Sentinel-managed servers. */
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** Key prefix so several deployments (or tests) can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only').default('mpp'),
  DATA_DIR: z.string().min(1).default('./data'),
  CONTENT_DIR: z.string().min(1).default('./content'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Idle minutes after which a conversation starts again from the menu. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  // A claimed hand-over with no message either way for this long goes back to the assistant.
  DESK_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Messages per minute one citizen may send before the engine asks them to slow down. */
  CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(30),
  /** `always` turns the opening-hours check off (demos, checks); `content` uses content/mpp.yaml. */
  OPENING_HOURS: z.enum(['content', 'always']).default('content'),
  /** Proxies in front that may set X-Forwarded-For: `false` (default), a hop count (`1` behind one reverse proxy) or their subnets. */
  TRUST_PROXY: trustProxy.default(false),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` (Prometheus bearer_token). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Bearer token for the kiosk/integration JSON API (/api/tickets, /api/counters...). Unset: API off. */
  MPP_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Device token of the self-service kiosks: opening /kiosk?token=<it> once enrols a kiosk's browser. Unset: /kiosk is off. */
  MPP_KIOSK_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Tickets one kiosk (client address) may issue per minute: a person takes one in ~20 s, a script far more. */
  KIOSK_TICKETS_PER_MINUTE: z.coerce.number().int().min(1).max(120).default(6),
  /** Public base URL citizens' phones reach (QR codes and links on printed tickets); unset: the request's own host. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** Tickets one citizen may take per day, across services. */
  QUEUE_MAX_PER_DAY: z.coerce.number().int().min(1).max(50).default(3),
  /**
   * Web chat sessions are free, so web chat tickets are limited by address: at most this many per
   * service per day from one IPv4 address or IPv6 /64 (5 at most: carrier-grade NAT is weighed in README).
   */
  WEBCHAT_TICKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(5).default(5),
  /** Percent of each service's daily quota web chat tickets may use; the rest stays for WhatsApp, Telegram, kiosk and counter. */
  WEBCHAT_QUOTA_SHARE: z.coerce.number().int().min(1).max(100).default(50),
  /** A counter serves one priority ticket (lansia, disabilitas, ibu hamil, balita) after every N regular; 0 = priority first. */
  QUEUE_PRIORITY_EVERY: z.coerce.number().int().min(0).max(50).default(3),
  /** No-shows within QUEUE_NOSHOW_WINDOW_DAYS that block remote tickets for QUEUE_BLOCK_DAYS. */
  QUEUE_NOSHOW_LIMIT: z.coerce.number().int().min(1).max(50).default(2),
  QUEUE_NOSHOW_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  QUEUE_BLOCK_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Places a citizen moves back when answering a reminder with "saya terlambat" (once). */
  QUEUE_LATE_PLACES: z.coerce.number().int().min(1).max(50).default(3),
  /** Turn reminders: "N lagi" at this many people ahead or fewer, or under this many minutes. */
  REMIND_AHEAD: z.coerce.number().int().min(1).max(100).default(5),
  REMIND_MINUTES: z.coerce.number().int().min(1).max(240).default(15),
  /** Minutes after "done" before the satisfaction survey (SKM) is sent; 0 turns it off. */
  SURVEY_DELAY_MINUTES: z.coerce.number().min(0).max(24 * 60).default(10),
  /** Run the BullMQ workers inside `npm start` (default); false when they run as `npm run worker`. */
  WORKER_IN_PROCESS: bool.default(true),
  /** Days tickets and their link to a citizen are kept; daily counts stay for reports. */
  TICKET_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Document pickup (src/pickup): a reminder when a ready document is not collected after this many days (again every as many days, at most 3). */
  PICKUP_REMIND_AFTER_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /** Days a pickup record is kept after the document was collected. */
  PICKUP_KEEP_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** Most days a pickup record is kept from the visit, collected or not. */
  PICKUP_MAX_DAYS: z.coerce.number().int().min(7).max(365).default(90),
  /** The head's report: the wait (minutes from taking a ticket to its call) the MPP aims at; the share at or over it is shown. */
  MPP_WAIT_TARGET_MINUTES: z.coerce.number().int().min(1).max(600).default(30),
  /** The head's report: a fixed minimum of survey answers for the IKM; unset, the Krejcie & Morgan sample for the citizens served (PermenPANRB 14/2017). */
  REPORT_IKM_MIN_SAMPLE: z.coerce.number().int().min(1).max(100_000).optional(),
  /** Requests per minute per client IP on public endpoints (web chat messages). */
  HTTP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Open event streams (web chat pushes, `/board/events`) one client address may hold in one process. */
  SSE_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Open web chat event streams per session (tabs of one conversation). */
  SSE_STREAMS_PER_SESSION: z.coerce.number().int().min(1).max(100).default(3),
  /** Key for signing web chat session ids; by default one is generated and kept in Redis. */
  WEBCHAT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** HMAC key of every citizen pseudonym (Redis keys, logs); generated and kept in Redis when unset. */
  PSEUDONYM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Port of the redis-server that `npm start` runs itself when REDIS_URL is unset. */
  LOCAL_REDIS_PORT: port.default(6380),
  /** Hours a staff sign-in lasts (one shift); after that the person signs in again. */
  STAFF_SESSION_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /**
   * Send cookies with `Secure` (HTTPS only). Unset: on when NODE_ENV=production; set false only
   * when production runs on plain HTTP inside a closed network, or the browser drops the cookie.
   */
  COOKIE_SECURE: bool.optional(),
  /** Telegram bot token from @BotFather; set: the Telegram channel runs. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'a token from @BotFather, like 123456:ABC-def').optional(),
  /** The bot's username (without @): tracking pages then offer a t.me link that attaches the ticket to the citizen's Telegram chat. */
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, 'a Telegram username without @, like mpp_kota_bot').optional(),
  /** Bot API server: Telegram's, a local Bot API server, or an emulator in tests (no trailing /). */
  TELEGRAM_API_ROOT: z
    .url({ protocol: /^https?$/ })
    .default('https://api.telegram.org')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Public HTTPS URL of POST /webhooks/telegram; set: webhook mode, unset: long polling (one poller per token). */
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Telegram echoes it in X-Telegram-Bot-Api-Secret-Token; required with TELEGRAM_WEBHOOK_URL (Bot API: 1-256 of A-Z a-z 0-9 _ -). */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters from A-Z a-z 0-9 _ -').optional(),
  /**
   * Several MPP sites: the site whose WhatsApp number this is (a site id of content/). A citizen
   * who writes to it and never chose an MPP is at that site, and is not asked "di MPP mana?";
   * "ganti MPP" still changes it. Unset: a deployment-wide number (the chat asks when it matters).
   */
  WHATSAPP_SITE: z.string().regex(SITE_ID, 'a site id of content/ (lowercase letters, digits and dashes)').optional(),
  /**
   * Several MPP sites: the site whose web chat `/` is (a site id), or `none` for a chat of every
   * site, which asks "di MPP mana?" when an answer differs. Unset: the main site (content/mpp.yaml),
   * as a chat on the main MPP's website. `/?site=<id>` opens another site's chat either way.
   */
  WEBCHAT_SITE: z.union([z.literal('none'), z.string().regex(SITE_ID, "a site id of content/, or 'none'")]).optional(),
  /** Run the whatsapp-web.js channel (a linked phone, Chromium in the background). */
  WHATSAPP_WEB_ENABLED: bool.default(false),
  /** Chromium that whatsapp-web.js drives; puppeteer's own browser download is skipped. */
  WHATSAPP_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Seconds a starting session may take to become ready (or show a QR) before it is restarted. */
  WHATSAPP_WEB_READY_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(90),
  /** First and longest wait between restarts of a failed session (exponential backoff with jitter). */
  WHATSAPP_WEB_RETRY_MIN_SECONDS: z.coerce.number().positive().max(3600).default(5),
  WHATSAPP_WEB_RETRY_MAX_SECONDS: z.coerce.number().positive().max(24 * 3600).default(300),
  /** Messages per minute the linked number sends at most (replies and reminders): unofficial clients get banned. */
  WHATSAPP_WEB_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(20),
  /** WhatsApp Business Cloud API: all four set turns the channel on; a partial set is an error. */
  WHATSAPP_CLOUD_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d{5,20}$/, 'digits only (the phone number id, not the number)').optional(),
  WHATSAPP_CLOUD_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: z.string().min(1).optional(),
  /** Graph API base with a pinned version, so a Meta default-version change cannot break us. */
  WHATSAPP_CLOUD_API_BASE: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v21.0'),
  /** Approved template (one body parameter) for reminders outside the 24-hour window; unset: such reminders are not sent. */
  WHATSAPP_CLOUD_TEMPLATE: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _ (a template name)').optional(),
  WHATSAPP_CLOUD_TEMPLATE_LANG: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as id or en_US').default('id'),
});

const WHATSAPP_CLOUD_REQUIRED = ['WHATSAPP_CLOUD_ACCESS_TOKEN', 'WHATSAPP_CLOUD_PHONE_NUMBER_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN'] as const;

/** Rules across variables, checked after each variable on its own. */
const checkedSchema = envSchema.superRefine((env, ctx) => {
  const missing = WHATSAPP_CLOUD_REQUIRED.filter((name) => env[name] === undefined);
  if (missing.length > 0 && missing.length < WHATSAPP_CLOUD_REQUIRED.length) {
    for (const name of missing) ctx.addIssue({ code: 'custom', path: [name], message: `the WhatsApp Cloud API needs all of ${WHATSAPP_CLOUD_REQUIRED.join(', ')}; set this one too, or unset the others` });
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_WEBHOOK_URL is set (1-256 characters from A-Z a-z 0-9 _ -)' });
  }
  if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_BOT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'required when TELEGRAM_WEBHOOK_URL is set' });
  }
  const redisChoices = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((name) => env[name] !== undefined);
  if (redisChoices.length > 1) {
    for (const name of redisChoices.slice(1)) ctx.addIssue({ code: 'custom', path: [name], message: `set only one of REDIS_URL (one server), REDIS_CLUSTER_NODES (Cluster) or REDIS_SENTINELS (Sentinel); ${redisChoices[0]} is set too` });
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_NAME'], message: 'required with REDIS_SENTINELS: the master name from sentinel.conf (sentinel monitor <name> ...)' });
  }
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINELS'], message: 'required with REDIS_SENTINEL_NAME: the Sentinels as host:port,host:port' });
  }
  if (env.WHATSAPP_WEB_RETRY_MAX_SECONDS < env.WHATSAPP_WEB_RETRY_MIN_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['WHATSAPP_WEB_RETRY_MAX_SECONDS'], message: 'must not be below WHATSAPP_WEB_RETRY_MIN_SECONDS' });
  }
});

export type Config = z.infer<typeof envSchema>;

/** Names of all variables, for the check that `.env.example` documents each. */
export function envNames(): string[] {
  return Object.keys(envSchema.shape);
}

/** Whether cookies carry `Secure`: COOKIE_SECURE when set, otherwise only in production. */
export function cookieSecure(config: Pick<Config, 'COOKIE_SECURE' | 'NODE_ENV'>): boolean {
  return config.COOKIE_SECURE ?? config.NODE_ENV === 'production';
}

/** Thrown at start when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
}

/** Parses the environment once; everything else receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = checkedSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const name = String(i.path[0]);
      // Never echo secrets into logs.
      const shown = /TOKEN|SECRET|PASSWORD|KEY/.test(name) ? '(hidden)' : JSON.stringify(cleaned[name] ?? null);
      return `  ${name}: ${i.message} (got ${shown})`;
    });
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
