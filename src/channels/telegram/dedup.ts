import type { Context, MiddlewareFn } from 'grammy';
import type { Redis } from 'ioredis';

/** Telegram re-delivers a webhook update for up to a day when our answer was late or lost. */
const SEEN_SECONDS = 24 * 60 * 60;

/**
 * Lets each update_id through once, across processes: a re-delivered update never runs a turn
 * twice (and so never takes a second ticket). A Redis error propagates, so the webhook answers
 * 500 and Telegram delivers the update again later.
 */
export function dedupUpdates(redis: Redis, prefix: string): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const first = await redis.set(`${prefix}:tg:upd:${ctx.update.update_id}`, '1', 'EX', SEEN_SECONDS, 'NX');
    if (first === 'OK') await next();
  };
}
