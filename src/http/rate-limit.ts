import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { errorBody } from './errors.js';

/**
 * Fixed-window limit per client IP, counted in Redis so all instances share it. When Redis is
 * down the request passes: the handler behind it reports the outage more helpfully than a 429.
 */
export function ipRateLimit(redis: Redis, prefix: string, name: string, perMinute: number): RequestHandler {
  return async (req, res, next) => {
    const window = Math.floor(Date.now() / 60_000);
    const key = `${prefix}:iplimit:${name}:${req.ip ?? 'unknown'}:${window}`;
    let count = 0;
    try {
      const result = await redis.multi().incr(key).pexpire(key, 61_000).exec();
      count = Number(result?.[0]?.[1] ?? 0);
    } catch {
      next();
      return;
    }
    if (count > perMinute) {
      res.setHeader('Retry-After', String(60 - Math.floor((Date.now() / 1000) % 60)));
      res.status(429).json(errorBody('rate_limited', 'Too many requests from this address. Please wait a minute.'));
      return;
    }
    next();
  };
}
