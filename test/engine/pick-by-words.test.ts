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
});
