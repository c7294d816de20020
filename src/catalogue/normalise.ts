import type { Lexicon } from './schema.js';

/** Longest question we look at; longer text is cut so search time stays bounded. */
export const MAX_QUERY_CHARS = 300;
/** Most words we look at in one question. */
export const MAX_QUERY_TOKENS = 24;
/** Shorter unknown words are not repaired: too many known words lie one edit away. */
const MIN_REPAIR_CHARS = 5;

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
  /** Words worth repairing towards: the index vocabulary plus every word the lexicon knows. */
  private readonly known: Set<string> | undefined;
  /** Known words by length, for typo repair. */
  private readonly knownByLength = new Map<number, string[]>();
  private readonly repairs = new Map<string, string>();

  /**
   * `vocabulary` (the search index's words) turns on repair of unknown query words: glued words
   * are split ("aktalahir" -> "akta lahir") and typos of a known word fixed ("keluaga" -> "keluarga")
   * BEFORE the phrase pass, so "kartu keluaga" still becomes "kk".
   */
  constructor(lexicon: Lexicon, vocabulary?: Iterable<string>) {
    this.words = new Map();
    for (const [from, to] of Object.entries({ ...lexicon.english, ...lexicon.words })) {
      this.words.set(cleanText(from), cleanText(to).split(' ').filter(Boolean));
    }
    this.phrases = new Map(Object.entries(lexicon.phrases).map(([from, to]) => [cleanText(from), cleanText(to)]));
    // Longest phrase first so "kartu tanda penduduk elektronik" wins over "kartu tanda penduduk".
    const alternatives = [...this.phrases.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.phrasePattern = alternatives.length ? new RegExp(`(?<=^| )(?:${alternatives.join('|')})(?= |$)`, 'g') : undefined;
    this.stopwords = new Set(lexicon.stopwords.map(cleanText));
    if (vocabulary) {
      this.known = new Set(vocabulary);
      for (const w of this.words.keys()) this.known.add(w);
      for (const p of this.phrases.keys()) for (const w of p.split(' ')) this.known.add(w);
      for (const w of this.known) {
        if (w.length < MIN_REPAIR_CHARS - 1 || /\d/.test(w)) continue;
        let list = this.knownByLength.get(w.length);
        if (!list) this.knownByLength.set(w.length, (list = []));
        list.push(w);
      }
    }
  }

  /** Tokens of a text with lexicon rules applied; stopwords kept (index side). */
  tokens(text: string): string[] {
    let s = cleanText(text.slice(0, MAX_QUERY_CHARS * 4));
    if (this.known) s = s.split(' ').map((w) => this.repair(w)).join(' ');
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
    return this.queryTerms(text).tokens;
  }

  /**
   * The question's tokens (as `queryTokens`) and its units: words written right after a number
   * ("48 halaman", "1300 va", "50 juta"), which say how much, not which service.
   */
  queryTerms(text: string): { tokens: string[]; units: Set<string> } {
    const all = this.tokens(text.slice(0, MAX_QUERY_CHARS));
    const units = new Set<string>();
    for (let i = 1; i < all.length; i++) if (/^\d+$/.test(all[i - 1]!) && !/^\d+$/.test(all[i]!)) units.add(all[i]!);
    return { tokens: all.filter((t) => !this.stopwords.has(t)).slice(0, MAX_QUERY_TOKENS), units };
  }

  isStopword(token: string): boolean {
    return this.stopwords.has(token);
  }

  /** An unknown word split in two known words or corrected to one; known words are left alone. */
  private repair(word: string): string {
    const known = this.known!;
    if (word.length < MIN_REPAIR_CHARS || known.has(word) || this.stopwords.has(word) || /\d/.test(word)) return word;
    if (word.endsWith('nya') && known.has(word.slice(0, -3))) return word;
    const cached = this.repairs.get(word);
    if (cached !== undefined) return cached;
    const fixed = this.split(word) ?? this.correct(word) ?? word;
    if (this.repairs.size > 10_000) this.repairs.clear();
    this.repairs.set(word, fixed);
    return fixed;
  }

  /** "aktalahir" -> "akta lahir", "kartukeluarga" -> "kartu keluarga": a known phrase first, then two known words. */
  private split(word: string): string | undefined {
    let best: string | undefined;
    for (let i = 3; i <= word.length - 2; i++) {
      const left = word.slice(0, i);
      const right = word.slice(i);
      const pair = `${left} ${right}`;
      if (this.phrases.has(pair)) return pair;
      const isWord = (w: string) => this.known!.has(w) && !this.stopwords.has(w);
      if (!best && isWord(left) && isWord(right) && right.length >= 3) best = pair;
    }
    return best;
  }

  /** The one known word within one edit (two for words of 10+ letters) of a typo; none when several tie. */
  private correct(word: string): string | undefined {
    // Two edits only for long words: at 9 letters "kesiangan" (late) is two edits from "kehilangan" (lost).
    const limit = word.length >= 10 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = limit + 1;
    let tie = false;
    for (let len = word.length - limit; len <= word.length + limit; len++) {
      for (const candidate of this.knownByLength.get(len) ?? []) {
        if (candidate[0] !== word[0]) continue; // typos rarely hit the first letter; halves the work
        const d = editDistance(word, candidate, limit + 1);
        if (d > limit) continue;
        if (d < bestDistance) [best, bestDistance, tie] = [candidate, d, false];
        else if (d === bestDistance && candidate !== best) tie = true;
      }
    }
    return tie ? undefined : best;
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

/** Damerau-Levenshtein (adjacent swaps count once), giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) >= max) return max;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= max) return max;
  }
  return rows[a.length]![b.length]!;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
