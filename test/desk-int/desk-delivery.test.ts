import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphApiError } from '../../src/channels/whatsapp-cloud/graph-api.js';
import { ManualClock } from '../../src/clock.js';
import { PermanentDeliveryError } from '../../src/reminders/notifier.js';
import { allText, MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';
import { recordingNotifier } from '../recording-notifier.js';


let app: TestApp;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({ DESK_IDLE_MINUTES: '30' }, clock);
});
afterAll(async () => {
  await app?.close();
});

async function handOver(channel: string, userKey: string) {
  await app.engine.handle({ channel, userKey, text: 'halo' });
  const opened = await app.engine.handle({ channel, userKey, text: 'mau bicara dengan petugas' });
  return { text: allText(opened), handover: (await app.desk.activeFor({ channel, userKey }))! };
}

describe('desk delivery and timing', () => {
  it('marks a Telegram chat that blocked the bot as unreachable on the desk', async () => {
    app.notifiers.register(recordingNotifier({ channel: 'telegram', fail: () => new PermanentDeliveryError('telegram: Forbidden: bot was blocked by the user') }).notifier);
    const { handover } = await handOver('telegram', '424242');
    const r = await app.deskDelivery.reply(handover.id, 'petugas.x', 'Halo');
    expect(r.status).toBe('unreachable');
    expect((await app.desk.get(handover.id))!.unreachable).toBe(true);
  });

  it('records WhatsApp Cloud error 131047 as failed:131047', async () => {
    const err = new PermanentDeliveryError('re-engagement', { cause: new GraphApiError(400, 131047, 'Re-engagement message') });
    app.notifiers.register(recordingNotifier({ channel: 'whatsapp-cloud', fail: () => err }).notifier);
    const { handover } = await handOver('whatsapp-cloud', '6281200000001');
    expect((await app.deskDelivery.reply(handover.id, 'petugas.x', 'Halo')).status).toBe('failed:131047');
    const view = await app.desk.view(handover.id, 'petugas.x');
    expect(view.messages.find((m) => m.from === 'officer')!.delivery).toBe('failed:131047');
  });

  it('hands an idle conversation back on the minutely sweep and tells the citizen', async () => {
    const whatsapp = recordingNotifier({ channel: 'whatsapp-web' });
    app.notifiers.register(whatsapp.notifier);
    const { handover } = await handOver('whatsapp-web', '6281200000002@c.us');
    await app.desk.claim(handover.id, 'petugas.y');
    clock.advance(31 * 60_000);
    expect(await app.deskDelivery.sweep()).toBeGreaterThanOrEqual(1);
    expect(whatsapp.sent.map((s) => s.message.text)).toEqual([expect.stringContaining('tidak ada pesan untuk beberapa waktu')]);
    expect(await app.desk.isHeld({ channel: 'whatsapp-web', userKey: '6281200000002@c.us' })).toBe(false);
  });

  it('still lets queue notices through while the desk holds the citizen', async () => {
    const { handover } = await handOver('webchat', 'held-with-ticket');
    const { ticket } = await app.queue.take({ serviceId: 'dukcapil-kia', citizen: { channel: 'webchat', userKey: 'held-with-ticket' }, source: 'test' });
    const pushed = await app.engine.push('webchat', 'held-with-ticket', 'ticket_near', { ticket: ticket.id, notice: 'near' });
    expect(allText({ messages: pushed, locale: 'id' })).toContain(ticket.number);
    expect((await app.desk.activeFor({ channel: 'webchat', userKey: 'held-with-ticket' }))?.id).toBe(handover.id);
  });

  it('keeps a request made at night and says when the desk opens', async () => {
    clock.set(new Date('2026-11-24T15:00:00Z')); // Tuesday 22:00 WIB
    const { text, handover } = await handOver('webchat', 'night-owl');
    expect(text).toContain('Meja layanan sedang tutup');
    expect(text).toMatch(/Rabu.*08[.:]00/);
    expect(handover.state).toBe('waiting');
    expect((await app.desk.list()).waiting.map((h) => h.id)).toContain(handover.id);
  });
});
