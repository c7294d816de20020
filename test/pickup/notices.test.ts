import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, until, type TestApp } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';

const DAY = 86_400_000;
let app: TestApp;
let clock: ManualClock;
const rec = recordingNotifier({ channel: 'telegram' });

beforeAll(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({ SURVEY_DELAY_MINUTES: '0', PICKUP_REMIND_AFTER_DAYS: '3' }, clock);
  // Telegram stands for any chat channel: the notice goes through its outbox like every reminder.
  app.notifiers.register(rec.notifier);
  await app.reminders.start({ scheduler: false });
});
afterAll(async () => {
  await app.close();
});

describe('pickup notices through the outbox', () => {
  it('tells the Telegram citizen once when ready, reminds after N days, and says nothing once collected', async () => {
    const { ticket } = await app.queue.take({ serviceId: 'dukcapil-ktp-el-baru', citizen: { channel: 'telegram', userKey: '424242' }, source: 'chat' });
    await app.queue.callNext('loket-1');
    const p = (await app.pickups.recordDone(await app.queue.act(ticket.id, 'done')))!;
    await app.pickups.markReady(p.reference);
    await app.pickups.markReady(p.reference);
    await until(() => rec.sent.length >= 1);
    expect(rec.sent[0]!.to).toBe('424242');
    expect(rec.sent[0]!.message.text).toContain('KTP-el');
    expect(rec.sent[0]!.message.text).toContain('Loket Dukcapil di MPP');

    clock.advance(3 * DAY + 1000);
    expect(await app.pickups.remindUncollected()).toBe(1);
    await until(() => rec.sent.length >= 2);
    expect(rec.sent[1]!.message.text).toContain('Pengingat');
    expect(rec.sent[1]!.message.text).toContain('belum diambil');
    // The second "ready" made no second notice.
    expect(rec.sent.filter((s) => s.message.text.includes('Kabar baik'))).toHaveLength(1);

    await app.pickups.markCollected(p.reference);
    clock.advance(3 * DAY);
    expect(await app.pickups.remindUncollected()).toBe(0);
  });

  it('tells of a document at Kec. Utara with Kec. Utara\'s hours, not the main site\'s', async () => {
    clock.set(MONDAY_9AM);
    const utara = app.sites.get('kec-utara')!;
    const { ticket } = await utara.queue.take({ serviceId: 'dukcapil-ktp-el-baru', citizen: { channel: 'telegram', userKey: '7070' }, source: 'chat' });
    await utara.queue.callNext('loket-1');
    const p = (await app.pickups.recordDone(await utara.queue.act(ticket.id, 'done'), 'kec-utara'))!;
    expect(p.reference).toMatch(/^KEC-UTARA-A-001-/);
    await app.pickups.markReady(p.reference);
    await until(() => rec.sent.some((s) => s.to === '7070'));
    const text = rec.sent.find((s) => s.to === '7070')!.message.text;
    expect(text).toContain('KTP-el');
    // Kec. Utara closes at 14.00 on Mondays and on Saturdays; the main site is open till 15.00 and on Saturday morning.
    expect(text).toMatch(/Senin: 08\.00–14\.00/);
    expect(text).toMatch(/Sabtu: tutup/);
  });

  it('drops a ready notice that is late: the document was collected before it went out', async () => {
    clock.set(MONDAY_9AM);
    const { ticket } = await app.queue.take({ serviceId: 'dukcapil-ktp-el-baru', citizen: { channel: 'telegram', userKey: '555' }, source: 'chat' });
    await app.queue.callNext('loket-1');
    const p = (await app.pickups.recordDone(await app.queue.act(ticket.id, 'done')))!;
    await app.reminders.removeChannel('telegram');
    await app.pickups.markReady(p.reference);
    await app.pickups.markCollected(p.reference);
    const before = rec.sent.filter((s) => s.to === '555').length;
    app.reminders.addChannel('telegram');
    const queue = app.reminders.outbox.queue('telegram');
    // Handled, and found stale at send time.
    await until(async () => (await queue.getJob(`pickup-${p.id}-ready`))?.returnvalue === 'stale');
    expect(rec.sent.filter((s) => s.to === '555').length).toBe(before);
  });
});
