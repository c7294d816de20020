import { describe, expect, it } from 'vitest';
import { OpeningHours } from '../../src/catalogue/hours.js';
import { siteCatalogue } from '../../src/catalogue/sites.js';
import { QueueService } from '../../src/queue/queue-service.js';
import { QueueError } from '../../src/queue/ticket.js';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { Sites, type Site } from '../../src/sites/sites.js';
import { ManualClock } from '../../src/clock.js';
import { defaultQueuePolicy } from '../../src/queue/policy.js';
import { MONDAY_9AM, demoCatalogue, testPrefix, testRedis } from '../helpers.js';

const citizen = (n: string | number) => ({ channel: 'test', userKey: `warga-${n}` });
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof QueueError ? e.code : String(e)));

/** Each content site with its own queue, as the composition root builds them (the queue is what these tests use). */
async function twoSites(prefix = testPrefix()) {
  const catalogue = await demoCatalogue();
  const clock = new ManualClock(MONDAY_9AM);
  const redis = testRedis();
  const list = catalogue.sites.map((mpp) => {
    const hours = new OpeningHours(mpp, 'content');
    const queue = new QueueService(redis, prefix, siteCatalogue(catalogue, mpp.site, { offeredOnly: true }), hours, clock, defaultQueuePolicy);
    return { id: mpp.site, mpp, catalogue: siteCatalogue(catalogue, mpp.site, { offeredOnly: false }), hours, queue } as unknown as Site;
  });
  return { sites: new Sites(list), catalogue, clock };
}

describe('several MPP sites in one deployment', () => {
  it('numbers each site on its own: A-001 at both sites at once, and each counter calls only its own', async () => {
    const { sites } = await twoSites();
    const main = sites.get('main')!;
    const utara = sites.get('kec-utara')!;
    const [a, b, c] = await Promise.all([
      main.queue.take({ serviceId: 'dukcapil-ktp-el-baru', citizen: citizen(1), source: 'test' }),
      utara.queue.take({ serviceId: 'dukcapil-ktp-el-baru', citizen: citizen(2), source: 'test' }),
      utara.queue.take({ serviceId: 'dukcapil-kk-baru', citizen: citizen(3), source: 'test' }),
    ]);
    expect([a.ticket.number, b.ticket.number, c.ticket.number]).toEqual(['A-001', 'A-001', 'A-002']);
    // loket-1 exists at both sites: each calls its own site's line.
    const calledUtara = await utara.queue.callNext('loket-1');
    expect(calledUtara?.id).toBe(b.ticket.id);
    const calledMain = await main.queue.callNext('loket-1');
    expect(calledMain?.id).toBe(a.ticket.id);
    expect((await main.queue.callNext('loket-2'))).toBeUndefined();
    expect((await utara.queue.snapshot()).services.find((s) => s.serviceId === 'dukcapil-kk-baru')?.waiting).toBe(1);
  });

  it("keeps each site's quota: the site's override, not the shared figure", async () => {
    const { sites, catalogue } = await twoSites();
    const utara = sites.get('kec-utara')!;
    expect((await utara.queue.availability('dukcapil-ktp-el-baru')).quota).toBe(40);
    expect((await sites.main.queue.availability('dukcapil-ktp-el-baru')).quota).toBe(catalogue.services.get('dukcapil-ktp-el-baru')!.daily_quota);
  });

  it('refuses a ticket at a site for a service it does not offer, and keeps the same citizen free to take it at the main site', async () => {
    const { sites } = await twoSites();
    expect(await code(sites.get('kec-utara')!.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: citizen(1), source: 'test' }))).toBe('unknown_service');
    expect(await code(sites.main.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: citizen(1), source: 'test' }))).toBe('ok');
    expect(sites.offering('imigrasi-paspor-baru').map((s) => s.id)).toEqual(['main']);
    expect(sites.offering('samsat-pajak-tahunan').map((s) => s.id)).toEqual(['main', 'kec-utara']);
  });

  it("finds a ticket's site from its id alone, and says nothing for an unknown id", async () => {
    const { sites } = await twoSites();
    const { ticket } = await sites.get('kec-utara')!.queue.take({ serviceId: 'polri-skck-baru', citizen: citizen(1), source: 'test' });
    const found = await sites.ticket(ticket.id);
    expect(found?.site.id).toBe('kec-utara');
    expect(found?.ticket.number).toBe('C-001');
    // Remembered: found again after the first lookup, through the same site.
    expect((await sites.ticket(ticket.id))?.site.id).toBe('kec-utara');
    expect(await sites.ticket('tk0000000000000000')).toBeUndefined();
    expect(await sites.queueOf('tk0000000000000000')).toBe(sites.main.queue);
  });

  it('reads a site named in free text, by name, short name, alias or id, and nothing for other words', async () => {
    const { sites, catalogue } = await twoSites();
    const n = new ServiceSearch(catalogue).normaliser;
    expect(sites.named('yg di kec utara aja', n)?.id).toBe('kec-utara');
    expect(sites.named('pindah ke MPP Kota Contoh', n)?.id).toBe('main');
    expect(sites.named('mpp utara', n)?.id).toBe('kec-utara');
    expect(sites.named('kec-utara', n)?.id).toBe('kec-utara');
    expect(sites.named('mau bikin ktp', n)).toBeUndefined();
    expect(sites.named('', n)).toBeUndefined();
    // The rest of the text, read without the site and the little words that led to it.
    const leading = new Set(['di', 'ke', 'yg', 'yang']);
    expect(sites.strip('antri kk di utara', n, leading)).toMatchObject({ site: { id: 'kec-utara' }, rest: 'antri kk' });
    expect(sites.strip('syarat skck di mpp kota dong', n, leading)?.rest).toBe('syarat skck dong');
    expect(sites.strip('antri kk di utara', n)?.rest).toBe('antri kk di');
    expect(sites.strip('syarat kk', n, leading)).toBeUndefined();
    expect(sites.several).toBe(true);
    expect(sites.orMain('nowhere').id).toBe('main');
  });
});
