import { describe, expect, it } from 'vitest';
import { loadUnderstandingData } from '../../src/understanding/load.js';
import { LanguageDetector } from '../../src/understanding/language.js';
import { languageSet } from './language-set.js';
import { read } from './fixture.js';

async function detector(): Promise<LanguageDetector> {
  return new LanguageDetector((await loadUnderstandingData('content')).intents.language);
}

describe('language of one short message', () => {
  it('the labelled set has at least 150 messages in both languages', () => {
    expect(languageSet.length).toBeGreaterThanOrEqual(150);
    expect(languageSet.filter(([, l]) => l === 'en').length).toBeGreaterThanOrEqual(70);
  });

  it('is right on at least 95% of the labelled set, with an Indonesian fallback', async () => {
    const d = await detector();
    const wrong = languageSet.filter(([text, lang]) => d.detect(text, 'id') !== lang);
    const accuracy = 1 - wrong.length / languageSet.length;
    expect(accuracy, `wrong: ${wrong.map(([t]) => t).join(' | ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps the conversation language when a message has no evidence', async () => {
    const d = await detector();
    expect(d.detect('paspor', 'en')).toBe('en');
    expect(d.detect('paspor', 'id')).toBe('id');
    expect(d.detect('123', 'en')).toBe('en');
    expect(d.detect('ok', 'en')).toBe('en');
  });

  it('a short English message with no locale hint is English', async () => {
    expect((await read('hello, how do I get a police clearance certificate?')).language).toBe('en');
    expect((await read('what time do you open on saturday')).language).toBe('en');
    expect((await read('jumat buka sampai jam brp')).language).toBe('id');
    expect((await read('paspor', { locale: 'en' })).language).toBe('en');
  });
});
