import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogueError } from '../../src/catalogue/loader.js';
import { loadUnderstandingData } from '../../src/understanding/load.js';

async function copyContent(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'und-'));
  await cp('content/intents.yaml', path.join(dir, 'intents.yaml'));
  await cp('content/not-here.yaml', path.join(dir, 'not-here.yaml'));
  return dir;
}

describe('understanding data files', () => {
  it('the shipped files validate, with every related service known', async () => {
    const ids = new Set(['polri-sim-perpanjangan', 'dpmptsp-nib', 'samsat-pajak-lima-tahunan', 'bnn-skhpn', 'disnaker-kartu-kuning', 'bpn-pengecekan-sertifikat', 'dukcapil-akta-perkawinan']);
    const data = await loadUnderstandingData('content', ids);
    expect(data.notHere.entries.length).toBeGreaterThanOrEqual(18);
  });

  it('names every problem: a missing intent, a bad entry id and an unknown related service', async () => {
    const dir = await copyContent();
    const intents = (await readFile(path.join(dir, 'intents.yaml'), 'utf8')).replace(/\n {2}thanks:\n(?: {4}.*\n)+/, '\n');
    await writeFile(path.join(dir, 'intents.yaml'), intents);
    const notHere = (await readFile(path.join(dir, 'not-here.yaml'), 'utf8')).replace('- id: sktm', '- id: SKTM!').replace('related: dpmptsp-nib', 'related: no-such-service');
    await writeFile(path.join(dir, 'not-here.yaml'), notHere);
    const err = await loadUnderstandingData(dir, new Set(['polri-sim-perpanjangan'])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogueError);
    const fields = (err as CatalogueError).issues.map((i) => i.field);
    expect(fields).toContain('intents.thanks');
    expect(fields.some((f) => /^entries\.\d+\.id$/.test(f))).toBe(true);
  });

  it('an unknown related service is reported when the content is otherwise valid', async () => {
    const dir = await copyContent();
    const notHere = (await readFile(path.join(dir, 'not-here.yaml'), 'utf8')).replace('related: polri-sim-perpanjangan', 'related: no-such-service');
    await writeFile(path.join(dir, 'not-here.yaml'), notHere);
    const err = (await loadUnderstandingData(dir, new Set(['dpmptsp-nib'])).catch((e: unknown) => e)) as CatalogueError;
    expect(err.issues.some((i) => i.message.includes('no-such-service'))).toBe(true);
  });
});
