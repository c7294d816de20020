import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection for request handling: commands fail fast (after 2 retries) while Redis is
 * down so a citizen gets a polite "coba lagi" instead of a hanging chat, and it reconnects forever.
 * BullMQ workers need their own connections with maxRetriesPerRequest null (BullMQ requirement).
 */
export function connectRedis(url: string, logger: Logger, name = 'app'): Redis {
  const redis = new Redis(url, {
    connectionName: `mpp-${name}`,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 200, 3000),
    lazyConnect: false,
  });
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message, connection: name }, 'redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis connection restored');
    down = false;
  });
  return redis;
}
