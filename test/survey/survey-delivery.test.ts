import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SurveyStore } from '../../src/survey/store.js';
import { MONDAY_9AM, allText, silentLogger, startTestApp, testRedis, until, testReminders } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

const SKCK = 'polri-skck-baru';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


describe('survey delivery after "done"', () => {
  it('sends the survey once, after the delay, and the citizen answers it in the same conversation', async () => {
    const { notifier, sent } = recordingNotifier();
    const clock = new ManualClock(MONDAY_9AM);
    const app = await startTestApp({}, clock);
    app.notifiers.register(notifier);
    const runtime = testReminders(app, {
      rules: { nearAhead: 0, nearMinutes: 0, surveyDelayMs: 300 },
      clock,
      logger: silentLogger,
    });
    cleanups.push(async () => {
      await runtime.close();
      await app.close();
    });
    await runtime.start({ scheduler: true });

    const { ticket } = await app.queue.take({ serviceId: SKCK, citizen: { channel: 'test', userKey: 'warga-s' }, source: 'test' });
    await app.queue.callNext('loket-4');
    await app.queue.act(ticket.id, 'start');
    const doneAt = Date.now();
    await app.queue.act(ticket.id, 'done');
    await until(() => sent.some((s) => s.message.text.includes('1 dari 9')));
    expect(Date.now() - doneAt).toBeGreaterThanOrEqual(300);
    expect(sent.every((s) => s.to === 'warga-s')).toBe(true);

    for (let i = 0; i < 8; i++) await app.engine.handle({ channel: 'test', userKey: 'warga-s', choice: 's3' });
    const last = await app.engine.handle({ channel: 'test', userKey: 'warga-s', text: '4' });
    expect(allText(last)).toContain('saran atau masukan');
    const store = new SurveyStore(testRedis(), app.queue.ticketSlot);
    expect((await store.days([SKCK], ticket.day)).get(SKCK)?.elements.map((e) => e.sum)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 4]);

    // The survey notice went out once (the called notice aside), and a late duplicate finds it answered.
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.filter((s) => s.message.text.includes('1 dari 9'))).toHaveLength(1);
  });
});
