import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the assistant reads. `.env.example` documents each one. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Key prefix so several deployments (or tests) can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only').default('mpp'),
  DATA_DIR: z.string().min(1).default('./data'),
  CONTENT_DIR: z.string().min(1).default('./content'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Idle minutes after which a conversation starts again from the menu. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Messages per minute one citizen may send before the engine asks them to slow down. */
  CHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(30),
  /** `always` turns the opening-hours check off (demos, checks); `content` uses content/mpp.yaml. */
  OPENING_HOURS: z.enum(['content', 'always']).default('content'),
  TRUST_PROXY: bool.default(false),
  /** Bearer token for the kiosk/integration JSON API (/api/tickets, /api/counters...). Unset: API off. */
  MPP_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Tickets one citizen may take per day, across services. */
  QUEUE_MAX_PER_DAY: z.coerce.number().int().min(1).max(50).default(3),
  /** A counter serves one priority ticket (lansia, disabilitas, ibu hamil, balita) after every N regular; 0 = priority first. */
  QUEUE_PRIORITY_EVERY: z.coerce.number().int().min(0).max(50).default(3),
  /** No-shows within QUEUE_NOSHOW_WINDOW_DAYS that block remote tickets for QUEUE_BLOCK_DAYS. */
  QUEUE_NOSHOW_LIMIT: z.coerce.number().int().min(1).max(50).default(2),
  QUEUE_NOSHOW_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  QUEUE_BLOCK_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Days tickets and their link to a citizen are kept; daily counts stay for reports. */
  TICKET_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Requests per minute per client IP on public endpoints (web chat messages). */
  HTTP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Key for signing web chat session ids; by default one is generated and kept in Redis. */
  WEBCHAT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Port of the redis-server that `npm start` runs itself when REDIS_URL is unset. */
  LOCAL_REDIS_PORT: port.default(6380),
  /** Hours a staff sign-in lasts (one shift); after that the person signs in again. */
  STAFF_SESSION_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /**
   * Send cookies with `Secure` (HTTPS only). Unset: on when NODE_ENV=production; set false only
   * when production runs on plain HTTP inside a closed network, or the browser drops the cookie.
   */
  COOKIE_SECURE: bool.optional(),
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
  const result = envSchema.safeParse(cleaned);
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
