import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ChannelUnavailableError, PermanentDeliveryError, type ChannelNotifier } from '../../src/reminders/notifier.js';
import type { DeliveryReport } from '../../src/reminders/outbox.js';
import { MONDAY_9AM, allText, silentLogger, startTestApp, testRedis, until, testReminders, takeTicketInChat } from '../helpers.js';
import { recordingNotifier, remindersSettled } from '../recording-notifier.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(notifier: ChannelNotifier, extra: { holdMs?: number } = {}) {
  const clock = new ManualClock(MONDAY_9AM);
  const app = await startTestApp({ SURVEY_DELAY_MINUTES: '0' }, clock);
  app.notifiers.register(notifier);
  const reports: DeliveryReport[] = [];
  const runtime = testReminders(app, {
      rules: { nearAhead: 2, nearMinutes: 1, surveyDelayMs: 0 },
    clock,
    logger: silentLogger,
    backoffMs: 100,
    holdMs: extra.holdMs ?? 200,
    onReport: (r) => reports.push(r),
  });
  cleanups.push(async () => {
    await runtime.close();
    await app.close();
  });
  return { app, runtime, clock, reports };
}

async function takeViaChat(app: Awaited<ReturnType<typeof startTestApp>>, userKey: string, query = 'syarat perpanjang skck') {
  const card = await takeTicketInChat(app.engine, { channel: 'test', userKey }, query);
  expect(allText(card)).toContain('Nomor antrean');
  return (await app.queue.activeTickets('test', userKey))[0]!;
}


describe('reminders', () => {
  it('tells the citizen "silakan ke loket" when their ticket is called, on the channel they used', async () => {
    const rec = recordingNotifier();
    const { app, runtime } = await setup(rec.notifier);
    await runtime.start({ scheduler: true });
    const ticket = await takeViaChat(app, 'citizen-called');
    await app.queue.callNext('loket-4');
    await until(() => rec.sent.length === 1);
    expect(rec.sent[0]!.to).toBe('citizen-called');
    expect(rec.sent[0]!.message.text).toContain(`Nomor ${ticket.number} dipanggil`);
    expect(rec.sent[0]!.message.text).toContain('Loket 4 Polres');
  });

  it('tells a transferred ticket again when it is called again: each call is its own notice', async () => {
    const rec = recordingNotifier();
    const { app, runtime } = await setup(rec.notifier);
    await runtime.start({ scheduler: true });
    const ticket = await takeViaChat(app, 'citizen-transferred');
    await app.queue.callNext('loket-4');
    await until(() => rec.sent.length === 1);
    await app.queue.transfer(ticket.id, 'polri-skck-perpanjangan');
    expect((await app.queue.callNext('loket-4'))?.id).toBe(ticket.id);
    await until(() => rec.sent.length === 2);
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.sent.map((s) => s.message.text).filter((t) => t.includes(`Nomor ${ticket.number} dipanggil`))).toHaveLength(2);
  });

  it('sends one notice even when the same event is handled twice (two processes)', async () => {
    const rec = recordingNotifier();
    const { app, runtime } = await setup(rec.notifier);
    await takeViaChat(app, 'citizen-dup');
    const called = (await app.queue.callNext('loket-4'))!;
    const event = { id: '1-1', type: 'called' as const, ticket: called.id, number: called.number, service: called.serviceId, status: 'called', counter: 'loket-4', at: Date.now() };
    const { ReminderScheduler } = await import('../../src/reminders/scheduler.js');
    const scheduler = new ReminderScheduler(testRedis(), app.queue, runtime.outbox, { nearAhead: 0, nearMinutes: 0, surveyDelayMs: 0 }, new ManualClock(MONDAY_9AM), silentLogger);
    await scheduler.handle(event);
    await scheduler.handle(event);
    await runtime.start({ scheduler: false });
    await until(() => rec.sent.length >= 1);
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.sent).toHaveLength(1);
  });

  it('reminds "N lagi" once when the line moves, and the citizen can answer "saya terlambat" once', async () => {
    const rec = recordingNotifier();
    const { app, runtime, clock } = await setup(rec.notifier);
    await runtime.start({ scheduler: true });
    for (let i = 0; i < 4; i++) await app.queue.take({ serviceId: 'polri-skck-perpanjangan', citizen: { channel: 'api', userKey: `walk-in-${i}` }, source: 'test' });
    const mine = await takeViaChat(app, 'citizen-near');
    clock.advance(5 * 60_000);
    for (let i = 0; i < 2; i++) {
      const served = (await app.queue.callNext('loket-4'))!;
      await app.queue.act(served.id, 'done');
    }
    await until(() => rec.sent.some((s) => s.message.text.includes('Giliran Anda sudah dekat')));
    const near = rec.sent.find((s) => s.message.text.includes('Giliran Anda sudah dekat'))!;
    expect(near.message.text).toContain(mine.number);
    expect(near.message.choices?.map((c) => c.id)).toEqual(['on-my-way', 'late', 'cancel-ticket', 'menu']);
    // The line moves again: no second "N lagi".
    const second = (await app.queue.callNext('loket-4'))!;
    await app.queue.act(second.id, 'done');
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.sent.filter((s) => s.message.text.includes('sudah dekat'))).toHaveLength(1);
    // Answer with the option's number, as on WhatsApp.
    const late = await app.engine.handle({ channel: 'test', userKey: 'citizen-near', text: '2' });
    expect(allText(late)).toMatch(/dimundurkan|tetap berlaku/);
    const again = await app.engine.handle({ channel: 'test', userKey: 'citizen-near', choice: 'late' });
    expect(allText(again)).not.toContain('dimundurkan 3');
  });

  it('sends nothing for a ticket cancelled before the notice goes out', async () => {
    const rec = recordingNotifier();
    const { app, runtime, reports } = await setup(rec.notifier);
    const ticket = await takeViaChat(app, 'citizen-stale');
    await runtime.outbox.schedule('test', { ticketId: ticket.id, kind: 'called', n: 0, eventAt: Date.now() });
    await app.queue.cancelOwn(ticket.id, 'test', 'citizen-stale');
    await runtime.start({ scheduler: false });
    await until(() => reports.some((r) => r.outcome === 'stale'));
    expect(rec.sent).toHaveLength(0);
  });

  it('retries a failing send with backoff and delivers once', async () => {
    const rec = recordingNotifier({ fail: (n) => (n <= 2 ? new Error('timeout') : undefined) });
    const { app, runtime } = await setup(rec.notifier);
    await runtime.start({ scheduler: true });
    await takeViaChat(app, 'citizen-retry');
    await app.queue.callNext('loket-4');
    await until(() => rec.sent.length === 1);
    expect(rec.calls()).toBe(3);
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.sent).toHaveLength(1);
  });

  it('records a permanent failure (bot blocked) and does not retry it', async () => {
    const rec = recordingNotifier({ fail: () => new PermanentDeliveryError('Forbidden: bot was blocked by the user') });
    const { app, runtime, reports } = await setup(rec.notifier);
    await runtime.start({ scheduler: true });
    await takeViaChat(app, 'citizen-blocked');
    await app.queue.callNext('loket-4');
    await until(() => reports.some((r) => r.outcome === 'permanent'));
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.calls()).toBe(1);
    expect(await testRedis().hget(runtime.failuresKey, 'test')).toBe('1');
  });

  it('holds notices while the channel is down and delivers them once it is back', async () => {
    let ready = false;
    const rec = recordingNotifier({ isReady: () => ready });
    const { app, runtime, reports } = await setup(rec.notifier, { holdMs: 150 });
    await runtime.start({ scheduler: true });
    await takeViaChat(app, 'citizen-held');
    await app.queue.callNext('loket-4');
    await until(() => reports.some((r) => r.outcome === 'held'));
    expect(rec.sent).toHaveLength(0);
    ready = true;
    await until(() => rec.sent.length === 1);
    await remindersSettled(runtime, app.queue.eventStream);
    expect(rec.sent).toHaveLength(1);
  });

  it('treats ChannelUnavailableError from send like a channel that is down', async () => {
    const rec = recordingNotifier({ fail: (n) => (n === 1 ? new ChannelUnavailableError('session lost') : undefined) });
    const { app, runtime } = await setup(rec.notifier, { holdMs: 100 });
    await runtime.start({ scheduler: true });
    await takeViaChat(app, 'citizen-unavailable');
    await app.queue.callNext('loket-4');
    await until(() => rec.sent.length === 1);
    expect(rec.calls()).toBe(2);
  });

  it('respects the channel rate limit: a burst is spread out and none is dropped', async () => {
    const rec = recordingNotifier({ rate: { max: 4, durationMs: 500 } });
    const { app, runtime } = await setup(rec.notifier);
    // Twelve tickets closed as no-show, then their notices all at once.
    const burst = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const { ticket } = await app.queue.take({ serviceId: 'dukcapil-kk-baru', citizen: { channel: 'test', userKey: `burst2-${i}` }, source: 'test' });
        return ticket;
      }),
    );
    for (const t of burst) await app.queue.callNext(['loket-1', 'loket-2'][burst.indexOf(t) % 2]!).then((c) => c && app.queue.act(c.id, 'no-show'));
    const noShows = (await Promise.all(burst.map((t) => app.queue.get(t.id)))).filter((t) => t?.status === 'no-show');
    for (const t of noShows) await runtime.outbox.schedule('test', { ticketId: t!.id, kind: 'no-show', n: 0, eventAt: Date.now() });
    const start = Date.now();
    await runtime.start({ scheduler: false });
    await until(() => rec.sent.length === noShows.length, 10_000);
    expect(noShows.length).toBe(12);
    // 12 messages at 4 per 500 ms take at least 1 s.
    expect(rec.sent.at(-1)!.at - start).toBeGreaterThanOrEqual(1000);
    expect(new Set(rec.sent.map((s) => s.to)).size).toBe(12);
  });

  it('loses nothing when the worker stops and another starts', async () => {
    const rec = recordingNotifier();
    const { app, runtime } = await setup(rec.notifier);
    const tickets = [];
    for (let i = 0; i < 3; i++) tickets.push((await app.queue.take({ serviceId: 'djp-npwp', citizen: { channel: 'test', userKey: `restart-${i}` }, source: 'test' })).ticket);
    for (const t of tickets) {
      await app.queue.callNext('loket-7');
      await app.queue.act(t.id, 'no-show');
      await runtime.outbox.schedule('test', { ticketId: t.id, kind: 'no-show', n: 0, eventAt: Date.now() });
    }
    await runtime.close(); // nothing was processed yet
    const next = testReminders(app, {
      rules: { nearAhead: 2, nearMinutes: 1, surveyDelayMs: 0 },
      clock: new ManualClock(MONDAY_9AM),
      logger: silentLogger,
    });
    cleanups.push(() => next.close());
    await next.start({ scheduler: false });
    await until(() => rec.sent.length === 3);
    expect(rec.sent.map((s) => s.message.text).join()).toContain('tidak hadir');
  });
});
