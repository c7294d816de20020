import { afterEach } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { DeliveryReport } from '../../src/reminders/outbox.js';
import { MONDAY_9AM, silentLogger, startTestApp, testReminders } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

export { recordingNotifier, type Sent } from '../recording-notifier.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The whole app on a steerable clock, plus a delivery runtime on the same Redis prefix that reads
 * bookings and incidents at send time (call `runtime.start` when the test wants delivery).
 */
export async function setupNotices(clock = new ManualClock(MONDAY_9AM)) {
  const app = await startTestApp({ SURVEY_DELAY_MINUTES: '0' }, clock);
  const rec = recordingNotifier();
  app.notifiers.register(rec.notifier);
  const reports: DeliveryReport[] = [];
  const runtime = testReminders(app, {
      rules: { nearAhead: 0, nearMinutes: 0, surveyDelayMs: 0 },
    clock,
    logger: silentLogger,
    backoffMs: 100,
    lookups: { bookings: app.appointments.store, incidents: app.incidents.store },
    onReport: (r) => reports.push(r),
  });
  cleanups.push(async () => {
    await runtime.close();
    await app.close();
  });
  return { app, runtime, clock, sent: rec.sent, reports };
}


/** Tuesday 24 Nov 2026, the day after MONDAY_9AM, at a local (WIB, UTC+7) time. */
export const tuesdayAt = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00+07:00`);

export { until } from '../helpers.js';
