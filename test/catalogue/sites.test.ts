import { cp, mkdtemp, readFile, rm, writeFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../../src/catalogue/loader.js';
import { offers, serviceAt, siteCatalogue, siteLabel, sitesOffering } from '../../src/catalogue/sites.js';
import { demoCatalogue } from '../helpers.js';

const temps: string[] = [];

async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mpp-sites-'));
  temps.push(dir);
  await cp('content', dir, { recursive: true });
  return dir;
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  await writeFile(file, change(await readFile(file, 'utf8')));
}

async function issuesOf(dir: string): Promise<Array<{ file: string; field: string; message: string }>> {
  const err = await loadCatalogue(dir).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CatalogueError);
  return (err as CatalogueError).issues;
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('MPP sites as data', () => {
  it('loads the main site first, then content/sites/, each with its own hours, counters and offers', async () => {
    const catalogue = await demoCatalogue();
    expect(catalogue.sites.map((s) => s.site)).toEqual(['main', 'kec-utara']);
    expect(catalogue.sites[0]).toBe(catalogue.mpp);
    const utara = catalogue.sites[1]!;
    expect(utara.hours.saturday).toBeNull();
    expect(catalogue.mpp.hours.saturday).not.toBeNull();
    expect(utara.counters.map((c) => c.id)).toContain('loket-1');
    expect(siteLabel(utara)).toBe('MPP Kec. Utara');
    expect(offers(catalogue.mpp, 'imigrasi-paspor-baru')).toBe(true);
    expect(offers(utara, 'imigrasi-paspor-baru')).toBe(false);
    expect(offers(utara, 'dukcapil-ktp-el-baru')).toBe(true);
    expect(sitesOffering(catalogue, 'imigrasi-paspor-baru').map((s) => s.site)).toEqual(['main']);
    expect(sitesOffering(catalogue, 'dukcapil-kk-baru').map((s) => s.site)).toEqual(['main', 'kec-utara']);
  });

  it("a site's view keeps shared facts and applies its own quota and local note; the queue's view holds only what it offers", async () => {
    const catalogue = await demoCatalogue();
    const shared = catalogue.services.get('dukcapil-ktp-el-baru')!;
    const talk = siteCatalogue(catalogue, 'kec-utara', { offeredOnly: false });
    const queue = siteCatalogue(catalogue, 'kec-utara', { offeredOnly: true });
    expect(talk.mpp.site).toBe('kec-utara');
    expect(talk.services.size).toBe(catalogue.services.size);
    expect(queue.services.has('imigrasi-paspor-baru')).toBe(false);
    expect(queue.services.size).toBe(20);
    const atUtara = queue.services.get('dukcapil-ktp-el-baru')!;
    expect(atUtara.daily_quota).toBe(40);
    expect(atUtara.requirements).toEqual(shared.requirements);
    expect(atUtara.notes?.id.at(-1)).toMatch(/08\.00–11\.00/);
    expect(atUtara.notes?.id.length).toBe((shared.notes?.id.length ?? 0) + 1);
    if (atUtara.notes?.en) expect(atUtara.notes.en.length).toBe(atUtara.notes.id.length);
    // The shared record is not changed by a site's view, and the main site has no overrides.
    expect(catalogue.services.get('dukcapil-ktp-el-baru')!.daily_quota).toBe(shared.daily_quota);
    expect(serviceAt(catalogue.mpp, shared)).toBe(shared);
    expect(() => siteCatalogue(catalogue, 'nowhere', { offeredOnly: true })).toThrow(/unknown site/);
  });

  it('a deployment without content/sites/ is one site, exactly as before', async () => {
    const dir = await copyOfContent();
    await rm(path.join(dir, 'sites'), { recursive: true });
    const catalogue = await loadCatalogue(dir);
    expect(catalogue.sites).toEqual([catalogue.mpp]);
    expect(catalogue.mpp.offers).toBe('all');
  });

  it('refuses a site naming unknown services, overriding what it does not offer, or with a wrong or duplicate id', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'sites', 'kec-utara.yaml');
    await edit(file, (t) => t.replace('  - pdam-balik-nama\n', '  - pdam-balik-nama\n  - paspor-kilat\n').replace('  polri-skck-baru:\n    daily_quota: 30\n', '  imigrasi-paspor-baru:\n    daily_quota: 30\n'));
    await writeFile(path.join(dir, 'sites', 'kec-selatan.yaml'), (await readFile(file, 'utf8')).replace('site: kec-utara', 'site: kec-barat'));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('kec-utara.yaml'), field: 'offers.20', message: 'unknown service paspor-kilat' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('kec-utara.yaml'), field: 'overrides.imigrasi-paspor-baru' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('kec-selatan.yaml'), field: 'site', message: expect.stringContaining('kec-barat.yaml') }));
  });

  it('refuses a site that offers a service no queue group or counter of its own serves', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'sites', 'kec-utara.yaml');
    await edit(file, (t) => t.replace('  - pdam-balik-nama\n', '  - pdam-balik-nama\n  - imigrasi-paspor-baru\n'));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual(expect.objectContaining({ field: 'groups', message: expect.stringContaining('imigrasi') }));
    expect(issues).toContainEqual(expect.objectContaining({ field: 'counters', message: expect.stringContaining('imigrasi') }));
  });

  it('refuses two sites with the same id and a site id that is not a slug', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'sites', 'kec-utara.yaml');
    await writeFile(path.join(dir, 'sites', 'main.yaml'), (await readFile(file, 'utf8')).replace('site: kec-utara', 'site: main'));
    await writeFile(path.join(dir, 'sites', 'Kec_Timur.yaml'), (await readFile(file, 'utf8')).replace('site: kec-utara', 'site: Kec_Timur'));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('main.yaml'), message: 'duplicate site id main' }));
    expect(issues).toContainEqual(expect.objectContaining({ file: expect.stringContaining('Kec_Timur.yaml'), field: 'site' }));
    await unlink(path.join(dir, 'sites', 'Kec_Timur.yaml'));
  });

  it('names the site, not the main building\'s floor, as where an agency serves at another site', async () => {
    const catalogue = await demoCatalogue();
    const utara = siteCatalogue(catalogue, 'kec-utara', { offeredOnly: false });
    expect(utara.agencies.get('polri')?.location.id).toBe('MPP Kec. Utara');
    expect(catalogue.agencies.get('polri')?.location.id).toMatch(/Lantai 2/);
    expect(siteCatalogue(catalogue, 'main', { offeredOnly: false }).agencies.get('polri')?.location.id).toMatch(/Lantai 2/);
  });
});
