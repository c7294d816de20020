import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFreshness, monthsBefore } from '../../src/catalogue/freshness.js';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/loader.js';
import { demoCatalogue } from '../helpers.js';

const source = ['https://example.org/standar-pelayanan'];
const sourced = {
  eligibility: { text: { id: ['WNI berusia 17 tahun'] }, sources: source },
  representation: { allowed: false, text: { id: 'Tidak dapat diwakilkan', en: 'Cannot be represented' }, sources: source },
};

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('catalogue freshness', () => {
  it('lists services verified more than 12 months before today, and those never verified', () => {
    const report = checkFreshness(
      [
        { id: 'old', verified: '2025-11-30', ...sourced },
        { id: 'exactly-a-year', verified: '2025-12-01', ...sourced },
        { id: 'recent', verified: '2026-06-15', ...sourced },
        { id: 'never', verified: undefined, ...sourced },
      ],
      '2026-12-01',
    );
    expect(report.stale.map((s) => s.id)).toEqual(['never', 'old']);
    expect(report.unsourced).toEqual([]);
  });

  it('measures age from the injected date, not the clock', () => {
    const services = [{ id: 'a', verified: '2026-12-01', ...sourced }];
    expect(checkFreshness(services, '2027-12-01').stale).toEqual([]);
    expect(checkFreshness(services, '2027-12-02').stale).toEqual([{ id: 'a', verified: '2026-12-01' }]);
  });

  it('flags eligibility and representation that carry no source', () => {
    const report = checkFreshness(
      [
        { id: 'no-eligibility-source', verified: '2026-12-01', ...sourced, eligibility: { text: { id: ['Usia 17 tahun'] }, sources: [] } },
        { id: 'no-representation-source', verified: '2026-12-01', ...sourced, representation: { ...sourced.representation, sources: [] } },
        { id: 'fine', verified: '2026-12-01', ...sourced },
      ],
      '2026-12-01',
    );
    expect(report.unsourced).toEqual([
      { id: 'no-eligibility-source', field: 'eligibility' },
      { id: 'no-representation-source', field: 'representation' },
    ]);
  });

  it('counts months on the calendar, clamping days the earlier month lacks', () => {
    expect(monthsBefore('2026-12-01', 12)).toBe('2025-12-01');
    expect(monthsBefore('2025-03-31', 1)).toBe('2025-02-28');
    expect(monthsBefore('2025-02-28', 12)).toBe('2024-02-28');
    expect(monthsBefore('2024-02-29', 12)).toBe('2023-02-28');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
  });

  it('finds every service of the demo catalogue sourced, with eligibility, representation and a verified date', async () => {
    const catalogue = await demoCatalogue();
    for (const s of catalogue.services.values()) {
      expect(s.eligibility, s.id).toBeDefined();
      expect(s.representation, s.id).toBeDefined();
      expect(s.verified, s.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(checkFreshness(catalogue.services.values(), '2026-12-01').unsourced).toEqual([]);
  });

  it('refuses to load a representation without sources, naming the file and field', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-content-'));
    temps.push(dir);
    await cp('content', dir, { recursive: true });
    const file = path.join(dir, 'services', 'polri-skck-baru.yaml');
    const text = await readFile(file, 'utf8');
    const withoutSources = text.replace(/(^representation:[\s\S]*?^ {2}sources:)(\n(?: {4}- .*\n)+)/m, '$1 []\n');
    expect(withoutSources).not.toBe(text);
    await writeFile(file, withoutSources);
    const err = (await loadCatalogue(dir).catch((e: unknown) => e)) as CatalogueError;
    expect(err).toBeInstanceOf(CatalogueError);
    expect(err.issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('polri-skck-baru.yaml'), field: 'representation.sources' }));
  });
});
