/**
 * `npm run bench:search`: quality and speed of the catalogue search, side by side with two
 * baselines built in the same run over the same services:
 * - fuse.js 7 with DEFAULT options over name.id, name.en and keywords: what you get from the
 *   library the project already depends on with no tuning (any hit counts as "found");
 * - MiniSearch 7 (fuzzy 0.2, prefix search) over names, keywords and aliases: a real inverted-index
 *   full-text engine, the obvious off-the-shelf peer.
 * Quality: top-1/top-3 on in-scope cases and rejection of out-of-scope ones, on the sample set and
 * on every service's own `examples`. Speed: per-query latency on the real catalogue and on
 * synthetic catalogues of 1,000 and 10,000 services (see synthetic.ts), same queries for all three.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { exampleCases, readEvalFile, type EvalCase } from '../src/catalogue/evaluate.js';
import { loadCatalogue } from '../src/catalogue/loader.js';
import { ServiceSearch } from '../src/catalogue/search.js';
import { ms, printTable, summarise, syntheticCatalogue, type SearchCatalogue } from './synthetic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED_SAMPLE = path.resolve(ROOT, '../shared/eval/search-sample.tsv');
const SAMPLE = existsSync(SHARED_SAMPLE) ? SHARED_SAMPLE : path.join(ROOT, 'test/fixtures/search-sample.tsv');
const LIMIT = 5;
const SIZES = [0, 1_000, 10_000]; // 0 = the real catalogue
const MEASURED_PASSES = 3;
/** A slow searcher stops after this much measuring (at least one full pass), to keep the run short. */
const BUDGET_MS = 8_000;

/** A searcher under test: ids best first; an empty list means "out of scope". */
interface Searcher {
  name: string;
  buildMs: number;
  search(query: string): string[];
}

function timed<T>(build: () => T): { value: T; buildMs: number } {
  const start = performance.now();
  const value = build();
  return { value, buildMs: performance.now() - start };
}

function ours(catalogue: SearchCatalogue): Searcher {
  const { value: search, buildMs } = timed(() => new ServiceSearch(catalogue));
  return { name: 'ours', buildMs, search: (q) => search.search(q, LIMIT).results.map((r) => r.id) };
}

function fuse(catalogue: SearchCatalogue): Searcher {
  const { value: index, buildMs } = timed(() => new Fuse([...catalogue.services.values()], { keys: ['name.id', 'name.en', 'keywords'] }));
  return { name: 'fuse.js default', buildMs, search: (q) => index.search(q, { limit: LIMIT }).map((r) => r.item.id) };
}

function miniSearch(catalogue: SearchCatalogue): Searcher {
  const { value: index, buildMs } = timed(() => {
    const mini = new MiniSearch({ fields: ['nameId', 'nameEn', 'keywords', 'aliases'] });
    mini.addAll(
      [...catalogue.services.values()].map((s) => ({ id: s.id, nameId: s.name.id, nameEn: s.name.en, keywords: s.keywords.join(' '), aliases: s.aliases.join(' ') })),
    );
    return mini;
  });
  return {
    name: 'MiniSearch',
    buildMs,
    search: (q) =>
      index
        .search(q, { fuzzy: 0.2, prefix: true })
        .slice(0, LIMIT)
        .map((r) => String(r.id)),
  };
}

const BUILDERS = [ours, fuse, miniSearch];

interface Quality {
  inScope: number;
  top1: number;
  top3: number;
  outOfScope: number;
  rejected: number;
  misses: string[];
}

function quality(searcher: Searcher, cases: EvalCase[]): Quality {
  const q: Quality = { inScope: 0, top1: 0, top3: 0, outOfScope: 0, rejected: 0, misses: [] };
  for (const c of cases) {
    const got = searcher.search(c.query);
    if (c.expected === null) {
      q.outOfScope++;
      if (got.length === 0) q.rejected++;
      else q.misses.push(`"${c.query}": expected nothing, got ${got.slice(0, 3).join(', ')}`);
      continue;
    }
    q.inScope++;
    if (got[0] === c.expected) q.top1++;
    else q.misses.push(`"${c.query}": expected ${c.expected}, got ${got.slice(0, 3).join(', ') || 'nothing'}`);
    if (got.slice(0, 3).includes(c.expected)) q.top3++;
  }
  return q;
}

const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

interface Latency {
  cold: ReturnType<typeof summarise>;
  warm: ReturnType<typeof summarise>;
  passes: number;
}

/** One warm-up pass (reported as "cold": first time each query is seen), then measured passes. */
function latency(searcher: Searcher, queries: string[]): Latency {
  const run = (): number[] =>
    queries.map((q) => {
      const start = performance.now();
      searcher.search(q);
      return performance.now() - start;
    });
  const cold = run();
  const warm: number[] = [];
  const started = performance.now();
  let passes = 0;
  while (passes < MEASURED_PASSES && (passes === 0 || performance.now() - started < BUDGET_MS)) {
    warm.push(...run());
    passes++;
  }
  return { cold: summarise(cold), warm: summarise(warm), passes };
}

async function main(): Promise<void> {
  const catalogue = await loadCatalogue(path.join(ROOT, 'content'));
  const sample = await readEvalFile(SAMPLE);
  const examples = exampleCases(catalogue);
  const queries = [...sample, ...examples].map((c) => c.query);

  console.log(`Search bench: ${catalogue.services.size} services, sample ${path.relative(ROOT, SAMPLE)} (${sample.length} cases), ${examples.length} examples`);
  console.log(`Node ${process.version}, limit ${LIMIT} results per query\n`);

  // Quality on the real catalogue.
  const real = BUILDERS.map((build) => build(catalogue));
  const names = real.map((s) => s.name);
  const sampleQ = real.map((s) => quality(s, sample));
  const exampleQ = real.map((s) => quality(s, examples));
  const inScope = sampleQ[0]!.inScope;
  const outOfScope = sampleQ[0]!.outOfScope;
  console.log('Quality (real catalogue)');
  printTable(
    ['set / metric', ...names, 'target (ours)'],
    [
      [`sample top-1 (${inScope} in scope)`, ...sampleQ.map((q) => pct(q.top1, q.inScope)), '>= 95%'],
      [`sample top-3`, ...sampleQ.map((q) => pct(q.top3, q.inScope)), ''],
      [`sample rejected (${outOfScope} out of scope)`, ...sampleQ.map((q) => `${q.rejected}/${q.outOfScope}`), `${outOfScope}/${outOfScope}`],
      [`examples top-1 (${examples.length})`, ...exampleQ.map((q) => pct(q.top1, q.inScope)), ''],
      [`examples top-3`, ...exampleQ.map((q) => pct(q.top3, q.inScope)), ''],
    ],
  );
  const oursSample = sampleQ[0]!;
  const qualityOk = oursSample.top1 / oursSample.inScope >= 0.95 && oursSample.rejected === oursSample.outOfScope;
  console.log(`target sample top-1 >= 95% with every out-of-scope rejected: ${qualityOk ? 'MET' : 'NOT MET'}`);
  if (oursSample.misses.length) console.log('ours, sample misses:\n' + oursSample.misses.map((m) => `  ${m}`).join('\n'));
  const oursExampleMisses = exampleQ[0]!.misses;
  if (oursExampleMisses.length) console.log(`ours, example misses (${oursExampleMisses.length}):\n` + oursExampleMisses.map((m) => `  ${m}`).join('\n'));

  // Latency on growing catalogues.
  console.log(`\nLatency (${queries.length} queries: sample + examples; 1 warm-up pass, then up to ${MEASURED_PASSES} measured passes; ms)`);
  const rows: string[][] = [];
  let oursP99At1000 = NaN;
  for (const size of SIZES) {
    const cat = size === 0 ? catalogue : syntheticCatalogue(catalogue, size);
    const label = `${cat.services.size} services`;
    const searchers = size === 0 ? real : BUILDERS.map((build) => build(cat));
    const lat = searchers.map((s) => latency(s, queries));
    if (size === 1_000) oursP99At1000 = lat[0]!.warm.p99;
    const target = size === 1_000 ? '< 2.000' : '';
    rows.push([`${label}: build`, ...searchers.map((s) => ms(s.buildMs)), '']);
    rows.push([`${label}: p50`, ...lat.map((l) => ms(l.warm.p50)), '']);
    rows.push([`${label}: p99`, ...lat.map((l) => ms(l.warm.p99)), target]);
    rows.push([`${label}: cold p99 (1st pass)`, ...lat.map((l) => ms(l.cold.p99)), '']);
    rows.push([`${label}: measured queries`, ...lat.map((l) => String(l.warm.count)), '']);
  }
  printTable(['catalogue: figure', ...names, 'target (ours)'], rows);
  console.log(`target p99 < 2 ms at 1,000 services (ours): ${oursP99At1000 < 2 ? 'MET' : 'NOT MET'} (${ms(oursP99At1000)} ms)`);
}

await main();
