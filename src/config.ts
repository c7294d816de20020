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
  /** Requests per minute per client IP on public endpoints (web chat messages). */
  HTTP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Key for signing web chat session ids; by default one is generated and kept in Redis. */
  WEBCHAT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Port of the redis-server that `npm start` runs itself when REDIS_URL is unset. */
  LOCAL_REDIS_PORT: port.default(6380),
});

export type Config = z.infer<typeof envSchema>;

/** Names of all variables, for the check that `.env.example` documents each. */
export function envNames(): string[] {
  return Object.keys(envSchema.shape);
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
