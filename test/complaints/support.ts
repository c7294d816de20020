import { ManualClock } from '../../src/clock.js';
import { ComplaintStore } from '../../src/complaints/store.js';
import type { WorkingCalendar } from '../../src/complaints/deadlines.js';
import type { ComplaintTtls } from '../../src/complaints/scripts.js';
import { MONDAY_9AM, testPrefix, testRedis } from '../helpers.js';

/** Christmas and its cuti bersama, as in the demo content. */
export const calendar: WorkingCalendar = { timezone: 'Asia/Jakarta', holidays: new Set(['2026-12-24', '2026-12-25', '2027-01-01']) };

export function testComplaints(opts: { clock?: ManualClock; prefix?: string; ttls?: Partial<ComplaintTtls> } = {}) {
  const clock = opts.clock ?? new ManualClock(MONDAY_9AM);
  const prefix = opts.prefix ?? testPrefix();
  const redis = testRedis();
  return { store: new ComplaintStore(redis, prefix, clock, calendar, opts.ttls), clock, prefix, redis };
}

/** A local wall-clock time in WIB (UTC+7). */
export const wib = (date: string, hhmm = '09:00') => new Date(`${date}T${hhmm}:00+07:00`);

export const slow = { what: 'Antre 3 jam di loket SKCK', category: 'pelayanan_lambat' as const, agencyId: 'polri', anonymous: false };
