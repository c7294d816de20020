import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/loader.js';
import { demoCatalogue } from '../helpers.js';

const IDS_FILE = existsSync('../shared/catalogue/service-ids.tsv') ? '../shared/catalogue/service-ids.tsv' : 'test/fixtures/service-ids.tsv';
const temps: string[] = [];

async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-content-'));
  temps.push(dir);
  await cp('content', dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('catalogue loader', () => {
  it('holds every service id of the shared list, with its agency', async () => {
    const catalogue = await demoCatalogue();
    const rows = (await readFile(IDS_FILE, 'utf8')).trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.length).toBe(46);
    for (const [id, , nameId, nameEn] of rows) {
      const service = catalogue.services.get(id!);
      expect(service, id).toBeDefined();
      expect(service!.name.id).toBe(nameId);
      expect(service!.name.en).toBe(nameEn);
      expect(catalogue.agencies.has(service!.agency)).toBe(true);
    }
    expect(catalogue.agencies.size).toBeGreaterThanOrEqual(20);
  });

  it('gives every service real content: requirements, procedure, fee, product, 3+ examples, sources', async () => {
    const catalogue = await demoCatalogue();
    for (const s of catalogue.services.values()) {
      expect(s.requirements.length, s.id).toBeGreaterThan(0);
      expect(s.procedure.id.length, s.id).toBeGreaterThan(0);
      expect(s.fee.text.id.length, s.id).toBeGreaterThan(0);
      expect(s.examples.length, s.id).toBeGreaterThanOrEqual(3);
      expect(s.sources.length, s.id).toBeGreaterThan(0);
    }
  });

  it('reports file and field for each error and refuses to load a broken catalogue', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'services', 'polri-skck-baru.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^daily_quota: .*$/m, 'daily_quota: lots'));
    const other = path.join(dir, 'services', 'djp-efin.yaml');
    await writeFile(other, (await readFile(other, 'utf8')).replace(/^agency: djp$/m, 'agency: nowhere'));
    await writeFile(path.join(dir, 'services', 'broken.yaml'), 'id: [unclosed');
    const err = await loadCatalogue(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    const issues = (err as CatalogueError).issues;
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('polri-skck-baru.yaml'), field: 'daily_quota' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('djp-efin.yaml'), field: 'agency' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('broken.yaml'), field: '(file)' }));
  });

  it('rejects an unknown time zone and opening after closing', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'mpp.yaml');
    const text = (await readFile(file, 'utf8'))
      .replace('timezone: Asia/Jakarta', 'timezone: Mars/Olympus')
      .replace('saturday:  { open: "08:00", close: "12:00" }', 'saturday:  { open: "13:00", close: "12:00" }');
    await writeFile(file, text);
    const err = (await loadCatalogue(dir).catch((e: unknown) => e)) as CatalogueError;
    const fields = err.issues.map((i) => i.field);
    expect(fields).toContain('timezone');
    expect(fields).toContain('hours.saturday');
  });

  it('rejects a counter that serves another agency\'s service', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'mpp.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('services: [polri-sim-perpanjangan]', 'services: [dukcapil-kia]'));
    const err = (await loadCatalogue(dir).catch((e: unknown) => e)) as CatalogueError;
    expect(err.issues).toContainEqual(expect.objectContaining({ field: 'counters.4.services.0', message: expect.stringContaining('belongs to dukcapil') }));
  });

  it('rejects a service file whose id differs from its file name', async () => {
    const dir = await copyOfContent();
    const from = path.join(dir, 'services', 'djp-npwp.yaml');
    await writeFile(path.join(dir, 'services', 'djp-npwp-copy.yaml'), await readFile(from, 'utf8'));
    const err = (await loadCatalogue(dir).catch((e: unknown) => e)) as CatalogueError;
    expect(err.issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('djp-npwp-copy.yaml'), field: 'id' }));
  });
});
