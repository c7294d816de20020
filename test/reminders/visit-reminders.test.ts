import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { parseEvent } from '../../src/queue/events.js';
import type { NoticeJob } from '../../src/reminders/kinds.js';
import { noticeJobId } from '../../src/reminders/kinds.js';
import { stillRelevant } from '../../src/reminders/notices.js';
import type { Outbox } from '../../src/reminders/outbox.js';
import { ReminderScheduler } from '../../src/reminders/scheduler.js';
import { MONDAY_9AM, silentLogger, startTestApp, testQueue, testRedis, testReminders, until } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

const SIM = 'polri-sim-perpanjangan'; // loket-5
const PAJAK = 'samsat-pajak-tahunan'; // loket-6
const me = { channel: 'test', userKey: 'warga-visit' };

/** Hands every event of the stream since `after` to the scheduler; returns the jobs it planned and the last event id. */
async function drain(scheduler: ReminderScheduler, stream: string, planned: NoticeJob[], after = '0-0') {
  let last = after;
  for (const [id, fields] of await testRedis().xrange(stream, `(${after}`, '+')) {
    await scheduler.handle(parseEvent(id, fields));
    last = id;
  }
  return last;
}

describe('reminders of a visit', () => {
  it('plans "Selanjutnya" once for the released step, and no "N lagi" for a held step', async () => {
    const { queue, clock } = await testQueue({ hoursMode: 'always' });
    const planned: NoticeJob[] = [];
    const outbox = { schedule: (_c: string, job: NoticeJob) => Promise.resolve(void planned.push(job)) } as unknown as Outbox;
    const scheduler = new ReminderScheduler(testRedis(), queue, outbox, { nearAhead: 2, nearMinutes: -1, surveyDelayMs: 0 }, clock, silentLogger);
    const { visit } = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: me, source: 'test' });
    const [sim, pajak] = visit.steps.map((s) => s.ticketId) as [string, string];
    clock.advance(120_000);
    // Something moves the Samsat line: the held step is first in it, but it is not its turn.
    const other = await queue.take({ serviceId: PAJAK, citizen: { channel: 'test', userKey: 'x' }, source: 'test' });
    await queue.callNext('loket-6');
    await queue.act(other.ticket.id, 'done');
    let last = await drain(scheduler, queue.eventStream, planned);
    expect(planned.filter((j) => j.ticketId === pajak)).toEqual([]);
    await queue.callNext('loket-5');
    await queue.act(sim, 'done');
    last = await drain(scheduler, queue.eventStream, planned, last);
    const forStep2 = planned.filter((j) => j.ticketId === pajak);
    expect(forStep2.map((j) => j.kind)).toEqual(['next-step']);
    expect(noticeJobId(forStep2[0]!)).toBe(`next-step-${pajak}`);
    // A minute later the line moves again: the citizen was just told their place, and "N lagi" comes once, later.
    expect(stillRelevant((await queue.get(pajak))!, { kind: 'next-step', n: 0 })).toBe(true);
    await queue.callNext('loket-6');
    expect(stillRelevant((await queue.get(pajak))!, { kind: 'next-step', n: 0 })).toBe(false);
    await drain(scheduler, queue.eventStream, planned, last);
    expect(planned.filter((j) => j.ticketId === pajak).map((j) => j.kind)).toEqual(['next-step', 'called']);
  });

  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tells the citizen through the reminder runtime when their next step may be called, on their channel', async () => {
    const rec = recordingNotifier();
    const clock = new ManualClock(MONDAY_9AM);
    const app = await startTestApp({ SURVEY_DELAY_MINUTES: '0' }, clock);
    app.notifiers.register(rec.notifier);
    const runtime = testReminders(app, { rules: { nearAhead: 2, nearMinutes: 1, surveyDelayMs: 0 }, clock, logger: silentLogger, backoffMs: 100, holdMs: 200 });
    cleanups.push(async () => {
      await runtime.close();
      await app.close();
    });
    await runtime.start({ scheduler: true });
    const { visit } = await app.queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: me, source: 'test' });
    const [sim, pajak] = visit.steps as [(typeof visit.steps)[0], (typeof visit.steps)[0]];
    await app.queue.callNext('loket-5');
    await until(() => rec.sent.length === 1);
    expect(rec.sent[0]!.message.text).toContain(`Nomor ${sim.number} dipanggil`);
    await app.queue.act(sim.ticketId, 'done');
    await until(() => rec.sent.length === 2);
    expect(rec.sent[1]!.to).toBe(me.userKey);
    expect(rec.sent[1]!.message.text).toContain(pajak.number);
    await app.queue.callNext('loket-6');
    await until(() => rec.sent.length === 3);
    expect(rec.sent[2]!.message.text).toContain(`Nomor ${pajak.number} dipanggil`);
  });
});
