import { describe, expect, it } from 'vitest';
import { allText, choiceIds, testEngine } from '../helpers.js';

describe('typing part of a listed option instead of tapping it', () => {
  it('"yg perpanjangan" picks the one listed service it names; a word in several names picks nothing', async () => {
    const { engine } = await testEngine();
    const u = { channel: 'test', userKey: `pick-${Math.random()}` };
    const list = await engine.handle({ ...u, text: 'syarat skck' });
    expect(allText(list)).toContain('Mana yang Anda maksud');
    expect(allText(await engine.handle({ ...u, text: 'yg perpanjangan aja kak' }))).toContain('Persyaratan');

    const other = { channel: 'test', userKey: `pick-${Math.random()}` };
    await engine.handle({ ...other, text: 'syarat skck' });
    // "skck" is in both names: still a choice to make, never a guess.
    const both = await engine.handle({ ...other, text: 'yg skck' });
    expect(allText(both)).not.toContain('Persyaratan (siapkan');
    expect(choiceIds(both)).toContain('menu');
  });

  it('"2.", "yg 2", "pilih nomor 1", "yang kedua" pick the numbered option, as WhatsApp lists them; an out-of-range number does not', async () => {
    const { engine } = await testEngine();
    for (const [typed, name] of [['2.', 'Perpanjangan SKCK'], ['yg 2', 'Perpanjangan SKCK'], ['pilih nomor 1', 'SKCK baru'], ['yang kedua', 'Perpanjangan SKCK'], ['the first one', 'SKCK']] as const) {
      const u = { channel: 'test', userKey: `num-${Math.random()}` };
      await engine.handle({ ...u, text: 'syarat skck' });
      const card = allText(await engine.handle({ ...u, text: typed }));
      expect(card, typed).toMatch(/Persyaratan|Requirements/);
      expect(card, typed).toContain(name);
    }
    const u = { channel: 'test', userKey: `num-${Math.random()}` };
    await engine.handle({ ...u, text: 'syarat skck' });
    expect(allText(await engine.handle({ ...u, text: 'yg 9' }))).not.toContain('Persyaratan (siapkan');
    // "1?" is a question about a number, not a pick.
    await engine.handle({ ...u, text: 'syarat skck' });
    expect(allText(await engine.handle({ ...u, text: '1?' }))).not.toContain('Persyaratan (siapkan');
  });
});
