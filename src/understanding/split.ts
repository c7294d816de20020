import type { ServiceSearch } from '../catalogue/search.js';
import { MAX_QUERY_CHARS } from '../catalogue/normalise.js';
import { escapeRegExp } from './phrases.js';

/** Most parts searched in one message: a visit rarely has more services, and each costs a search. */
const MAX_PARTS = 6;

/** Below this relevance (1 - score) a part of a message is not taken as naming a service of its own. */
const MIN_PART_RELEVANCE = 0.6;
/** An ambiguous part still counts when its best hit is this close to perfect (0 = perfect). */
const STRONG_PART_SCORE = 0.05;

/**
 * Finds several services named in one message: "skck sama surat bebas narkoba", "ktp, kk dan
 * akta lahir", "perpanjang sim sekalian bayar pajak motor juga". The message is cut at commas and
 * connector words (content/intents.yaml `connectors`); each part is searched on its own and
 * counts only when its best hit is clear (not ambiguous, relevant enough).
 */
export class ServiceSplitter {
  private readonly pattern: RegExp;

  constructor(connectors: readonly string[]) {
    const words = [...new Set(connectors.map((c) => c.trim().toLowerCase()).filter(Boolean))].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(`\\s*[,;&+/\\n]\\s*|(?:^|\\s+)(?:${words.join('|')})(?=\\s+|$)`, 'giu');
  }

  /** The message's parts, trimmed, empty parts dropped. */
  parts(text: string): string[] {
    return text
      .toLowerCase()
      .split(this.pattern)
      .map((p) => p.trim())
      .filter(Boolean);
  }

  /** Service ids named by separate parts, in order of mention; fewer than two means "not several". */
  services(text: string, search: ServiceSearch, clean: (part: string) => string = (p) => p): string[] {
    const parts = this.parts(text.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_PARTS).map(clean).filter(Boolean);
    if (parts.length < 2) return [];
    const ids: string[] = [];
    for (const part of parts) {
      const outcome = search.search(part, 3);
      const top = outcome.results[0];
      // A clear part, or a part so strong that only its variant is open ("skck": new or renewal).
      if (!top || 1 - top.score < MIN_PART_RELEVANCE || (outcome.ambiguous && top.score > STRONG_PART_SCORE)) continue;
      if (!ids.includes(top.id)) ids.push(top.id);
    }
    return ids;
  }
}
