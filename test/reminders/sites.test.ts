import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { composeWorker } from '../../src/compose/worker.js';
import { loadConfig } from '../../src/config.js';
import type { ConversationPort, NoticeVars } from '../../src/reminders/conversation-port.js';
import type { ReminderRuntime } from '../../src/reminders/runtime.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, allText, silentLogger, startTestApp, testPrefix, testRedis, testRedisEnv, testRedisUrl, testReminders, until, type TestApp } from '../helpers.js';
import { recordingNotifier, remindersSettled } from '../recording-notifier.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SKCK = 'polri-skck-perpanjangan';
const UTARA = 'kec-utara';

/**
 * The conversation port, recording what each notice tells the conversation (which ticket, which
 * site) and saying it back as the message, so a test sees where delivery found the ticket.
 */
function recordingConversation() {
  const pushed: Array<{ to: string; entry: string; vars: NoticeVars }> = [];
  const conversation: ConversationPort = {
    push: (_channel, to, entry, vars) => {
      pushed.push({ to, entry, vars });
      return Promise.resolve([{ text: `${entry} ${vars.ticket ?? ''} ${vars.site ?? '-'}` }]);
    },
  };
  return { conversation, pushed };
}

/**
 * The demo deployment (main + Kec. Utara) with reminders for every site, as `npm start` wires them
 * (core.ts); `conversation`: the port notices speak through (default: the real engine).
 */
async function setup(conversation?: ConversationPort, channel = 'webchat', surveyDelayMs = 0) {
  const clock = new ManualClock(MONDAY_9AM);
  const app = await startTestApp({ SURVEY_DELAY_MINUTES: '0' }, clock);
  // The web chat's notifier, recording instead of pushing to a browser.
  const rec = recordingNotifier({ channel });
  app.notifiers.register(rec.notifier);
  const runtime = testReminders(app, {
    rules: { nearAhead: 1, nearMinutes: -1, surveyDelayMs },
    sites: app.sites.list.map((s) => ({ id: s.id, queue: s.queue, bookings: s.bookings, incidents: s.incidentStore })),
    ...(conversation ? { conversation } : {}),
    clock,
    logger: silentLogger,
    backoffMs: 100,
    holdMs: 200,
  });
  cleanups.push(async () => {
    await runtime.close();
    await app.close();
  });
  await runtime.start({ scheduler: true });
  return { app, rec, runtime, clock, utara: app.sites.get(UTARA)!, main: app.sites.main };
}

/** Every site's stream read and acknowledged, and the outbox empty. */
async function settled(app: TestApp, runtime: ReminderRuntime, channel: string) {
  for (const site of app.sites.list) await remindersSettled(runtime, site.queue.eventStream, { channel });
}

describe('reminders at every site of a deployment', () => {
  /** Two walk-ins and two chat citizens at Kec. Utara; the walk-ins are served and the first chat citizen is called. */
  async function utaraMorning(utara: Site, clock: ManualClock) {
    const walkIns = [];
    for (let i = 0; i < 2; i++) walkIns.push((await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'api', userKey: `walk-in-${i}` }, source: 'test' })).ticket);
    const first = (await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-called' }, source: 'test' })).ticket;
    const second = (await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-near' }, source: 'test' })).ticket;
    clock.advance(5 * 60_000);
    for (const _ of walkIns) await utara.queue.act((await utara.queue.callNext('loket-2'))!.id, 'done');
    expect((await utara.queue.callNext('loket-2'))?.id).toBe(first.id);
    return { first, second };
  }

  it('finds a Kec. Utara ticket for its "near" and "called" notices on web chat, and names the site to the conversation', async () => {
    const port = recordingConversation();
    const { app, rec, runtime, clock, utara } = await setup(port.conversation);
    const { first, second } = await utaraMorning(utara, clock);
    await until(() => rec.sent.length >= 2);
    await settled(app, runtime, 'webchat');
    expect(port.pushed).toEqual(
      expect.arrayContaining([
        { to: 'utara-called', entry: 'ticket_called', vars: { ticket: first.id, notice: 'called', site: UTARA } },
        { to: 'utara-near', entry: 'ticket_near', vars: { ticket: second.id, notice: 'near', site: UTARA } },
      ]),
    );
    // Delivered on web chat to those two only (walk-ins from the API cannot be reached), each about their own ticket.
    const own: Record<string, string> = { 'utara-called': first.id, 'utara-near': second.id };
    expect(new Set(rec.sent.map((s) => s.to))).toEqual(new Set(Object.keys(own)));
    for (const p of port.pushed) expect(p.vars).toMatchObject({ ticket: own[p.to], site: UTARA });
  });

  it('speaks the Kec. Utara notices with that site\'s counter, and cancelling from the "next" notice cancels the Kec. Utara ticket', async () => {
    const { app, rec, runtime, clock, utara } = await setup();
    const { first, second } = await utaraMorning(utara, clock);
    // "adalah berikutnya yang dipanggil" comes first; the call itself is "Nomor C-003 dipanggil!".
    const isCall = (s: { to: string; message: { text: string } }) => s.to === 'utara-called' && s.message.text.includes(`Nomor ${first.number} dipanggil`);
    await until(() => rec.sent.some(isCall));
    const called = rec.sent.find(isCall)!;
    expect(called.message.text).toContain('Loket 2 Polsek (SKCK)');
    // Next in line after the call: "Nomor C-004 … adalah berikutnya yang dipanggil".
    const isNear = (s: { to: string; message: { text: string } }) => s.to === 'utara-near' && s.message.text.includes(`Nomor ${second.number}`);
    await until(() => rec.sent.some(isNear));
    expect(rec.sent.find(isNear)!.message.text).toMatch(/berikutnya/);
    // A reply to the notice acts on the Kec. Utara ticket, not on the main site's queue.
    // The notice's own button (a bare "batal" is the engine's word for leaving a step, at every site).
    await app.engine.handle({ channel: 'webchat', userKey: 'utara-near', choice: 'cancel-ticket' });
    const confirmed = await app.engine.handle({ channel: 'webchat', userKey: 'utara-near', text: 'ya' });
    expect(allText(confirmed)).toMatch(/dibatalkan/i);
    expect((await utara.queue.get(second.id))?.status).toBe('cancelled');
    await settled(app, runtime, 'webchat');
  });

  it('runs one scheduler per site in one process: A-001 at both sites at once, each citizen hears only of their own', async () => {
    const port = recordingConversation();
    const { app, rec, runtime, utara, main } = await setup(port.conversation);
    const [atMain, atUtara] = await Promise.all([
      main.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'main-citizen' }, source: 'test' }),
      utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-citizen' }, source: 'test' }),
    ]);
    // The same number at both sites: numbering is per site.
    expect(atUtara.ticket.number).toBe(atMain.ticket.number);
    await Promise.all([main.queue.callNext('loket-4'), utara.queue.callNext('loket-2')]);
    await until(() => rec.sent.length >= 2);
    await settled(app, runtime, 'webchat');
    expect(port.pushed.filter((p) => p.entry === 'ticket_called').sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { to: 'main-citizen', entry: 'ticket_called', vars: { ticket: atMain.ticket.id, notice: 'called', site: 'main' } },
      { to: 'utara-citizen', entry: 'ticket_called', vars: { ticket: atUtara.ticket.id, notice: 'called', site: UTARA } },
    ]);
    expect(rec.sent.map((s) => s.to).sort()).toEqual(['main-citizen', 'utara-citizen']);
  });

  it('sends nothing for a Kec. Utara ticket cancelled before its notice goes out, and still tells the next one', async () => {
    const port = recordingConversation();
    const { app, rec, runtime, utara } = await setup(port.conversation);
    const gone = (await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-stale' }, source: 'test' })).ticket;
    const next = (await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-next' }, source: 'test' })).ticket;
    // Scheduled, then the citizen cancels before delivery re-reads the ticket.
    await runtime.outbox.schedule('webchat', { ticketId: gone.id, kind: 'called', n: 1, eventAt: Date.now(), site: UTARA });
    await utara.queue.cancelOwn(gone.id, 'webchat', 'utara-stale');
    expect((await utara.queue.callNext('loket-2'))?.id).toBe(next.id);
    await until(() => rec.sent.some((s) => s.to === 'utara-next'));
    await settled(app, runtime, 'webchat');
    expect(rec.sent.filter((s) => s.to === 'utara-stale')).toHaveLength(0);
  });

  it("delivers a Kec. Utara booking's reminder: the booking is found at its site, and the site named to the conversation", async () => {
    const port = recordingConversation();
    const { rec, runtime, utara } = await setup(port.conversation);
    const booking = await utara.appointments.book('polri-skck-baru', '2026-11-24', '09:00', { channel: 'webchat', userKey: 'utara-booked' });
    // The evening-before reminder, due now instead of at 18.00.
    const job = (await runtime.outbox.queue('webchat').getJob(`booking-${booking.id}-daybefore`))!;
    await job.promote();
    // Done when the job is (the hour-before reminder stays delayed till tomorrow).
    await until(async () => (await job.getState()) === 'completed');
    expect(rec.sent.map((s) => s.to)).toEqual(['utara-booked']);
    expect(port.pushed).toEqual([{ to: 'utara-booked', entry: 'booking_reminder', vars: { booking: booking.id, notice: 'booking-daybefore', site: UTARA } }]);
  });

  it('asks the survey of a finished Kec. Utara ticket with that site named to the conversation (whose survey store takes the answer)', async () => {
    const port = recordingConversation();
    const { rec, runtime, utara } = await setup(port.conversation, 'webchat', 50);
    const { ticket } = await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-survey' }, source: 'test' });
    expect((await utara.queue.callNext('loket-2'))?.id).toBe(ticket.id);
    await utara.queue.act(ticket.id, 'done');
    await until(() => port.pushed.some((p) => p.entry === 'survey'));
    expect(port.pushed.find((p) => p.entry === 'survey')).toEqual({ to: 'utara-survey', entry: 'survey', vars: { ticket: ticket.id, notice: 'survey', site: UTARA } });
    await until(async () => (await runtime.outbox.queue('webchat').getJobCounts('waiting', 'active', 'delayed')).delayed === 0);
    expect(rec.sent.every((s) => s.to === 'utara-survey')).toBe(true);
  });

  it("tells a Kec. Utara ticket holder of that site's incident: the incident and the ticket are found at Kec. Utara", async () => {
    const port = recordingConversation();
    const { rec, utara } = await setup(port.conversation);
    const { ticket } = await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'webchat', userKey: 'utara-incident' }, source: 'test' });
    const declared = await utara.incidents.declare({ scope: { type: 'service', id: SKCK }, kind: 'sistem_offline', message: 'Sistem SKCK sedang gangguan.', offers: { cancel: false, move: false }, by: 'operator' });
    await until(() => rec.sent.some((s) => s.to === 'utara-incident'));
    expect(port.pushed).toEqual([{ to: 'utara-incident', entry: 'incident', vars: { ticket: ticket.id, notice: 'incident', incident: declared.incident.id, booking: '', site: UTARA } }]);
  });

  it('says on /readyz how each site\'s scheduler is doing', async () => {
    const { app, runtime } = await setup();
    const { readiness } = await import('../../src/http/readiness.js');
    const ready = await readiness({ redis: testRedis(), channels: {}, reminders: runtime, notifiers: app.notifiers })();
    expect(ready).toMatchObject({ degraded: false, workers: { scheduler: { state: 'consuming' }, schedulers: { main: { state: 'consuming' }, [UTARA]: { state: 'consuming' } } } });
  });

  it('labels the /metrics queue gauges with each site', async () => {
    const { app, utara } = await setup();
    await utara.queue.take({ serviceId: SKCK, citizen: { channel: 'api', userKey: 'metrics-walk-in' }, source: 'test' });
    const { metricsScrape } = await import('../../src/http/metrics-scrape.js');
    const { body } = await metricsScrape({ metrics: app.metrics, queue: app.queue, sites: app.sites.list, channelsUp: {} })();
    expect(body).toMatch(new RegExp(`mpp_tickets_waiting\\{service="${SKCK}",site="${UTARA}"\\} 1`));
    expect(body).toMatch(new RegExp(`mpp_tickets_waiting\\{service="${SKCK}",site="main"\\} 0`));
  });

  it('runs a scheduler for every site in `npm run worker` too', async () => {
    const config = loadConfig({ ...testRedisEnv(), REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent' });
    const worker = await composeWorker({ config, redisUrl: testRedisUrl(), redis: testRedis(), subscriber: testRedis(), logger: silentLogger, clock: new ManualClock(MONDAY_9AM) });
    try {
      await worker.reminders.start({ scheduler: true });
      expect(worker.reminders.schedulerHealthBySite()).toMatchObject({ main: { state: 'consuming' }, [UTARA]: { state: 'consuming' } });
    } finally {
      await worker.close();
    }
  });
});
