import { workingCalendar } from '../../src/complaints/deadlines.js';
import { Pickups } from '../../src/pickup/pickups.js';
import { PickupStore } from '../../src/pickup/store.js';
import type { NoticeJob, NoticeRef } from '../../src/reminders/kinds.js';
import type { NoticeOutbox } from '../../src/reminders/notice-outbox.js';
import { testQueue, testRedis } from '../helpers.js';

/** The notice port as the pickups see it, recording what they schedule and withdraw (delivery is tested end to end elsewhere). */
export function recordingOutbox() {
  const scheduled: Array<{ channel: string; job: NoticeJob; delayMs: number }> = [];
  const withdrawn: Array<{ channel: string; ref: NoticeRef }> = [];
  const outbox: NoticeOutbox = {
    schedule: (channel, job, delayMs = 0) => {
      scheduled.push({ channel, job, delayMs });
      return Promise.resolve();
    },
    withdraw: (channel, ref) => {
      withdrawn.push({ channel, ref });
      return Promise.resolve();
    },
  };
  return { outbox, scheduled, withdrawn };
}

/** A real queue and real pickups on the demo catalogue, with a fresh prefix and a steerable clock. */
export async function pickupSetup(opts: { remindAfterDays?: number; keepDays?: number; maxDays?: number } = {}) {
  const redis = testRedis();
  const { queue, clock, prefix, catalogue } = await testQueue({ redis });
  const store = new PickupStore(redis, prefix, { keepDays: opts.keepDays ?? 7, maxDays: opts.maxDays ?? 90 });
  const rec = recordingOutbox();
  const pickups = new Pickups(store, catalogue, workingCalendar(catalogue.mpp), rec.outbox, clock, { remindAfterDays: opts.remindAfterDays ?? 7 });
  /** A citizen on `channel` takes a ticket, is called and served: the finished ticket. */
  const serve = async (serviceId: string, counter: string, citizen?: { channel: string; userKey: string }) => {
    const { ticket } = await queue.take({ serviceId, ...(citizen ? { citizen } : {}), source: 'test' });
    await queue.callNext(counter);
    return queue.act(ticket.id, 'done');
  };
  return { redis, queue, clock, prefix, catalogue, store, pickups, serve, ...rec };
}

export const PASSPORT = 'imigrasi-paspor-baru';
export const KTP = 'dukcapil-ktp-el-baru';
export const SKCK = 'polri-skck-baru';
