import type { Service } from '../catalogue/schema.js';
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
 * Variants of one thing come from one agency, or two sharing a paper ("surat pindah": Dukcapil's
 * SKPWNI or Samsat's vehicle transfer); a word that fits three agencies ("bikin baru") names none.
 */
const MAX_PART_AGENCIES = 2;

/** What the splitter knows of the catalogue beyond the search: visit links and agencies. */
export interface ServiceRelations {
  /** Whether two services belong in one visit: one needs the other's product, or they are often combined. */
  linked(a: string, b: string): boolean;
  agency(id: string): string | undefined;
}

/** Relations from content/services/*.yaml: `visit` links (needs, combines_with) read both ways, and agencies. */
export function serviceRelations(services: ReadonlyMap<string, Pick<Service, 'visit' | 'agency'>>): ServiceRelations {
  const pairs = new Set<string>();
  for (const [id, s] of services) {
    for (const other of [...(s.visit?.needs ?? []), ...(s.visit?.combines_with ?? [])].map((l) => l.service)) {
      pairs.add(`${id}\u0000${other}`).add(`${other}\u0000${id}`);
    }
  }
  return { linked: (a, b) => pairs.has(`${a}\u0000${b}`), agency: (id) => services.get(id)?.agency };
}

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

  /**
   * Service ids named by separate parts, in order of mention; fewer than two means "not several".
   * A part naming close variants ("kk": new or changed) takes the variant linked to a service the
   * message names clearly ("pindah datang, kk, ktp": the changed KK, then the changed KTP-el),
   * else the best hit.
   */
  services(text: string, search: ServiceSearch, clean: (part: string) => string = (p) => p, relations?: ServiceRelations): string[] {
    const parts = this.parts(text.slice(0, MAX_QUERY_CHARS)).slice(0, MAX_PARTS).map(clean).filter(Boolean);
    if (parts.length < 2) return [];
    const named: string[][] = [];
    for (const part of parts) {
      const outcome = search.search(part, 3);
      const top = outcome.results[0];
      // A clear part, or a part so strong that only its variant is open ("skck": new or renewal).
      if (!top || 1 - top.score < MIN_PART_RELEVANCE || (outcome.ambiguous && top.score > STRONG_PART_SCORE)) continue;
      const candidates = outcome.ambiguous ? outcome.results.filter((r) => r.score - top.score <= STRONG_PART_SCORE).map((r) => r.id) : [top.id];
      if (relations && new Set(candidates.map((c) => relations.agency(c))).size > MAX_PART_AGENCIES) continue;
      named.push(candidates);
    }
    const chosen = named.map((c) => (c.length === 1 ? c[0] : undefined));
    // Each variant resolved may anchor the next ("kk" resolved anchors "ktp"); when no part is
    // linked to an anchor, the first open part takes its best hit and anchors the rest.
    while (chosen.includes(undefined)) {
      const anchors = chosen.filter((c): c is string => c !== undefined);
      const i = named.findIndex((candidates, k) => chosen[k] === undefined && candidates.some((c) => anchors.some((a) => relations?.linked(c, a))));
      if (i >= 0) chosen[i] = named[i]!.find((c) => anchors.some((a) => relations?.linked(c, a)));
      else chosen[chosen.indexOf(undefined)] = named[chosen.indexOf(undefined)]![0];
    }
    const ids: string[] = [];
    named.forEach((candidates, i) => {
      const id = chosen[i] ?? candidates[0]!;
      if (!ids.includes(id)) ids.push(id);
    });
    return ids;
  }
}
