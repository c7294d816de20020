import type { Lexicon } from './schema.js';

/** Longest question we look at; longer text is cut so search time stays bounded. */
export const MAX_QUERY_CHARS = 300;
/** Most words we look at in one question. */
export const MAX_QUERY_TOKENS = 24;

/**
 * Indonesian normalisation shared by the index and the queries, driven by `content/lexicon.yaml`:
 * case, accents, punctuation, control characters, phrases (e-ktp, ktp elektronik), colloquial
 * words and abbreviations (bikin, gmn, ilang, akte), English words, the -nya clitic, stopwords.
 */
export class Normaliser {
  private readonly words: Map<string, string[]>;
  private readonly phrases: Map<string, string>;
  /** All phrases in one alternation, longest first: one pass over the text, not one per phrase. */
  private readonly phrasePattern: RegExp | undefined;
  private readonly stopwords: Set<string>;

  constructor(lexicon: Lexicon) {
    this.words = new Map();
    for (const [from, to] of Object.entries({ ...lexicon.english, ...lexicon.words })) {
      this.words.set(cleanText(from), cleanText(to).split(' ').filter(Boolean));
    }
    this.phrases = new Map(Object.entries(lexicon.phrases).map(([from, to]) => [cleanText(from), cleanText(to)]));
    // Longest phrase first so "kartu tanda penduduk elektronik" wins over "kartu tanda penduduk".
    const alternatives = [...this.phrases.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.phrasePattern = alternatives.length ? new RegExp(`(?<=^| )(?:${alternatives.join('|')})(?= |$)`, 'g') : undefined;
    this.stopwords = new Set(lexicon.stopwords.map(cleanText));
  }

  /** Tokens of a text with lexicon rules applied; stopwords kept (index side). */
  tokens(text: string): string[] {
    let s = cleanText(text.slice(0, MAX_QUERY_CHARS * 4));
    if (this.phrasePattern) s = s.replace(this.phrasePattern, (match) => this.phrases.get(match) ?? match);
    const out: string[] = [];
    for (const raw of s.split(' ')) {
      if (!raw) continue;
      for (const w of this.mapWord(raw)) out.push(w);
    }
    return out;
  }

  /** Tokens of a citizen's question: bounded, lexicon applied, stopwords removed. */
  queryTokens(text: string): string[] {
    return this.tokens(text.slice(0, MAX_QUERY_CHARS))
      .filter((t) => !this.stopwords.has(t))
      .slice(0, MAX_QUERY_TOKENS);
  }

  isStopword(token: string): boolean {
    return this.stopwords.has(token);
  }

  private mapWord(word: string): string[] {
    const direct = this.words.get(word);
    if (direct) return direct;
    // Clitic -nya on a known word: "ktpnya" -> "ktp", "paspornya" -> "paspor".
    if (word.length > 5 && word.endsWith('nya')) {
      const base = word.slice(0, -3);
      return this.words.get(base) ?? [base];
    }
    // Letters stretched in chat ("syaraaat", "ktpppp") collapse to one.
    const squeezed = word.replace(/(\p{L})\1{2,}/gu, '$1');
    if (squeezed !== word) return this.mapWord(squeezed);
    return [word];
  }
}

/**
 * Lower-case, strip accents and control characters, keep letters and digits of any script,
 * turn everything else (punctuation, emoji, symbols) into single spaces.
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
