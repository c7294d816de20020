import type { Redis } from 'ioredis';
import { OpeningHours } from '../../src/catalogue/hours.js';
import { ManualClock } from '../../src/clock.js';
import { HandoverStore } from '../../src/desk/handover-store.js';
import type { DeskOptions } from '../../src/desk/options.js';
import { demoCatalogue, MONDAY_9AM, testPrefix, testRedis } from '../helpers.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A desk on the demo MPP's opening hours, its own prefix and a manual clock (Monday 09:00 WIB). */
export async function testDesk(opts: { options?: Partial<DeskOptions>; clock?: ManualClock; redis?: Redis; prefix?: string } = {}) {
  const catalogue = await demoCatalogue();
  const clock = opts.clock ?? new ManualClock(MONDAY_9AM);
  const prefix = opts.prefix ?? testPrefix();
  const redis = opts.redis ?? testRedis();
  const hours = new OpeningHours(catalogue.mpp);
  const desk = new HandoverStore(redis, prefix, clock, hours, opts.options);
  return { desk, clock, prefix, redis, hours };
}

export const citizen = (userKey: string, channel = 'webchat') => ({ channel, userKey });
