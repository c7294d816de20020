import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src/engine/sessions.js';
import { allText, choiceIds, testEngine, testRedis, takeTicketInChat } from '../helpers.js';

describe('"hapus data saya"', () => {
  it('asks to confirm, then erases the session, the links to tickets and cancels active ones, and says what was deleted', async () => {
    const { engine, queue, prefix } = await testEngine();
    const u = { channel: 'test', userKey: `forget-${Math.random()}` };
    await takeTicketInChat(engine, u, 'kk baru');
    const [ticket] = await queue!.activeTickets(u.channel, u.userKey);
    const ask = await engine.handle({ ...u, text: 'hapus data saya' });
    expect(allText(ask)).toContain('Lanjutkan?');
    expect(choiceIds(ask)).toEqual(['forget-yes', 'menu']);
    const done = await engine.handle({ ...u, choice: 'forget-yes' });
    expect(allText(done)).toContain('tautan ke 1 nomor antrean (1 antrean aktif dibatalkan)');
    const stored = await queue!.get(ticket!.id);
    expect(stored).toMatchObject({ status: 'cancelled', subject: '', to: '', channel: '', question: '', number: ticket!.number });
    const redis = testRedis();
    expect(await redis.exists(`${prefix}:sess:{${SessionStore.subject(u.channel, u.userKey)}}`)).toBe(0);
    expect(await queue!.activeTickets(u.channel, u.userKey)).toEqual([]);
    // The next message starts a new conversation.
    expect(allText(await engine.handle({ ...u, text: 'halo' }))).toContain('asisten virtual');
  });

  it('changes nothing when the citizen says no', async () => {
    const { engine } = await testEngine();
    const u = { channel: 'test', userKey: `keep-${Math.random()}` };
    await engine.handle({ ...u, text: 'hapus data saya' });
    const no = await engine.handle({ ...u, choice: 'menu' });
    expect(choiceIds(no)).toContain('take');
  });
});
