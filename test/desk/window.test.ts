import { describe, expect, it } from 'vitest';
import { maskTokens } from '../../src/privacy/mask.js';
import { citizen, HOUR, MINUTE, testDesk } from './support.js';

const WA = (key: string) => citizen(key, 'whatsapp-cloud');

describe('the WhatsApp Cloud 24-hour window', () => {
  it('counts down from the citizen\'s last message and reopens when they write', async () => {
    const { desk, clock } = await testDesk();
    const { handover } = await desk.open({ citizen: WA('6281200000001'), locale: 'id', text: 'halo' });
    expect(desk.windowRemaining(handover)).toBe(24 * HOUR);
    clock.advance(23 * HOUR + 30 * MINUTE);
    expect((await desk.view(handover.id, 'ani')).windowRemainingMs).toBe(30 * MINUTE);
    clock.advance(31 * MINUTE);
    expect(desk.windowRemaining((await desk.get(handover.id))!)).toBe(0);
    await desk.citizenMessage(WA('6281200000001'), 'masih ada?');
    expect(desk.windowRemaining((await desk.get(handover.id))!)).toBe(24 * HOUR);
  });

  it('has no window on other channels: replies days later are sent at once', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 10 * 24 * HOUR } });
    const { handover } = await desk.open({ citizen: citizen('tg-9', 'telegram'), locale: 'id' });
    expect(desk.windowRemaining(handover)).toBeUndefined();
    clock.advance(3 * 24 * HOUR);
    expect((await desk.reply(handover.id, 'ani', 'Maaf baru dibalas')).delivery).toBe('pending');
    expect((await desk.view(handover.id, 'ani')).windowRemainingMs).toBeUndefined();
  });

  it('queues replies outside the window, asks for one template, and releases them unmasked when the citizen writes', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 48 * HOUR } });
    const me = WA('6281200000002');
    const { handover } = await desk.open({ citizen: me, locale: 'id', text: 'tolong dibantu' });
    const inside = await desk.reply(handover.id, 'ani', 'Baik, kami cek dulu.');
    expect(inside).toMatchObject({ delivery: 'pending', templateNeeded: false });
    clock.advance(24 * HOUR);
    const late = await desk.reply(handover.id, 'ani', 'Sudah bisa diambil. Hubungi loket di 021-5551234 atau 0812-1111-2222.');
    expect(late).toMatchObject({ delivery: 'queued_for_template', templateNeeded: true, address: me });
    const later = await desk.reply(handover.id, 'ani', 'Kami tunggu kedatangan Anda.');
    expect(later).toMatchObject({ delivery: 'queued_for_template', templateNeeded: false });
    expect((await desk.get(handover.id))!.queuedReplies).toBe(2);
    let view = await desk.view(handover.id, 'ani');
    expect(view.messages.filter((m) => m.from === 'officer').map((m) => m.delivery)).toEqual(['pending', 'queued_for_template', 'queued_for_template']);
    // The log is masked; what the citizen will receive is not.
    expect(view.messages.find((m) => m.id === late.message.id)!.text).toContain(maskTokens.phone);
    const back = await desk.citizenMessage(me, 'iya pak');
    expect(back!.release).toEqual([
      { id: late.message.id, text: 'Sudah bisa diambil. Hubungi loket di 021-5551234 atau 0812-1111-2222.' },
      { id: later.message.id, text: 'Kami tunggu kedatangan Anda.' },
    ]);
    expect(back!.handover.queuedReplies).toBe(0);
    view = await desk.view(handover.id, 'ani');
    expect(view.messages.filter((m) => m.from === 'officer').map((m) => m.delivery)).toEqual(['pending', 'pending', 'pending']);
    // Released once: the next message releases nothing.
    expect((await desk.citizenMessage(me, 'terima kasih'))!.release).toEqual([]);
    // A new closed window asks for a template again.
    clock.advance(25 * HOUR);
    expect((await desk.reply(handover.id, 'ani', 'Ada lagi?')).templateNeeded).toBe(true);
  });

  it('keeps a conversation whose replies wait for the template past the idle timeout, up to queuedHoldMs', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 30 * MINUTE, queuedHoldMs: 72 * HOUR } });
    const me = WA('6281200000004');
    const { handover } = await desk.open({ citizen: me, locale: 'id' });
    const plain = (await desk.open({ citizen: citizen('wc-idle'), locale: 'id' })).handover;
    clock.advance(25 * HOUR);
    await desk.claim(plain.id, 'budi');
    await desk.reply(handover.id, 'ani', 'Dokumen Anda sudah jadi.');
    clock.advance(2 * HOUR);
    expect((await desk.sweep()).map((r) => r.id)).toEqual([plain.id]);
    clock.advance(60 * HOUR);
    expect(await desk.sweep()).toEqual([]);
    expect((await desk.citizenMessage(me, 'baik'))!.release).toHaveLength(1);
    clock.advance(31 * MINUTE);
    expect((await desk.sweep()).map((r) => r.id)).toEqual([handover.id]);
  });

  it('keeps it no longer than queuedHoldMs when the citizen never answers', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 30 * MINUTE, queuedHoldMs: 72 * HOUR } });
    const { handover } = await desk.open({ citizen: WA('6281200000005'), locale: 'id' });
    clock.advance(25 * HOUR);
    const queued = await desk.reply(handover.id, 'ani', 'Halo?');
    clock.advance(72 * HOUR - 1);
    expect(await desk.sweep()).toEqual([]);
    clock.advance(1);
    expect((await desk.sweep()).map((r) => r.id)).toEqual([handover.id]);
    expect((await desk.view(handover.id, 'ani')).messages.find((m) => m.id === queued.message.id)!.delivery).toBe('dropped');
  });

  it('drops replies still queued when the conversation ends', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 48 * HOUR } });
    const { handover } = await desk.open({ citizen: WA('6281200000003'), locale: 'id' });
    await desk.claim(handover.id, 'ani');
    clock.advance(25 * HOUR);
    const queued = await desk.reply(handover.id, 'ani', 'Halo?');
    await desk.handBack(handover.id, 'officer', 'ani');
    const view = await desk.view(handover.id, 'ani');
    expect(view.messages.find((m) => m.id === queued.message.id)!.delivery).toBe('dropped');
    expect(view.handover.queuedReplies).toBe(0);
  });
});

describe('delivery status of officer replies', () => {
  it('records sent, failed with a code, and unreachable, and flags an unreachable citizen', async () => {
    const { desk } = await testDesk();
    const { handover } = await desk.open({ citizen: citizen('tg-403', 'telegram'), locale: 'id' });
    const a = await desk.reply(handover.id, 'ani', 'satu');
    const b = await desk.reply(handover.id, 'ani', 'dua');
    const c = await desk.reply(handover.id, 'ani', 'tiga');
    await desk.setDelivery(handover.id, a.message.id, 'sent');
    await desk.setDelivery(handover.id, b.message.id, 'failed:131047');
    await desk.setDelivery(handover.id, c.message.id, 'unreachable');
    const view = await desk.view(handover.id, 'ani');
    expect(view.messages.filter((m) => m.from === 'officer').map((m) => m.delivery)).toEqual(['sent', 'failed:131047', 'unreachable']);
    expect(view.handover.unreachable).toBe(true);
    expect((await desk.list()).claimed[0]!.unreachable).toBe(true);
    await expect(desk.setDelivery(handover.id, 'mnope', 'sent')).rejects.toMatchObject({ code: 'unknown_message' });
    // A later successful send clears the flag (the citizen unblocked the bot).
    await desk.setDelivery(handover.id, a.message.id, 'sent');
    expect((await desk.get(handover.id))!.unreachable).toBe(false);
  });
});
