import type { Normaliser } from '../catalogue/normalise.js';
import { PhraseSet, escapeRegExp } from './phrases.js';
import type { IntentsFile } from './schema.js';

/** What a message typed in a documents checklist says. */
export type ChecklistReading =
  | { kind: 'all_ready' }
  | { kind: 'not_all' }
  /** Requirement indexes named as missing; the others are ready. */
  | { kind: 'missing'; indexes: number[] }
  /** A document was named as missing, but none of the requirements fits it. */
  | { kind: 'unknown_item' };

/** A requirement as the catalogue holds it: one text per language. */
type Requirement = Readonly<Record<'id' | 'en', string>>;

/**
 * A longer document name (3+ words) still finds the one requirement holding most of its words
 * ("fotokopi akta lahir anak" for "Fotokopi akta kelahiran"); a short one must match fully, or
 * "sertifikat tanah" would find any certificate.
 */
const PARTIAL_MIN_WORDS = 3;
const PARTIAL_MATCH = 2 / 3;

/**
 * Reads free text in a documents checklist ("udah semua", "yg kk belum", "belum semua") with the
 * phrases of content/intents.yaml `checklist`. The document named is matched against the
 * service's requirement texts in both languages through the search's normaliser, so "kk",
 * "kartu keluarga" and "family card" all find "Kartu Keluarga (KK) asli dan fotokopi".
 */
export class ChecklistReader {
  private readonly allReady: PhraseSet;
  private readonly notAll: PhraseSet;
  /** One anchored pattern per `missing` phrase, longest literal first: "tinggal {x} yang belum" before "{x} belum". */
  private readonly missing: RegExp[];
  private readonly connectors: Set<string>;
  /** Polite words around an answer ("yg kk belum kak"): cut from both ends before matching. */
  private readonly polite: Set<string>;

  constructor(
    data: Pick<IntentsFile, 'checklist' | 'connectors' | 'chatter'>,
    private readonly normaliser: Normaliser,
  ) {
    const both = (l: { id: string[]; en: string[] }) => [...l.id, ...l.en];
    const anchored = (l: { id: string[]; en: string[] }) => both(l).map((p) => `^${p}$`);
    this.allReady = new PhraseSet(anchored(data.checklist.all_ready), normaliser);
    this.notAll = new PhraseSet(anchored(data.checklist.not_all), normaliser);
    this.missing = both(data.checklist.missing)
      .map((p) => p.split('{x}').map((part) => normaliser.tokens(part).join(' ')) as [string, string])
      .sort((a, b) => b[0].length + b[1].length - (a[0].length + a[1].length))
      .map(([before, after]) => new RegExp(`^${before ? escapeRegExp(before) + ' ' : ''}(.+?)${after ? ' ' + escapeRegExp(after) : ''}$`));
    this.connectors = new Set(both(data.connectors).flatMap((c) => normaliser.tokens(c)));
    this.polite = new Set(both(data.chatter).filter((c) => !c.includes(' ')).flatMap((c) => normaliser.tokens(c)));
  }

  /** What `text` says about `requirements`; undefined when it is not a checklist answer at all. */
  read(text: string, requirements: readonly Requirement[]): ChecklistReading | undefined {
    const norm = this.trimPolite(this.normaliser.tokens(text)).join(' ');
    if (!norm) return undefined;
    // Whole-message answers first: "ada yang belum" is not a document called "ada".
    if (this.notAll.test(norm)) return { kind: 'not_all' };
    if (this.allReady.test(norm)) return { kind: 'all_ready' };
    let named = false;
    for (const pattern of this.missing) {
      const x = pattern.exec(norm)?.[1];
      if (x === undefined) continue;
      named = true;
      const indexes = this.match(x, requirements);
      if (indexes) return { kind: 'missing', indexes };
    }
    return named ? { kind: 'unknown_item' } : undefined;
  }

  private trimPolite(tokens: string[]): string[] {
    let start = 0;
    let end = tokens.length;
    while (start < end && this.polite.has(tokens[start]!)) start++;
    while (end > start && this.polite.has(tokens[end - 1]!)) end--;
    return tokens.slice(start, end);
  }

  /**
   * Requirements named by `x`, each part between connectors finding at least one: the
   * requirements holding all its words (every one of them: "fotokopi" names every copy), else for a
   * longer name the one requirement holding most of them. Undefined when a part finds none.
   */
  private match(x: string, requirements: readonly Requirement[]): number[] | undefined {
    const words = requirements.map((r) => new Set([...this.normaliser.tokens(r.id), ...this.normaliser.tokens(r.en)]));
    const parts: string[][] = [[]];
    for (const token of x.split(' ')) {
      if (this.connectors.has(token)) parts.push([]);
      else if (!this.normaliser.isStopword(token)) parts.at(-1)!.push(token);
    }
    const found = new Set<number>();
    for (const part of parts.filter((p) => p.length > 0)) {
      const scores = words.map((w) => part.filter((t) => w.has(t)).length / part.length);
      const full = scores.flatMap((s, i) => (s === 1 ? [i] : []));
      const best = Math.max(...scores);
      const partial = part.length >= PARTIAL_MIN_WORDS && best >= PARTIAL_MATCH && scores.filter((s) => s === best).length === 1 ? [scores.indexOf(best)] : [];
      const hits = full.length > 0 ? full : partial;
      if (hits.length === 0) return undefined;
      for (const i of hits) found.add(i);
    }
    return found.size > 0 ? [...found].sort((a, b) => a - b) : undefined;
  }
}
