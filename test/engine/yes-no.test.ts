import { describe, expect, it } from 'vitest';
import { YesNo } from '../../src/engine/words.js';
import { Translator } from '../../src/i18n.js';
import { allText, choiceIds, takeTicketInChat, testEngine } from '../helpers.js';

const user = () => ({ channel: 'test', userKey: `yesno-${Math.random()}` });

describe('short yes and no answers', () => {
  it('reads yes and no with short tails, punctuation and emoji, and nothing longer', async () => {
    const yesNo = new YesNo(await Translator.load('locales'));
    for (const t of ['ya', 'Iya kak', 'iy', 'ok!', 'Oke 👍', 'sip', 'sudah', 'udah kak', 'yes please', 'YES.']) expect(yesNo.read(t), t).toBe('yes');
    for (const t of ['tidak', 'gak', 'ga jadi deh', 'belum kak', 'blm', 'nggak 🙏', 'tidak ada', 'no', 'not yet', 'nope!']) expect(yesNo.read(t), t).toBe('no');
    for (const t of ['ya tapi saya belum punya ktp', 'paspor', 'tidak tahu syaratnya apa', '']) expect(yesNo.read(t), t).toBeUndefined();
    // Chat spellings: "gpp" (tidak apa-apa) is a go-ahead, "gajadi" a no.
    for (const t of ['gpp', 'gpp ambil aja', 'gak apa apa kak', 'ga papa']) expect(yesNo.read(t), t).toBe('yes');
    for (const t of ['gajadi', 'gajadi deh', 'gk', 'gausah', 'ga usah kak', 'ga jd', 'nanti aja', 'jangan dulu', 'skip']) expect(yesNo.read(t), t).toBe('no');
    for (const t of ['udh', 'okee', 'sipp', 'gass', 'bisa kak', 'yups']) expect(yesNo.read(t), t).toBe('yes');
  });

  it('reads a reply of signs only: a thumbs-up is yes (any skin tone, repeated), a thumbs-down no, a prayer emoji neither', async () => {
    const yesNo = new YesNo(await Translator.load('locales'));
    for (const t of ['👍', '👍🏽', '👍👍', ' 👌 ', '✅']) expect(yesNo.read(t), t).toBe('yes');
    for (const t of ['👎', '❌']) expect(yesNo.read(t), t).toBe('no');
    for (const t of ['🙏', '?', '...', '👍🙏']) expect(yesNo.read(t), t).toBeUndefined();
  });

  it('"ya saya lansia" at the take step takes a priority ticket; "ya" alone or a negated priority word takes a plain one', async () => {
    const { engine, queue } = await testEngine();
    const take = async (answer: string) => {
      const u = user();
      await engine.handle({ ...u, text: 'syarat kk baru' });
      await engine.handle({ ...u, choice: 'take' });
      expect(allText(await engine.handle({ ...u, text: answer })), answer).toMatch(/Cek dokumen 1 dari|Document check 1 of/);
      await engine.handle({ ...u, choice: 'all-ready' });
      const [ticket] = await queue!.activeTickets(u.channel, u.userKey);
      return ticket!.priority;
    };
    expect(await take('ya saya lansia')).toBe(true);
    expect(await take('iya, saya bawa balita')).toBe(true);
    expect(await take('yes, I am pregnant')).toBe(true);
    expect(await take('ya')).toBe(false);
    expect(await take('ya, bukan lansia kok')).toBe(false);
  });

  it('walks the checklist with "iya" and "belum", and takes the ticket with "ok"', async () => {
    const { engine, queue, catalogue } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'syarat perpanjang skck' });
    await engine.handle({ ...u, choice: 'take' });
    let step = await engine.handle({ ...u, text: 'ya kak' });
    expect(allText(step)).toContain('Cek dokumen 1 dari');
    step = await engine.handle({ ...u, text: 'belum' });
    expect(allText(step)).toContain('Cek dokumen 2 dari');
    const requirements = catalogue.services.get('polri-skck-perpanjangan')!.requirements;
    for (let i = 1; i < requirements.length; i++) step = await engine.handle({ ...u, text: 'sudah' });
    expect(allText(step)).toContain('belum siap');
    const card = await engine.handle({ ...u, text: 'ok' });
    expect(allText(card)).toContain('Nomor antrean');
    const [ticket] = await queue!.activeTickets(u.channel, u.userKey);
    expect(ticket!.checklist?.missing).toEqual([0]);
  });

  it('keeps a ticket on "ga jadi deh" at the cancel question, and cancels on "iya"', async () => {
    const { engine, queue } = await testEngine();
    const u = user();
    await takeTicketInChat(engine, u, 'kk baru');
    await engine.handle({ ...u, text: 'batal antrean' });
    const kept = await engine.handle({ ...u, text: 'ga jadi deh' });
    expect(allText(kept)).toContain('Antrean Anda hari ini');
    expect(await queue!.activeTickets(u.channel, u.userKey)).toHaveLength(1);
    await engine.handle({ ...u, text: 'batal antrean' });
    const done = await engine.handle({ ...u, text: 'iya' });
    expect(allText(done)).toContain('sudah dibatalkan');
  });

  it('still takes an option by its number or its words, and "tidak" where no "no" is offered is a search', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'hapus data saya' });
    const no = await engine.handle({ ...u, text: 'tidak' });
    expect(choiceIds(no)).toContain('take');
    await engine.handle({ ...u, text: 'hapus data saya' });
    const byNumber = await engine.handle({ ...u, text: '2' });
    expect(choiceIds(byNumber)).toContain('take');
  });
});
