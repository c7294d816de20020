/**
 * Shared helpers for the bench scripts:
 * - a synthetic catalogue (the real services cloned with new ids and pseudo-words, so the index
 *   vocabulary grows the way it would with more real services), built from a seeded PRNG so every
 *   run measures exactly the same data;
 * - percentiles over sorted latency arrays and a plain aligned table for stdout.
 */
import type { Redis } from 'ioredis';
import type { Catalogue } from '../src/catalogue/loader.js';
import type { Service } from '../src/catalogue/schema.js';

export type SearchCatalogue = Pick<Catalogue, 'services' | 'agencies' | 'lexicon'>;

/** mulberry32: a tiny deterministic PRNG, returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = ['b', 'c', 'd', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'w', 'y', 'ng', 'ny', 'kr', 'tr', 'pr'];
const VOWELS = ['a', 'i', 'u', 'e', 'o'];
const CODAS = ['', '', '', 'n', 'ng', 'r', 'k', 's', 'l', 'h', 't'];

/** An Indonesian-looking made-up word of 2–4 syllables ("tarukan", "nyemboli"). */
export function pseudoWord(rand: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const syllables = 2 + Math.floor(rand() * 3);
  let word = '';
  for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS);
  return word + pick(CODAS);
}

/**
 * A catalogue of `size` services: the real ones first, then clones `<id>-syn-<n>` cycling over
 * the real list. Each clone gets 2–3 fresh pseudo-words: one in its name (both languages), one in
 * its keywords and, half of the time, one in its aliases. Agencies and lexicon stay the real ones.
 */
export function syntheticCatalogue(base: SearchCatalogue, size: number, seed = 42): SearchCatalogue {
  const rand = mulberry32(seed);
  const real = [...base.services.values()];
  const services = new Map<string, Service>(base.services);
  for (let n = 1; services.size < size; n++) {
    const source = real[(n - 1) % real.length]!;
    const nameWord = pseudoWord(rand);
    const keywordWord = pseudoWord(rand);
    const aliasWord = rand() < 0.5 ? pseudoWord(rand) : undefined;
    const clone: Service = {
      ...source,
      id: `${source.id}-syn-${n}`,
      name: { id: `${source.name.id} ${nameWord}`, en: `${source.name.en} ${nameWord}` },
      keywords: [...source.keywords, keywordWord],
      aliases: aliasWord ? [...source.aliases, aliasWord] : source.aliases,
    };
    services.set(clone.id, clone);
  }
  return { services, agencies: base.agencies, lexicon: base.lexicon };
}

/** Nearest-rank percentile of an ascending array (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** p50/p99/max of a list of latencies (same unit in and out). */
export function summarise(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const list = Array.from(sorted);
  return { count: list.length, p50: percentile(list, 0.5), p99: percentile(list, 0.99), max: list[list.length - 1] ?? NaN };
}

/** Milliseconds with 3 decimals (microsecond resolution). */
export function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : 'n/a';
}

/** Prints rows as an aligned table: first column left-aligned, the others right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Deletes everything a run wrote under its key prefix (when it used a shared Redis from REDIS_URL). */
export async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
