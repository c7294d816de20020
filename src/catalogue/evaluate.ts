import { readFile } from 'node:fs/promises';
import type { Catalogue } from './loader.js';
import type { ServiceSearch } from './search.js';

/** A question and the service it should find (`null`: it should find nothing). */
export interface EvalCase {
  query: string;
  expected: string | null;
  source: string;
}

export interface EvalReport {
  cases: number;
  top1: number;
  top3: number;
  inScope: number;
  outOfScope: number;
  rejected: number;
  misses: Array<EvalCase & { got: string[] }>;
}

/** Every service's own `examples`, as cases. */
export function exampleCases(catalogue: Pick<Catalogue, 'services'>): EvalCase[] {
  return [...catalogue.services.values()].flatMap((s) => s.examples.map((query) => ({ query, expected: s.id, source: `${s.id}.examples` })));
}

/** Reads a `query<TAB>expected` file with a header line; `none` means out of scope. */
export async function readEvalFile(file: string): Promise<EvalCase[]> {
  const lines = (await readFile(file, 'utf8')).split('\n').slice(1);
  return lines
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim())
    .map((l) => {
      const [query = '', expected = ''] = l.split('\t');
      return { query, expected: expected.trim() === 'none' ? null : expected.trim(), source: file };
    });
}

/** Runs cases through the search: top-1/top-3 on in-scope cases, rejection on out-of-scope ones. */
export function evaluate(search: ServiceSearch, cases: EvalCase[]): EvalReport {
  const report: EvalReport = { cases: cases.length, top1: 0, top3: 0, inScope: 0, outOfScope: 0, rejected: 0, misses: [] };
  for (const c of cases) {
    const got = search.search(c.query).results.map((r) => r.id);
    if (c.expected === null) {
      report.outOfScope++;
      if (got.length === 0) report.rejected++;
      else report.misses.push({ ...c, got });
      continue;
    }
    report.inScope++;
    if (got[0] === c.expected) report.top1++;
    else report.misses.push({ ...c, got });
    if (got.slice(0, 3).includes(c.expected)) report.top3++;
  }
  return report;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}
