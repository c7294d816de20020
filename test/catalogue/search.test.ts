import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, exampleCases, readEvalFile } from '../../src/catalogue/evaluate.js';
import { MAX_QUERY_TOKENS } from '../../src/catalogue/normalise.js';
import { ServiceSearch, affixCandidates } from '../../src/catalogue/search.js';
import { demoCatalogue } from '../helpers.js';

const SAMPLE = existsSync('../shared/eval/search-sample.tsv') ? '../shared/eval/search-sample.tsv' : 'test/fixtures/search-sample.tsv';
let search: ServiceSearch;

beforeAll(async () => {
  search = new ServiceSearch(await demoCatalogue());
});

const top = (q: string) => search.search(q).results[0]?.id;

describe('catalogue search', () => {
  it('finds the expected service for at least 95% of the shared sample and rejects every out-of-scope question', async () => {
    const report = evaluate(search, await readEvalFile(SAMPLE));
    expect(report.top1 / report.inScope).toBeGreaterThanOrEqual(0.95);
    expect(report.rejected).toBe(report.outOfScope);
    expect(report.outOfScope).toBeGreaterThan(0);
  });

  it('finds every service from its own example questions', async () => {
    const report = evaluate(search, exampleCases(await demoCatalogue()));
    expect(report.misses).toEqual([]);
  });

  it.each([
    ['syarat bikin ktp apa aja', 'dukcapil-ktp-el-baru'],
    ['perpanjang sim c yg udah mati gmn caranya', 'polri-sim-perpanjangan'],
    ['persyaratan untuk perpanjangan sim c yang sudah mati gimana caranya', 'polri-sim-perpanjangan'],
    ['paspor ilang', 'imigrasi-paspor-hilang-rusak'],
    ['PASPOR ILANG!!!', 'imigrasi-paspor-hilang-rusak'],
    ['akte lahir anak', 'dukcapil-akta-kelahiran'],
    ['e-KTP hilang', 'dukcapil-ktp-el-hilang-rusak'],
    ['ktp elektronik rusak', 'dukcapil-ktp-el-hilang-rusak'],
    ['daftar bpjs mandiri', 'bpjs-kesehatan-daftar-mandiri'],
    ['surat kelakuan baik baru', 'polri-skck-baru'],
    ['pasport baru', 'imigrasi-paspor-baru'],
    ['balik nama sertipikat tanah', 'bpn-peralihan-hak'],
    ['imb', 'dpmptsp-pbg'],
    ['new passport', 'imigrasi-paspor-baru'],
    ['birth certificate', 'dukcapil-akta-kelahiran'],
    ['ktpnya ilang', 'dukcapil-ktp-el-hilang-rusak'],
  ])('understands colloquial, typo and English forms: %s', (query, expected) => {
    expect(top(query)).toBe(expected);
  });

  it.each(['harga emas hari ini', 'tiket kereta ke bandung', 'cuaca besok', 'jadwal liga inggris', 'resep rendang', 'asdfghjkl qwerty', 'siapa presiden indonesia', 'berapa kurs dollar', 'promo indomaret'])(
    'says nothing found for a question outside the catalogue: %s',
    (query) => {
      expect(search.search(query).results).toEqual([]);
    },
  );

  it('flags "skck" as ambiguous between a new certificate and a renewal', () => {
    const outcome = search.search('skck');
    expect(outcome.ambiguous).toBe(true);
    expect(outcome.results.slice(0, 2).map((r) => r.id).sort()).toEqual(['polri-skck-baru', 'polri-skck-perpanjangan']);
  });

  it('is confident when the question is specific', () => {
    const outcome = search.search('perpanjang skck');
    expect(outcome.ambiguous).toBe(false);
    expect(outcome.results[0]?.id).toBe('polri-skck-perpanjangan');
  });

  it('returns results best first with scores between 0 (perfect) and 1', () => {
    const { results } = search.search('ktp hilang');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.score).toBeGreaterThanOrEqual(0);
    for (const r of results) expect(r.score).toBeLessThanOrEqual(1);
    for (let i = 1; i < results.length; i++) expect(results[i]!.score).toBeGreaterThanOrEqual(results[i - 1]!.score);
  });

  it('maps derived Indonesian words to their base form', () => {
    expect(affixCandidates('pendaftaran')).toContain('daftar');
    expect(affixCandidates('perpanjangan')).toContain('perpanjang');
    expect(affixCandidates('menambah')).toContain('tambah');
  });
});

describe('catalogue search with bad input', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', '   \t\n  '],
    ['emoji only', '😀🙏🔥'],
    ['control characters', '\u0000\u0007\u001b[31m\u007f'],
    ['SQL-looking', "' OR 1=1; DROP TABLE services; --"],
    ['HTML-looking', '<script>alert(1)</script>'],
    ['mixed scripts', 'паспорт 护照 جواز'],
    ['punctuation only', '?!.,;:-_()[]{}'],
  ])('returns an empty result for %s input without throwing', (_name, query) => {
    expect(search.search(query).results).toEqual([]);
  });

  it('handles a 10,000-character question by looking at a bounded part of it', () => {
    const long = 'syarat skck baru '.repeat(600).slice(0, 10_000);
    const outcome = search.search(long);
    expect(outcome.tokens.length).toBeLessThanOrEqual(MAX_QUERY_TOKENS);
    expect(outcome.results[0]?.id).toBe('polri-skck-baru');
    const noise = search.search('x'.repeat(10_000));
    expect(noise.results).toEqual([]);
  });

  it('still finds the service when the question is wrapped in emoji and markup', () => {
    expect(top('🙏 <b>paspor hilang</b> 🙏')).toBe('imigrasi-paspor-hilang-rusak');
  });
});
