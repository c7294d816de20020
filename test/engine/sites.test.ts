import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { siteStartHint } from '../../src/channels/telegram/updates.js';
import { citizenKey } from '../../src/redis/keyspace.js';
import { createEngine } from '../../src/engine/create.js';
import { Sites } from '../../src/sites/sites.js';
import { SiteServices } from '../../src/engine/site-services.js';
import type { ActionContext } from '../../src/engine/action.js';
import { siteWords } from '../../src/engine/actions/site-words.js';
import { MONDAY_9AM, allText, choiceIds, silentLogger, startTestApp, testPrefix, testRedis, type TestApp } from '../helpers.js';

/** The demo deployment has two MPP sites: `main` (Kota Contoh, offers all) and `kec-utara` (a subset, 08.00–14.00). */
let app: TestApp;
const clock = new ManualClock(MONDAY_9AM);
beforeAll(async () => {
  // No site hint: these citizens chose no MPP yet, unlike the other test apps' citizens.
  app = await startTestApp({ CHAT_RATE_PER_MINUTE: '600' }, clock, { siteHint: null });
});
afterAll(async () => {
  await app?.close();
});

const citizen = () => ({ channel: 'webchat', userKey: `warga-${Math.random().toString(36).slice(2)}` });
const say = (u: { channel: string; userKey: string }, text: string, extra: { siteHint?: string } = {}) => app.engine.handle({ ...u, text, ...extra });
const ASKS = /Di MPP mana|ada di MPP berikut/;
const SITE_TTL_MS = 30 * 24 * 3600 * 1000;

/** A KK ticket through the chat, at whatever site the citizen has; returns the ticket card's text. */
async function takeKk(u: { channel: string; userKey: string }): Promise<string> {
  await say(u, 'ambil antrean kk baru');
  await app.engine.handle({ ...u, choice: 'confirm' });
  return allText(await app.engine.handle({ ...u, choice: 'all-ready' }));
}

describe('several MPP sites in one conversation', () => {
  it('offers "Ganti MPP" in the main menu, and lists each site with its address and whether it opens today', async () => {
    const u = citizen();
    const menu = await say(u, 'menu');
    expect(choiceIds(menu)).toContain('change-site');
    const list = await app.engine.handle({ ...u, choice: 'change-site' });
    expect(choiceIds(list)).toEqual(['m.main', 'm.kec-utara', 'menu']);
    expect(allText(list)).toMatch(/1\. MPP Kota Contoh, Jl\. Merdeka No\. 1[^\n]*Buka hari ini 08\.00–15\.00/);
    expect(allText(list)).toMatch(/2\. MPP Kec\. Utara, Jl\. Raya Utara No\. 17[^\n]*Buka hari ini 08\.00–14\.00/);
  });

  it('remembers the chosen site across sessions, with the language preference\'s expiry, and greets by its name', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    const subject = SessionStore.subject(u.channel, u.userKey);
    const ttl = await testRedis().pttl(citizenKey(app.config.REDIS_PREFIX, 'site', subject));
    expect(ttl).toBeGreaterThan(SITE_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(SITE_TTL_MS);
    clock.advance(31 * 60_000); // past the session's idle time: a new conversation
    const next = await say(u, 'jam buka hari ini');
    expect(allText(next)).toContain('Mal Pelayanan Publik Kecamatan Contoh Utara');
    expect(allText(next)).toContain('08.00–14.00');
    expect(allText(next)).not.toMatch(ASKS);
    clock.set(MONDAY_9AM);
  });

  it('takes a site hint only while the citizen has none, and ignores an unknown or malformed one', async () => {
    const hinted = citizen();
    expect(allText(await say(hinted, 'halo', { siteHint: 'kec-utara' }))).toContain('Kecamatan Contoh Utara');
    await say(hinted, 'pindah ke mpp kota');
    const after = await say(hinted, 'jam buka hari ini', { siteHint: 'kec-utara' });
    expect(allText(after)).not.toContain('08.00–14.00');
    expect(allText(after)).not.toMatch(ASKS);

    for (const hint of ['tidak-ada', '../../etc', 'x'.repeat(500), '', 'KEC-UTARA']) {
      const u = citizen();
      const r = await say(u, 'jam buka hari ini', { siteHint: hint });
      expect(allText(r)).toMatch(ASKS);
    }
  });

  it('asks "di MPP mana?" only among the sites that offer the service, and not at all for a service at one site', async () => {
    const u = citizen();
    const asked = await say(u, 'ambil antrean skck baru');
    expect(allText(asked)).toMatch(ASKS);
    expect(choiceIds(asked)).toEqual(['m.main', 'm.kec-utara', 'menu']);
    const passport = citizen();
    await say(passport, 'paspor baru');
    const take = await app.engine.handle({ ...passport, choice: 'take' });
    expect(allText(take)).toContain('hanya ada di MPP Kota Contoh');
    expect(choiceIds(take)).toContain('confirm');
  });

  it('takes a site button only where one was offered: a forged or stale one changes nothing', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp kota');
    await say(u, 'paspor baru');
    // A forged or stale button for the other site while nothing waits on a choice of it is stale.
    const forged = await app.engine.handle({ ...u, choice: 'm.kec-utara' });
    expect(allText(forged)).toMatch(/tidak berlaku/);
    const bogus = await app.engine.handle({ ...u, choice: 'm.../x' });
    expect(allText(bogus)).toMatch(/tidak berlaku/);
    expect(allText(await say(u, 'jam buka hari ini'))).not.toContain('08.00–14.00');
  });

  it('numbers tickets per site: A-001 at Kec. Utara after the main site issued its own A tickets', async () => {
    const atMain = citizen();
    await say(atMain, 'pindah ke mpp kota');
    expect(await takeKk(atMain)).toMatch(/Nomor antrean: A-\d{3}/);
    const atUtara = citizen();
    await say(atUtara, 'pindah ke mpp utara');
    expect(await takeKk(atUtara)).toContain('Nomor antrean: A-001');
    const [ticket] = await app.sites.get('kec-utara')!.queue.activeTickets(atUtara.channel, atUtara.userKey);
    expect(ticket?.number).toBe('A-001');
    expect(await app.sites.main.queue.activeTickets(atUtara.channel, atUtara.userKey)).toEqual([]);
  });

  it('acts on the pushed site\'s queue when a citizen answers a ticket notice, whatever site they chose since', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    await takeKk(u);
    const utara = app.sites.get('kec-utara')!.queue;
    const [ticket] = await utara.activeTickets(u.channel, u.userKey);
    await say(u, 'pindah ke mpp kota');
    const notice = await app.engine.push(u.channel, u.userKey, 'ticket_near', { ticket: ticket!.id, notice: 'near', site: 'kec-utara' });
    expect(notice.map((m) => m.text).join('\n')).toContain(ticket!.number);
    const confirm = await app.engine.handle({ ...u, choice: 'cancel-ticket' });
    expect(choiceIds(confirm)).toContain('yes');
    await app.engine.handle({ ...u, text: 'ya' });
    expect(await utara.activeTickets(u.channel, u.userKey)).toEqual([]);
  });

  it('finds the ticket\'s site itself when a notice does not name it', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    await takeKk(u);
    const utara = app.sites.get('kec-utara')!.queue;
    const [ticket] = await utara.activeTickets(u.channel, u.userKey);
    await say(u, 'pindah ke mpp kota');
    await app.engine.push(u.channel, u.userKey, 'ticket_near', { ticket: ticket!.id, notice: 'near' });
    await app.engine.handle({ ...u, choice: 'cancel-ticket' });
    await app.engine.handle({ ...u, text: 'ya' });
    expect(await utara.activeTickets(u.channel, u.userKey)).toEqual([]);
  });

  it('finds a booking\'s site itself when its reminder does not name it, so "Batalkan janji" cancels it there', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    await say(u, 'syarat ktp-el pemula');
    await app.engine.handle({ ...u, choice: 'book' });
    await say(u, '1');
    await say(u, '1');
    expect(allText(await say(u, 'ya'))).toContain('Kode janji temu');
    const utara = app.sites.get('kec-utara')!.appointments;
    const [booking] = await utara.mine(u.channel, u.userKey);
    await say(u, 'pindah ke mpp kota');
    const notice = await app.engine.push(u.channel, u.userKey, 'booking_reminder', { booking: booking!.id, notice: 'booking-daybefore' });
    expect(notice.map((m) => m.text).join('\n')).toContain(booking!.code);
    await app.engine.handle({ ...u, choice: 'cancel' });
    await app.engine.handle({ ...u, text: 'ya' });
    expect(await utara.mine(u.channel, u.userKey)).toEqual([]);
  });

  it('ignores an unknown site in a notice\'s vars', async () => {
    const u = citizen();
    await say(u, 'halo');
    const notice = await app.engine.push(u.channel, u.userKey, 'ticket_near', { ticket: 'tk0000000000000000', notice: 'near', site: 'tidak-ada' });
    expect(notice.length).toBeGreaterThan(0);
    await say(u, 'menu');
    expect(allText(await say(u, 'jam buka hari ini'))).toMatch(ASKS);
  });

  it('names the site that is closed when a booking asks for its closed day (Kec. Utara on Saturday, not the city)', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    expect(allText(await say(u, 'mau bikin janji skck baru sabtu jam 9'))).toMatch(/Pada Sabtu, \d+ \w+ MPP Kec\. Utara tutup\./);
    const k = citizen();
    await say(k, 'pindah ke mpp kota');
    expect(allText(await say(k, 'mau bikin janji skck baru minggu jam 9'))).toMatch(/Pada Minggu, \d+ \w+ MPP Kota Contoh tutup\./);
  });

  it('names the closed site when a ticket cannot be taken (Kec. Utara closes at 14.00, the city at 15.00)', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    clock.set(new Date('2026-11-23T07:30:00Z')); // Monday 14.30 WIB
    try {
      expect(allText(await say(u, 'ambil antrean kk baru'))).toMatch(/karena MPP sedang tutup\. MPP Kec\. Utara buka kembali/);
    } finally {
      clock.set(MONDAY_9AM);
    }
  });

  it('re-asks an unknown reply once, politely, then reads the next as a question of its own', async () => {
    const u = citizen();
    await say(u, 'alamat mpp');
    const again = await say(u, 'zzz');
    expect(allText(again)).toContain('belum menangkap MPP');
    expect(choiceIds(again)).toEqual(['m.main', 'm.kec-utara', 'menu']);
    const question = await say(u, 'syarat kk baru');
    expect(allText(question)).toContain('Kartu Keluarga');
    expect(allText(question)).not.toContain('belum menangkap MPP');
  });

  it('forgets the chosen site with the citizen\'s other data on erasure', async () => {
    const u = citizen();
    await say(u, 'pindah ke mpp utara');
    const key = citizenKey(app.config.REDIS_PREFIX, 'site', SessionStore.subject(u.channel, u.userKey));
    expect(await testRedis().get(key)).toBe('kec-utara');
    await say(u, 'hapus data saya');
    await say(u, 'ya');
    expect(await testRedis().exists(key)).toBe(0);
  });
});

describe('the services a turn sees', () => {
  it('are the chosen site\'s (catalogue view, hours, queue, bookings, incidents), the deployment\'s own without one', () => {
    const base = { catalogue: app.catalogue, search: app.search, hours: app.hours, queue: app.queue, sites: app.sites };
    const at = new SiteServices(base);
    const utara = app.sites.get('kec-utara')!;
    const seen = at.at('kec-utara');
    expect(seen.catalogue.mpp.site).toBe('kec-utara');
    expect(seen.queue).toBe(utara.queue);
    expect(seen.hours).toBe(utara.hours);
    expect(seen.appointments).toBe(utara.appointments);
    expect(seen.incidents).toBe(utara.incidentStore);
    expect(seen.search).toBe(app.search);
    // The site's own quota and note on the shared service's facts.
    expect(seen.catalogue.services.get('dukcapil-ktp-el-baru')?.daily_quota).toBe(40);
    expect(seen.catalogue.services.get('dukcapil-ktp-el-baru')?.requirements).toEqual(app.catalogue.services.get('dukcapil-ktp-el-baru')?.requirements);
    expect(at.at('kec-utara')).toBe(seen);
    expect(at.at(undefined)).toBe(base);
    expect(at.at('tidak-ada')).toBe(base);
    expect(new SiteServices({ ...base, sites: new Sites([app.sites.main]) }).at('main').queue).toBe(app.queue);
  });
});

describe('a deployment with one site', () => {
  it('behaves as before: no "Ganti MPP", no question, no "Tersedia di" line, hints ignored', async () => {
    const main = app.sites.main;
    const { engine } = await createEngine({
      redis: testRedis(),
      prefix: testPrefix(),
      services: { catalogue: app.catalogue, search: app.search, hours: main.hours, queue: main.queue, sites: new Sites([main]) },
      clock,
      logger: silentLogger,
    });
    const u = citizen();
    const menu = await engine.handle({ ...u, text: 'menu', siteHint: 'kec-utara' });
    expect(choiceIds(menu)).toEqual(['search', 'take', 'status', 'info', 'bookings', 'language']);
    expect(allText(menu)).toContain('Kota Contoh');
    const card = await engine.handle({ ...u, text: 'syarat kk baru' });
    expect(allText(card)).not.toMatch(/Tersedia di|Hanya di/);
    const take = await engine.handle({ ...u, text: 'ambil antrean kk baru' });
    expect(allText(take)).not.toMatch(ASKS);
    expect(choiceIds(take)).toContain('confirm');
    expect(allText(await engine.handle({ ...u, text: 'ganti mpp' }))).not.toMatch(/Pilih MPP/);
  });
});

describe('Telegram deep link with a site', () => {
  it('reads /start site-<id> and /start site_<id>, and nothing else', () => {
    expect(siteStartHint('/start site-kec-utara')).toBe('kec-utara');
    expect(siteStartHint('/start@MppBot site_kec-utara')).toBe('kec-utara');
    expect(siteStartHint('/start abcdefghijklmnopqrstuv')).toBeUndefined();
    expect(siteStartHint('/start site-')).toBeUndefined();
    expect(siteStartHint('/start site-KEC')).toBeUndefined();
    expect(siteStartHint('halo site-kec-utara')).toBeUndefined();
  });
});

describe('site resolution in free text', () => {
  const cases: Array<[string, string | undefined, { change: boolean; only: boolean }]> = [
    ['yg utara', 'kec-utara', { change: false, only: true }],
    ['yang di kec utara aja', 'kec-utara', { change: false, only: true }],
    ['kec. utara', 'kec-utara', { change: false, only: true }],
    ['north', 'kec-utara', { change: false, only: true }],
    ['mpp kota contoh', 'main', { change: false, only: true }],
    ['pindah ke mpp kota', 'main', { change: true, only: true }],
    ['pindah ke mpp utara dong', 'kec-utara', { change: true, only: true }],
    // Chat glue around a switch mid-conversation is still the site alone.
    ['eh di kota aja deh', 'main', { change: false, only: true }],
    ['eh yg utara aja lah', 'kec-utara', { change: false, only: true }],
    ['oh the north one instead', 'kec-utara', { change: false, only: true }],
    ['eh di kota ada paspor ga', 'main', { change: false, only: false }],
    ['ganti MPP', undefined, { change: true, only: false }],
    ['di MPP mana saja ada?', undefined, { change: true, only: false }],
    ['which MPP', undefined, { change: true, only: false }],
    ['jam buka mpp utara', 'kec-utara', { change: false, only: false }],
    // A town word inside another question is no choice of site.
    ['surat pindah ke luar kota', 'main', { change: false, only: false }],
    ['syarat ktp hilang', undefined, { change: false, only: false }],
  ];
  it.each(cases)('"%s" names %s', (text, site, flags) => {
    const ctx = {
      services: { sites: app.sites, search: app.search },
      list: (key: string) => [...app.translator.list('id', key), ...app.translator.list('en', key)],
    } as unknown as ActionContext;
    const said = siteWords(ctx, text);
    expect(said.site?.id).toBe(site);
    expect({ change: said.change, only: said.only }).toEqual(flags);
  });

  it('prefers the longest name a text holds, and finds none in an empty text', () => {
    expect(app.sites.named('mpp kecamatan contoh utara', app.search.plainNormaliser)?.id).toBe('kec-utara');
    expect(app.sites.named('', app.search.plainNormaliser)).toBeUndefined();
  });

  it('takes a word only one site\'s names hold as that site, for a reply to "di MPP mana?" ("mpp kecamatan")', () => {
    const n = app.search.plainNormaliser;
    expect(app.sites.named('mpp kecamatan', n)).toBeUndefined();
    expect(app.sites.namedByWord('mpp kecamatan', n)?.id).toBe('kec-utara');
    expect(app.sites.namedByWord('yg di kecamatan aja', n)?.id).toBe('kec-utara');
    // Words both sites' names hold, words none holds, and words of both sites name none.
    expect(app.sites.namedByWord('mpp contoh', n)).toBeUndefined();
    expect(app.sites.namedByWord('gatau terserah', n)).toBeUndefined();
    expect(app.sites.namedByWord('kota atau kecamatan', n)).toBeUndefined();
    // Among the sites offering a pending service only.
    expect(app.sites.namedByWord('kecamatan', n, [app.sites.main])).toBeUndefined();
  });
});
