import { describe, expect, it } from 'vitest';
import { firstResponseMs } from '../../src/desk/conversation.js';
import { maskTokens } from '../../src/privacy/mask.js';
import { citizen, HOUR, MINUTE, testDesk } from './support.js';

/** Saturday 28 Nov 2026, 13:00 WIB: the demo MPP closed at 12:00 and opens Monday 08:00. */
const SATURDAY_1PM = new Date('2026-11-28T06:00:00Z');
const NEXT_MONDAY_8AM = new Date('2026-11-30T01:00:00Z');

describe('a hand-over from open to hand-back', () => {
  it('opens once per citizen, holds them, and keeps masked texts, context and the address with a TTL', async () => {
    const { desk, redis, prefix } = await testDesk();
    const me = citizen('tg-55501', 'telegram');
    expect(await desk.isHeld(me)).toBe(false);
    const opened = await desk.open({
      citizen: me,
      locale: 'id',
      text: 'mau tanya, NIK saya 3174012345670001 hp 0812-3456-7890',
      context: { serviceId: 'polri-skck-baru', ticketNumber: 'B-004', turns: [{ from: 'citizen', text: 'skck email saya a@b.co.id' }, { from: 'bot', text: 'Persyaratan SKCK…' }] },
    });
    expect(opened).toMatchObject({ created: true, deskOpen: true, replyEstimate: { measured: false } });
    expect(opened.handover).toMatchObject({ state: 'waiting', channel: 'telegram', locale: 'id', context: { serviceId: 'polri-skck-baru', ticketNumber: 'B-004' } });
    expect(opened.handover.context.turns![0]!.text).toBe(`skck email saya ${maskTokens.email}`);
    expect(await desk.isHeld(me)).toBe(true);
    expect(await desk.isHeld(citizen('tg-55501', 'webchat'))).toBe(false);
    const again = await desk.open({ citizen: me, locale: 'id', text: 'halo?' });
    expect(again.created).toBe(false);
    expect(again.handover.id).toBe(opened.handover.id);
    // The list names service and ticket; the words (bot turns, messages) are only in the audited view.
    const [listed] = (await desk.list()).waiting;
    expect(listed!.context).toEqual({ serviceId: 'polri-skck-baru', ticketNumber: 'B-004' });
    expect(await desk.audit.entries()).toEqual([]);
    const [first, second] = (await desk.view(opened.handover.id, 'ani')).messages;
    expect(second).toMatchObject({ from: 'citizen', text: 'halo?' });
    expect(first).toMatchObject({ from: 'citizen', text: `mau tanya, NIK saya ${maskTokens.nik} hp ${maskTokens.phone}` });
    // The address is there to reply, with an expiry; no key or value names the chat id in clear but that field.
    const key = desk.keys.conversation(opened.handover.id);
    expect(await redis.hget(key, 'to')).toBe('tg-55501');
    expect(await redis.ttl(key)).toBeGreaterThan(29 * 86_400);
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.join(' ')).not.toContain('55501');
  });

  it('logs citizen messages while held and hands back on "menu", telling the address once and forgetting it', async () => {
    const { desk, redis } = await testDesk();
    const me = citizen('wc-1');
    expect(await desk.citizenMessage(me, 'halo')).toBeUndefined();
    const { handover } = await desk.open({ citizen: me, locale: 'en' });
    const msg = await desk.citizenMessage(me, 'my email is me@example.com');
    expect(msg).toMatchObject({ message: { from: 'citizen', text: `my email is ${maskTokens.email}` }, release: [], address: me });
    const back = await desk.handBackByCitizen(me);
    expect(back).toMatchObject({ id: handover.id, outcome: 'returned', reason: 'citizen', address: me, locale: 'en' });
    expect(await desk.isHeld(me)).toBe(false);
    expect(await desk.citizenMessage(me, 'are you there?')).toBeUndefined();
    expect(await redis.hget(desk.keys.conversation(handover.id), 'to')).toBeNull();
    expect((await desk.get(handover.id))!.state).toBe('returned');
    expect(await desk.handBackByCitizen(me)).toBeUndefined();
    // A new request opens a new conversation.
    const next = await desk.open({ citizen: me, locale: 'en' });
    expect(next.created).toBe(true);
    expect(next.handover.id).not.toBe(handover.id);
  });

  it('closes as resolved only by the officer holding it', async () => {
    const { desk } = await testDesk();
    const { handover } = await desk.open({ citizen: citizen('wc-2'), locale: 'id' });
    await expect(desk.close(handover.id, 'ani')).rejects.toMatchObject({ code: 'not_claimed' });
    await desk.claim(handover.id, 'ani');
    await expect(desk.close(handover.id, 'budi')).rejects.toMatchObject({ code: 'claimed_by_other' });
    expect(await desk.close(handover.id, 'ani')).toMatchObject({ outcome: 'closed', address: citizen('wc-2') });
    expect(await desk.isHeld(citizen('wc-2'))).toBe(false);
    await expect(desk.close(handover.id, 'ani')).rejects.toMatchObject({ code: 'conversation_ended' });
  });

  it('hands back a claimed conversation after the idle timeout, measured from the last message either way', async () => {
    const { desk, clock } = await testDesk({ options: { idleTimeoutMs: 30 * MINUTE } });
    const quiet = (await desk.open({ citizen: citizen('quiet'), locale: 'id' })).handover;
    const talking = (await desk.open({ citizen: citizen('talking'), locale: 'id' })).handover;
    const waiting = (await desk.open({ citizen: citizen('waiting'), locale: 'id' })).handover;
    await desk.reply(quiet.id, 'ani', 'Halo');
    await desk.reply(talking.id, 'ani', 'Halo');
    clock.advance(20 * MINUTE);
    await desk.citizenMessage(citizen('talking'), 'sebentar ya');
    clock.advance(10 * MINUTE - 1);
    expect(await desk.sweep()).toEqual([]);
    clock.advance(1);
    const swept = await desk.sweep();
    expect(swept).toEqual([{ id: quiet.id, outcome: 'returned', reason: 'timeout', address: citizen('quiet'), locale: 'id' }]);
    expect(await desk.isHeld(citizen('quiet'))).toBe(false);
    expect(await desk.isHeld(citizen('talking'))).toBe(true);
    // A second sweep (a duplicate job) finds nothing more.
    expect(await desk.sweep()).toEqual([]);
    clock.advance(20 * MINUTE);
    expect((await desk.sweep()).map((r) => r.id)).toEqual([talking.id]);
    // Waiting conversations are never dropped by default, however long they wait.
    clock.advance(48 * HOUR);
    expect(await desk.sweep()).toEqual([]);
    expect((await desk.get(waiting.id))!.state).toBe('waiting');
  });

  it('does not hand back a conversation that moved between listing and the sweep', async () => {
    const { desk, clock, redis } = await testDesk({ options: { idleTimeoutMs: 30 * MINUTE } });
    const { handover } = await desk.open({ citizen: citizen('late'), locale: 'id' });
    await desk.claim(handover.id, 'ani');
    clock.advance(31 * MINUTE);
    // The sweep read "idle" from the set, then the citizen wrote before the script ran.
    await redis.hset(desk.keys.conversation(handover.id), 'lastActivityAt', clock.now().getTime());
    expect(await desk.sweep()).toEqual([]);
    expect(await desk.isHeld(citizen('late'))).toBe(true);
  });

  it('keeps a hand-over opened in closed hours waiting, shows it first when the desk opens, and times first response from the opening', async () => {
    const clockStart = SATURDAY_1PM;
    const { desk, clock } = await testDesk({ options: { waitingTimeoutMs: 2 * HOUR } });
    clock.set(clockStart);
    const night = await desk.open({ citizen: citizen('weekend'), locale: 'id', text: 'Apakah hari Senin buka?' });
    expect(night).toMatchObject({ deskOpen: false, opensAt: NEXT_MONDAY_8AM });
    expect(night.handover.visibleAt).toBe(NEXT_MONDAY_8AM.getTime());
    clock.set(new Date(NEXT_MONDAY_8AM.getTime() - MINUTE));
    expect(await desk.sweep()).toEqual([]);
    clock.set(new Date(NEXT_MONDAY_8AM.getTime() + 5 * MINUTE));
    const morning = await desk.open({ citizen: citizen('monday'), locale: 'id' });
    expect(morning.deskOpen).toBe(true);
    expect((await desk.list()).waiting.map((h) => h.id)).toEqual([night.handover.id, morning.handover.id]);
    expect(await desk.sweep()).toEqual([]);
    await desk.reply(night.handover.id, 'ani', 'Selamat pagi, hari Senin kami buka pukul 08.00.');
    expect(firstResponseMs((await desk.get(night.handover.id))!)).toBe(5 * MINUTE);
    expect(firstResponseMs(morning.handover)).toBeUndefined();
    // Nobody answers "monday" for two hours of open desk: it goes back, and the citizen is told
    // (the answered one went quiet too, and times out as any claimed conversation does).
    clock.set(new Date(NEXT_MONDAY_8AM.getTime() + 2 * HOUR + 5 * MINUTE));
    expect(await desk.sweep()).toEqual([
      { id: night.handover.id, outcome: 'returned', reason: 'timeout', address: citizen('weekend'), locale: 'id' },
      { id: morning.handover.id, outcome: 'returned', reason: 'unanswered', address: citizen('monday'), locale: 'id' },
    ]);
  });

  it('does not drop a request left at closing time when the desk opens the next morning', async () => {
    const { desk, clock } = await testDesk({ options: { waitingTimeoutMs: 2 * HOUR } });
    clock.set(new Date('2026-11-23T07:50:00Z')); // Monday 14:50 WIB, closes 15:00
    const { handover } = await desk.open({ citizen: citizen('closing-time'), locale: 'id' });
    clock.set(new Date('2026-11-24T01:05:00Z')); // Tuesday 08:05 WIB
    expect(await desk.sweep()).toEqual([]);
    expect((await desk.list()).waiting.map((h) => h.id)).toEqual([handover.id]);
    clock.set(new Date('2026-11-24T03:00:00Z')); // Tuesday 10:00 WIB: two open hours without an answer
    expect((await desk.sweep()).map((r) => [r.id, r.reason])).toEqual([[handover.id, 'unanswered']]);
  });

  it('erases a citizen\'s conversations on request, figures aside', async () => {
    const { desk, redis, prefix } = await testDesk();
    const me = citizen('forget-me');
    const { handover } = await desk.open({ citizen: me, locale: 'id', text: 'halo' });
    await desk.reply(handover.id, 'ani', 'halo juga');
    expect(await desk.erase(me.channel, me.userKey)).toBe(1);
    expect(await desk.get(handover.id)).toBeUndefined();
    expect(await desk.isHeld(me)).toBe(false);
    expect((await desk.list()).claimed).toEqual([]);
    const left = await redis.keys(`${prefix}:*`);
    expect(left.length).toBeGreaterThan(0);
    // Figures and the event stream (ids and states, no texts) stay.
    expect(left.every((k) => /:(stats|frt):|:events$/.test(k))).toBe(true);
  });
});
