import { describe, expect, it } from 'vitest';
import { DeskError } from '../../src/desk/errors.js';
import { HandoverStore } from '../../src/desk/handover-store.js';
import { testRedis } from '../helpers.js';
import { citizen, testDesk } from './support.js';

async function rejection(p: Promise<unknown>): Promise<DeskError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeskError);
  return err as DeskError;
}

describe('claiming a hand-over', () => {
  it('lets exactly one of two officers on two connections win each claim', async () => {
    const { desk, clock, prefix, hours } = await testDesk();
    // Another process: its own connection, its own store, the same keys.
    const other = new HandoverStore(testRedis(), prefix, clock, hours);
    for (let i = 0; i < 25; i++) {
      const { handover } = await desk.open({ citizen: citizen(`race-${i}`), locale: 'id', text: 'mau bicara dengan petugas' });
      const results = await Promise.allSettled([desk.claim(handover.id, 'ani'), other.claim(handover.id, 'budi')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = (won[0] as PromiseFulfilledResult<{ officer?: string }>).value.officer!;
      expect(lost[0]!.reason).toMatchObject({ code: 'claimed_by_other', holder: winner });
      expect((await desk.get(handover.id))!.officer).toBe(winner);
    }
  });

  it('lets exactly one of two officers replying at once on a waiting conversation answer', async () => {
    const { desk, clock, prefix, hours } = await testDesk();
    const other = new HandoverStore(testRedis(), prefix, clock, hours);
    for (let i = 0; i < 10; i++) {
      const { handover } = await desk.open({ citizen: citizen(`reply-race-${i}`), locale: 'id' });
      const results = await Promise.allSettled([desk.reply(handover.id, 'ani', 'Halo, saya Ani'), other.reply(handover.id, 'budi', 'Halo, saya Budi')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const view = await desk.view(handover.id, 'supervisor');
      expect(view.messages.filter((m) => m.from === 'officer')).toHaveLength(1);
    }
  });

  it('claims an unclaimed conversation on an officer reply, and refuses a reply from another officer', async () => {
    const { desk } = await testDesk();
    const { handover } = await desk.open({ citizen: citizen('c1'), locale: 'id' });
    const first = await desk.reply(handover.id, 'ani', 'Selamat pagi, ada yang bisa dibantu?');
    expect(first).toMatchObject({ claimedNow: true, delivery: 'pending', address: { channel: 'webchat', userKey: 'c1' } });
    expect(await desk.get(handover.id)).toMatchObject({ state: 'claimed', officer: 'ani' });
    const second = await desk.reply(handover.id, 'ani', 'Silakan');
    expect(second.claimedNow).toBe(false);
    const err = await rejection(desk.reply(handover.id, 'budi', 'Saya bantu juga'));
    expect(err.code).toBe('claimed_by_other');
    expect(err.holder).toBe('ani');
    const view = await desk.view(handover.id, 'ani');
    expect(view.messages.filter((m) => m.from === 'officer').map((m) => m.officer)).toEqual(['ani', 'ani']);
  });

  it('keeps a second claim by the holder harmless and refuses claims on ended conversations', async () => {
    const { desk } = await testDesk();
    const { handover } = await desk.open({ citizen: citizen('c2'), locale: 'id' });
    await desk.claim(handover.id, 'ani');
    expect((await desk.claim(handover.id, 'ani')).officer).toBe('ani');
    await desk.handBack(handover.id, 'officer', 'ani');
    expect((await rejection(desk.claim(handover.id, 'budi'))).code).toBe('conversation_ended');
    expect((await rejection(desk.reply(handover.id, 'ani', 'halo'))).code).toBe('conversation_ended');
    expect((await rejection(desk.claim('h0123456789abcdef', 'ani'))).code).toBe('unknown_conversation');
  });

  it('releases a claim back to its place in the waiting list, and only the holder may', async () => {
    const { desk, clock } = await testDesk();
    const a = (await desk.open({ citizen: citizen('first'), locale: 'id' })).handover;
    clock.advance(60_000);
    const b = (await desk.open({ citizen: citizen('second'), locale: 'id' })).handover;
    await desk.claim(a.id, 'ani');
    expect((await desk.list()).waiting.map((h) => h.id)).toEqual([b.id]);
    expect((await rejection(desk.release(a.id, 'budi'))).code).toBe('claimed_by_other');
    expect((await rejection(desk.release(b.id, 'budi'))).code).toBe('not_claimed');
    const released = await desk.release(a.id, 'ani');
    expect(released.state).toBe('waiting');
    expect(released.officer).toBeUndefined();
    expect((await desk.list()).waiting.map((h) => h.id)).toEqual([a.id, b.id]);
    await desk.claim(a.id, 'budi');
    expect((await desk.get(a.id))!.officer).toBe('budi');
  });

  it('transfers a claim to another officer: only the holder may, and then only the new holder replies', async () => {
    const { desk } = await testDesk();
    const { handover } = await desk.open({ citizen: citizen('c3'), locale: 'en' });
    await desk.claim(handover.id, 'ani');
    expect((await rejection(desk.transfer(handover.id, 'budi', 'budi'))).code).toBe('claimed_by_other');
    expect((await desk.transfer(handover.id, 'ani', 'citra')).officer).toBe('citra');
    expect((await rejection(desk.reply(handover.id, 'ani', 'still me'))).code).toBe('claimed_by_other');
    expect((await desk.reply(handover.id, 'citra', 'Hello, I am Citra')).delivery).toBe('pending');
    const notes = (await desk.view(handover.id, 'citra')).messages.filter((m) => m.from === 'system').map((m) => `${m.text}:${m.officer ?? ''}`);
    expect(notes).toEqual(['claimed:ani', 'transferred:citra']);
  });
});
