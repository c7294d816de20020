import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, allText, choiceIds, testEngine, testPrefix } from '../helpers.js';

const user = (n = Math.random()) => ({ channel: 'test', userKey: `citizen-${n}` });

describe('conversation engine', () => {
  it('greets a new citizen and shows the main menu', async () => {
    const { engine } = await testEngine();
    const r = await engine.handle({ ...user(), text: 'halo' });
    expect(r.messages[0]!.text).toContain('asisten virtual');
    expect(choiceIds(r)).toEqual(['search', 'take', 'status', 'info', 'bookings', 'language']);
  });

  it('answers a first message that is already a question with the service card', async () => {
    const { engine } = await testEngine();
    const r = await engine.handle({ ...user(), text: 'paspor hilang gimana' });
    const text = allText(r);
    expect(text).toContain('Penggantian paspor hilang atau rusak');
    expect(text).toContain('Persyaratan');
    expect(text).toContain('☐');
    expect(r.messages.at(-1)!.card).toEqual({ kind: 'service', serviceId: 'imigrasi-paspor-hilang-rusak' });
    expect(choiceIds(r)).toEqual(['take', 'search', 'menu']);
  });

  it('offers up to three choices for an ambiguous question and opens the one picked', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    const r = await engine.handle({ ...u, text: 'syarat skck' });
    const dynamic = choiceIds(r).filter((id) => id.startsWith('s.'));
    expect(dynamic).toEqual(expect.arrayContaining(['s.polri-skck-baru', 's.polri-skck-perpanjangan']));
    expect(dynamic.length).toBeLessThanOrEqual(3);
    const card = await engine.handle({ ...u, choice: 's.polri-skck-baru' });
    expect(allText(card)).toContain('SKCK baru');
    expect(allText(card)).toContain('Rp30.000');
  });

  it('says honestly and briefly when nothing is found: at most 5 agencies or services, browse, a person, the menu', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    const r = await engine.handle({ ...u, text: 'harga emas hari ini' });
    expect(allText(r)).toContain('belum menemukan');
    expect(allText(r).split(/[.?!](\s|$)/).filter((x) => x && x.trim().length > 1).length).toBeLessThanOrEqual(3);
    const ids = choiceIds(r);
    expect(ids.filter((id) => id.startsWith('a.') || id.startsWith('s.')).length).toBeLessThanOrEqual(5);
    expect(ids).toEqual(expect.arrayContaining(['browse', 'person', 'menu']));
    expect(ids.length).toBeLessThanOrEqual(10);
    const browse = await engine.handle({ ...u, choice: 'browse' });
    expect(choiceIds(browse)).toContain('a.imigrasi');
    const agency = await engine.handle({ ...u, choice: 'a.imigrasi' });
    expect(choiceIds(agency)).toEqual(expect.arrayContaining(['s.imigrasi-paspor-baru', 's.imigrasi-paspor-penggantian', 'menu']));
    const card = await engine.handle({ ...u, choice: 's.imigrasi-paspor-baru' });
    expect(allText(card)).toContain('Paspor baru');
  });

  it('treats a number reply or the words of an option as picking it', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    const byNumber = await engine.handle({ ...u, text: '4' });
    expect(choiceIds(byNumber)).toContain('open-now');
    const byWords = await engine.handle({ ...u, text: 'alamat' });
    expect(allText(byWords)).toContain('Jl. Merdeka');
  });

  it('re-prompts politely for a stale or unknown choice and does not act on it', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    await engine.handle({ ...u, choice: 'info' });
    // "search" was offered by the menu, not by the info page: an old button.
    const stale = await engine.handle({ ...u, choice: 'search' });
    expect(allText(stale)).toContain('sudah tidak berlaku');
    expect(choiceIds(stale)).toContain('open-now');
    const forged = await engine.handle({ ...u, choice: 's.'.padEnd(300, 'x') });
    expect(allText(forged)).toContain('sudah tidak berlaku');
  });

  it('understands the global words in every state: menu, kembali, batal, bantuan, bahasa', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    await engine.handle({ ...u, choice: 'info' });
    await engine.handle({ ...u, text: 'fasilitas' });
    const back = await engine.handle({ ...u, text: 'kembali' });
    expect(choiceIds(back)).toEqual(['search', 'take', 'status', 'info', 'bookings', 'language']);
    const help = await engine.handle({ ...u, text: 'bantuan' });
    expect(allText(help)).toContain('Kata yang selalu bisa dipakai');
    const cancel = await engine.handle({ ...u, text: 'batal' });
    expect(choiceIds(cancel)).toContain('search');
    const lang = await engine.handle({ ...u, text: 'bahasa' });
    expect(choiceIds(lang)).toEqual(['lang-id', 'lang-en', 'menu']);
    const menu = await engine.handle({ ...u, text: 'MENU' });
    expect(choiceIds(menu)).toContain('take');
  });

  it('switches language any time and remembers it after the session expires', async () => {
    const { engine, clock } = await testEngine({ idleMs: 30 * 60_000 });
    const u = user();
    await engine.handle({ ...u, text: 'bahasa' });
    const en = await engine.handle({ ...u, choice: 'lang-en' });
    expect(allText(en)).toContain('I will use English');
    expect(allText(en)).toContain('How can I help');
    clock.advance(30 * 60_000 + 1);
    const later = await engine.handle({ ...u, text: 'new passport' });
    expect(allText(later)).toContain('Hello!');
    expect(allText(later)).toContain('Requirements (prepare before you come)');
  });

  it('takes the language hint of the channel for a new citizen', async () => {
    const { engine } = await testEngine();
    const r = await engine.handle({ ...user(), text: 'hi', localeHint: 'en-US' });
    expect(allText(r)).toContain('How can I help');
  });

  it('starts politely from the menu after the idle expiry instead of a stale state', async () => {
    const { engine, clock } = await testEngine({ idleMs: 30 * 60_000 });
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    await engine.handle({ ...u, choice: 'info' });
    clock.advance(30 * 60_000 + 1);
    const r = await engine.handle({ ...u, choice: 'open-now' });
    expect(allText(r)).toContain('sudah berakhir');
    expect(choiceIds(r)).toEqual(['search', 'take', 'status', 'info', 'bookings', 'language']);
  });

  it('answers "buka sekarang?" on the MPP clock: open, lunch break, Sunday', async () => {
    const clock = new ManualClock(MONDAY_9AM);
    const { engine } = await testEngine({ clock });
    const u = user();
    expect(allText(await engine.handle({ ...u, text: 'apakah mpp buka sekarang?' }))).toContain('sedang buka');
    clock.set(new Date('2026-11-23T05:15:00Z')); // 12:15 WIB
    expect(allText(await engine.handle({ ...u, text: 'buka sekarang?' }))).toContain('istirahat');
    clock.set(new Date('2026-11-29T03:00:00Z')); // Sunday
    const sunday = allText(await engine.handle({ ...u, text: 'hari ini buka gak' }));
    expect(sunday).toContain('Hari ini MPP tutup');
    expect(sunday).toContain('Senin');
  });

  it('handles two messages of one citizen in arrival order, even when they arrive at once', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    const [first, second] = await Promise.all([engine.handle({ ...u, choice: 'info' }), engine.handle({ ...u, text: 'alamat' })]);
    expect(choiceIds(first)).toContain('open-now');
    expect(allText(second)).toContain('Jl. Merdeka');
  });

  it('loses no turn when two engine instances (processes) serve the same citizen at once', async () => {
    const prefix = testPrefix();
    const a = await testEngine({ prefix, redis: new Redis(process.env.REDIS_URL!) });
    const b = await testEngine({ prefix, redis: new Redis(process.env.REDIS_URL!) });
    const u = user();
    await a.engine.handle({ ...u, text: 'menu' });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).engine.handle({ ...u, text: 'alamat' })));
    for (const r of results) expect(allText(r)).toContain('Jl. Merdeka');
  });

  it('serves different citizens concurrently without mixing their conversations', async () => {
    const { engine } = await testEngine();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => engine.handle({ channel: 'test', userKey: `many-${i}-${Math.random()}`, text: i % 2 ? 'paspor baru' : 'akta kelahiran' })),
    );
    results.forEach((r, i) => expect(allText(r)).toContain(i % 2 ? 'Paspor baru' : 'Akta kelahiran'));
  });

  it('asks a flooding citizen once to slow down and keeps serving others', async () => {
    const { engine } = await testEngine({ ratePerMinute: 5 });
    const u = user();
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await engine.handle({ ...u, text: 'halo' }));
    expect(replies.slice(0, 5).every((r) => !r.limited)).toBe(true);
    expect(replies[5]!.limited).toBe(true);
    expect(allText(replies[5]!)).toContain('terlalu cepat');
    expect(replies[6]!.messages).toEqual([]);
    const other = await engine.handle({ ...user(), text: 'halo' });
    expect(other.limited).toBeFalsy();
  });

  it('answers politely instead of failing when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true, enableOfflineQueue: false });
    down.on('error', () => undefined);
    const { engine } = await testEngine({ redis: down });
    const r = await engine.handle({ ...user(), text: 'syarat skck' });
    expect(allText(r)).toContain('sedang ada gangguan');
    down.disconnect();
  });
});
