import type { Normaliser } from '../catalogue/normalise.js';

/** Most words a "..." in a phrase stands for. */
const MAX_GAP_WORDS = 4;

/** Where a phrase was found in the normalised text. */
export interface PhraseHit {
  start: number;
  end: number;
}

/**
 * A list of phrases compiled into one regular expression over normalised text (words joined by
 * single spaces). Phrases go through the same normaliser as the text, so "brp lama" in the data
 * matches "berapa lama" typed in full and the other way round. "..." allows a few words in between,
 * a leading "^" anchors at the start of the message, a trailing "$" at its end.
 */
export class PhraseSet {
  private readonly pattern: RegExp | undefined;

  constructor(phrases: readonly string[], normaliser: Normaliser) {
    const alternatives = new Set<string>();
    for (const raw of phrases) {
      const phrase = raw.trim();
      const start = phrase.startsWith('^');
      const end = phrase.endsWith('$');
      const body = phrase.slice(start ? 1 : 0, end ? -1 : undefined);
      const parts = body.split('...').map((p) => normaliser.tokens(p).map(escapeRegExp).join(' ')).filter(Boolean);
      if (parts.length === 0) continue;
      const inner = parts.join(`(?: \\S+){0,${MAX_GAP_WORDS}} `);
      alternatives.add(`${start ? '^' : '(?<=^| )'}${inner}${end ? '$' : '(?= |$)'}`);
    }
    // Longest first so the widest phrase is the one reported (and removed).
    const sorted = [...alternatives].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length ? new RegExp(`(?:${sorted.join('|')})`) : undefined;
  }

  /** The first phrase found in `normalised`, or undefined. */
  find(normalised: string): PhraseHit | undefined {
    if (!this.pattern) return undefined;
    const m = this.pattern.exec(normalised);
    return m ? { start: m.index, end: m.index + m[0].length } : undefined;
  }

  test(normalised: string): boolean {
    return this.pattern?.test(normalised) ?? false;
  }
}

/** The text with one hit cut out, spaces tidied. */
export function without(normalised: string, hit: PhraseHit): string {
  return (normalised.slice(0, hit.start) + ' ' + normalised.slice(hit.end)).replace(/ +/g, ' ').trim();
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
