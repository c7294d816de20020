import Fuse from 'fuse.js';
import type { Catalogue } from './loader.js';
import { Normaliser, editDistance } from './normalise.js';
import type { Service } from './schema.js';

/** One ranked hit. `score` follows fuse.js: 0 is a perfect match, 1 no match at all. */
export interface SearchHit {
  id: string;
  score: number;
}

export interface SearchOutcome {
  query: string;
  /** Normalised words the search used, for debugging and the catalogue check. */
  tokens: string[];
  /** Best first; empty when the question is outside the catalogue. */
  results: SearchHit[];
  /** True when the best results are too close to pick one: the conversation should offer a choice. */
  ambiguous: boolean;
}

export interface SearchOptions {
  /** Results below this relevance (0..1) are not returned. */
  minRelevance: number;
  /** A runner-up within this share of the best makes the answer ambiguous. */
  ambiguityRatio: number;
  /** fuse.js threshold for typo-tolerant word matching. */
  fuzzyThreshold: number;
}

export const defaultSearchOptions: SearchOptions = { minRelevance: 0.5, ambiguityRatio: 0.85, fuzzyThreshold: 0.3 };

/** How much a word counts depending on where in a service it appears. */
const FIELD_WEIGHTS = { keywords: 3, name: 3, nameEn: 2, aliases: 2.5, agency: 1.2, summary: 0.8, product: 0.8, requirements: 0.3 } as const;
const TOP_WEIGHT = 3;
/** Field weight from which an occurrence counts as a whole document in a word's IDF (aliases and up). */
const DF_FULL_WEIGHT = 2.5;
/** How much a mention in a summary or a requirement adds to the count of a word that names some service. */
const WEAK_DF_SHARE = 0.25;
/** A word naming services of at most this many agencies is a head noun, and counts HEAD_BOOST times. */
const HEAD_MAX_AGENCIES = 2;
const HEAD_BOOST = 1.5;
const NAME_TIEBREAK = 0.012;
/** Share of a whole phrase's weight added when the question holds all its words. */
const PHRASE_BONUS = 0.2;
const TAIL_RATIO = 0.6;
/** Share of a word's weight a matching number or single letter gets: it confirms, it does not decide. */
const NUMBER_WEIGHT = 0.3;
const MINOR_TOKEN = /^(?:\d+|\p{L})$/u;
/** Affixes tried when a word is not in the index as written (perpanjangan -> perpanjang). */
const PREFIXES = ['meng', 'meny', 'mem', 'men', 'me', 'peng', 'peny', 'pem', 'pen', 'per', 'pe', 'ber', 'di', 'ke', 'ter', 'se', 'ng'];
const SUFFIXES = ['kan', 'an', 'in', 'i', 'nya', 'lah'];

/** Observers of every search (metrics); called after each search with its duration. */
export interface SearchHooks {
  onSearch?: (seconds: number, outcome: SearchOutcome) => void;
}

interface TermMatch {
  term: string;
  similarity: number;
}

/**
 * Finds services for a citizen's question. Words are normalised with the lexicon, matched to the
 * index vocabulary exactly, by Indonesian affix stripping, or with fuse.js for typos, then each
 * service is scored by the weighted, IDF-scaled share of the question it explains.
 */
export class ServiceSearch {
  /** Query side: lexicon rules plus typo and glued-word repair towards the index vocabulary. */
  readonly normaliser: Normaliser;
  /** Lexicon rules only, no repair: for matching phrase data (intents) that are not index words. */
  readonly plainNormaliser: Normaliser;
  private readonly ids: string[];
  /** term -> service index -> best field weight for that term in that service */
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly idf = new Map<string, number>();
  /** Head nouns: words in the names of several services of one or two agencies (see the constructor). */
  private readonly heads = new Set<string>();
  private readonly vocabulary: Fuse<string>;
  private readonly meanIdf: number;
  private readonly cache = new Map<string, TermMatch[]>();
  /** Distinct words of each service's Indonesian name, to prefer the tighter name on ties. */
  private readonly nameTerms: Array<Set<string>> = [];
  /** Each service's aliases and keywords of two or more words, as their words (stopwords out). */
  private readonly phrases: string[][][] = [];

  constructor(
    catalogue: Pick<Catalogue, 'services' | 'agencies' | 'lexicon'>,
    private readonly options: SearchOptions = defaultSearchOptions,
    private readonly hooks: SearchHooks = {},
  ) {
    const indexing = (this.plainNormaliser = new Normaliser(catalogue.lexicon));
    this.ids = [...catalogue.services.keys()];
    /** term -> services whose name holds it */
    const namedIn = new Map<string, Set<number>>();
    this.ids.forEach((id, index) => {
      const service = catalogue.services.get(id)!;
      const agency = catalogue.agencies.get(service.agency);
      this.nameTerms[index] = new Set(indexing.queryTokens(service.name.id));
      this.phrases[index] = [...service.aliases, ...service.keywords]
        .map((text) => [...new Set(indexing.tokens(text).filter((t) => !indexing.isStopword(t)))])
        .filter((words) => words.length >= 2);
      for (const [field, texts] of Object.entries(fieldTexts(service, agency))) {
        const weight = FIELD_WEIGHTS[field as keyof typeof FIELD_WEIGHTS];
        for (const text of texts) {
          for (const term of indexing.tokens(text)) {
            this.post(term, index, weight);
            if (field === 'name' || field === 'nameEn') (namedIn.get(term) ?? namedIn.set(term, new Set()).get(term)!).add(index);
          }
        }
      }
    });
    // Queries get typo and glued-word repair towards the words the index holds.
    this.normaliser = new Normaliser(catalogue.lexicon, this.postings.keys());
    const n = this.ids.length;
    const agencyOf = this.ids.map((id) => catalogue.services.get(id)!.agency);
    let sum = 0;
    for (const [term, list] of this.postings) {
      // Head nouns ("kk", "paspor", "sim") are in the names of several services of one or two agencies
      // (new, lost, changed); states and verbs ("hilang", "baru", "daftar") cut across many agencies.
      // A head noun also sits in the requirements of most services ("fotokopi KK"), which says nothing
      // about what those services are: there it counts only WEAK_DF_SHARE towards how common it is.
      // So "kk hilang" is about the family card, not about the other lost documents.
      const names = namedIn.get(term);
      const head = !!names && names.size >= 2 && new Set([...names].map((i) => agencyOf[i])).size <= HEAD_MAX_AGENCIES;
      let df = list.size;
      if (head) {
        let naming = 0;
        for (const weight of list.values()) if (weight >= DF_FULL_WEIGHT) naming++;
        df = naming + WEAK_DF_SHARE * (list.size - naming);
      }
      if (head) this.heads.add(term);
      const value = Math.log(1 + n / df) * (head ? HEAD_BOOST : 1);
      this.idf.set(term, value);
      sum += value;
    }
    this.meanIdf = this.postings.size ? sum / this.postings.size : 1;
    this.vocabulary = new Fuse([...this.postings.keys()].filter((t) => t.length >= 3), {
      includeScore: true,
      threshold: options.fuzzyThreshold,
      minMatchCharLength: 2,
    });
  }

  get size(): number {
    return this.ids.length;
  }

  search(query: string, limit = 5): SearchOutcome {
    const onSearch = this.hooks.onSearch;
    if (!onSearch) return this.find(query, limit);
    const started = performance.now();
    const outcome = this.find(query, limit);
    onSearch((performance.now() - started) / 1000, outcome);
    return outcome;
  }

  private find(query: string, limit: number): SearchOutcome {
    const terms = this.normaliser.queryTerms(query);
    const tokens = [...new Set(terms.tokens)];
    const relevance = new Float64Array(this.ids.length);
    const matchedTerms = new Set<string>();
    let possible = 0;
    let anchored = false;
    for (const token of tokens) {
      const matches = this.matchTerm(token);
      // Numbers and single letters ("1300 VA", "faskes 1", "sim c", the "s" of "what's") may confirm a
      // service but never decide or dilute one; so may the unit after a number ("48 halaman", "50 juta"),
      // unless it is a head noun ("2 paspor hilang").
      const minor = MINOR_TOKEN.test(token) || (terms.units.has(token) && !this.heads.has(token));
      if (matches.length === 0) {
        if (minor) continue;
        // A word we know nothing about still counts against the match: it is part of the question.
        possible += TOP_WEIGHT * this.meanIdf * 0.5;
        continue;
      }
      if (!minor) {
        possible += TOP_WEIGHT * Math.max(...matches.map((m) => this.idf.get(m.term)! * m.similarity));
        anchored = true;
      }
      const best = new Map<number, number>();
      const numeric = minor ? NUMBER_WEIGHT : 1;
      for (const m of matches) {
        matchedTerms.add(m.term);
        const idf = this.idf.get(m.term)!;
        for (const [svc, weight] of this.postings.get(m.term)!) {
          const value = weight * idf * m.similarity * numeric;
          if (value > (best.get(svc) ?? 0)) best.set(svc, value);
        }
      }
      for (const [svc, value] of best) relevance[svc]! += value;
    }
    // Only numbers and letters matched ("what's the weather": an "s"): nothing in the question names a service.
    if (!anchored) return { query, tokens, results: [], ambiguous: false };

    const ranked: Array<{ index: number; rel: number }> = [];
    for (let index = 0; index < relevance.length; index++) {
      const value = relevance[index]!;
      // The phrase bonus adds at most PHRASE_BONUS of the question: services that cannot reach the bar skip it.
      if (value === 0 || value / possible + PHRASE_BONUS < this.options.minRelevance) continue;
      let unexplained = 0;
      for (const term of this.nameTerms[index]!) if (!matchedTerms.has(term)) unexplained++;
      // Between equally good matches, the service whose name the question covers better wins.
      const rel = (value + this.phraseBonus(index, matchedTerms)) / possible - NAME_TIEBREAK * Math.min(unexplained, 6);
      if (rel >= this.options.minRelevance) ranked.push({ index, rel });
    }
    ranked.sort((a, b) => b.rel - a.rel || this.ids[a.index]!.localeCompare(this.ids[b.index]!));
    // Far weaker hits are noise next to a strong one.
    const top = ranked.filter((r) => r.rel >= ranked[0]!.rel * TAIL_RATIO).slice(0, limit);
    const ambiguous = top.length > 1 && top[1]!.rel >= top[0]!.rel * this.options.ambiguityRatio;
    return {
      query,
      tokens,
      results: top.map((r) => ({ id: this.ids[r.index]!, score: round(1 - Math.min(1, r.rel)) })),
      ambiguous,
    };
  }

  /**
   * Extra relevance when the question holds every word of one of the service's own phrases ("paspor
   * baru", "daftar bpjs kesehatan"), however far apart: words that come together as the service
   * names them outweigh a stray rarer word that matched elsewhere ("halaman" of "halaman paspor penuh").
   */
  private phraseBonus(index: number, matched: Set<string>): number {
    let best = 0;
    for (const words of this.phrases[index]!) {
      let sum = 0;
      for (const w of words) {
        if (!matched.has(w)) {
          sum = 0;
          break;
        }
        sum += this.idf.get(w)!;
      }
      if (sum > best) best = sum;
    }
    return PHRASE_BONUS * TOP_WEIGHT * best;
  }

  private post(term: string, index: number, weight: number): void {
    let list = this.postings.get(term);
    if (!list) this.postings.set(term, (list = new Map<number, number>()));
    if (weight > (list.get(index) ?? 0)) list.set(index, weight);
  }

  /** Index terms a query word stands for, with how sure we are (1 = exact). */
  private matchTerm(token: string): TermMatch[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const result = this.computeMatch(token);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, result);
    return result;
  }

  private computeMatch(token: string): TermMatch[] {
    if (this.postings.has(token)) return [{ term: token, similarity: 1 }];
    // Numbers match as written or not at all: 1300 is not a typo of 1500.
    if (token.length < 4 || /^\d+$/.test(token)) return [];
    const stems = affixCandidates(token).filter((c) => this.postings.has(c));
    if (stems.length > 0) return stems.slice(0, 2).map((term) => ({ term, similarity: 0.9 }));
    // fuse.js proposes, edit distance decides: fuse alone calls "maaf" a typo of "jemaah" and "kembar"
    // one of "kembali"; the normaliser's rule (one edit, two from 10 letters, same first letter) holds here too.
    const limit = token.length >= 10 ? 2 : 1;
    return this.vocabulary
      .search(token, { limit: 5 })
      .filter((r) => r.item[0] === token[0] && editDistance(token, r.item, limit + 1) <= limit)
      .slice(0, 3)
      .map((r) => ({ term: r.item, similarity: 0.85 * (1 - (r.score ?? 1)) }))
      .filter((m) => m.similarity > 0.5);
  }
}

function fieldTexts(service: Service, agency: Catalogue['agencies'] extends Map<string, infer A> ? A | undefined : never): Record<keyof typeof FIELD_WEIGHTS, string[]> {
  return {
    keywords: service.keywords,
    name: [service.name.id],
    nameEn: [service.name.en],
    aliases: service.aliases,
    agency: agency ? [agency.name.id, agency.short, ...agency.aliases] : [],
    summary: [service.summary.id],
    product: [service.product.id],
    requirements: service.requirements.map((r) => r.id),
  };
}

/** Words a derived form may come from, most likely first: pendaftaran -> daftar, perpanjangan -> perpanjang. */
export function affixCandidates(word: string): string[] {
  const out: string[] = [];
  const bases = [word];
  for (const suf of SUFFIXES) if (word.endsWith(suf) && word.length - suf.length >= 3) bases.push(word.slice(0, -suf.length));
  for (const base of bases) {
    if (base !== word) out.push(base);
    for (const pre of PREFIXES) {
      if (!base.startsWith(pre) || base.length - pre.length < 3) continue;
      const rest = base.slice(pre.length);
      out.push(rest);
      // Nasal prefixes swallow the root's first letter: menambah -> tambah, pemutihan -> putih, menyambung -> sambung.
      if (pre === 'men' || pre === 'pen') out.push('t' + rest);
      if (pre === 'mem' || pre === 'pem') out.push('p' + rest);
      if (pre === 'meny' || pre === 'peny') out.push('s' + rest);
      if (pre === 'meng' || pre === 'peng') out.push('k' + rest);
    }
  }
  return [...new Set(out)];
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
