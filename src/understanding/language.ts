import { cleanText } from '../catalogue/normalise.js';
import type { Locale } from '../message.js';

/**
 * Tells Indonesian from English in one short chat message by counting frequent words of each
 * language (content/intents.yaml `language`). Libraries built on character n-grams need more text
 * than a WhatsApp line; on our labelled set this lexicon does better (see test/understanding).
 * A word in both lists counts for neither. No evidence, or a tie, keeps `fallback`.
 */
export class LanguageDetector {
  private readonly id: Set<string>;
  private readonly en: Set<string>;

  constructor(words: { id: readonly string[]; en: readonly string[] }) {
    const id = new Set(words.id.map(cleanText));
    const en = new Set(words.en.map(cleanText));
    this.id = new Set([...id].filter((w) => !en.has(w)));
    this.en = new Set([...en].filter((w) => !id.has(w)));
  }

  detect(text: string, fallback: Locale = 'id'): Locale {
    const { id, en } = this.score(text);
    if (en > id) return 'en';
    if (id > en) return 'id';
    return fallback;
  }

  /** Words of each language seen in the text. */
  score(text: string): { id: number; en: number } {
    let id = 0;
    let en = 0;
    for (const word of cleanText(text).split(' ')) {
      if (this.id.has(word)) id++;
      else if (this.en.has(word)) en++;
      // English contractions lose their apostrophe in cleanText: "what's" -> "what s".
      else if (word === 's' || word === 't' || word === 'm' || word === 'll' || word === 're') en += 0.5;
    }
    return { id, en };
  }
}
