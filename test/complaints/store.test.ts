import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ComplaintStore } from '../../src/complaints/store.js';
import { findReference } from '../../src/complaints/complaint.js';
import { maskTokens } from '../../src/privacy/mask.js';
import { testRedis } from '../helpers.js';
import { calendar, slow, testComplaints, wib } from './support.js';

const me = { channel: 'telegram', userKey: 'tg-777' };

describe('filing a complaint', () => {
  it('numbers ADU-YYYYMMDD-NNNN per local day, starting again the next day', async () => {
    const { store, clock } = testComplaints({ clock: new ManualClock(wib('2026-11-23', '23:58')) });
    expect((await store.create(slow, { citizen: me, locale: 'id' })).reference).toBe('ADU-20261123-0001');
    expect((await store.create(slow, { citizen: me, locale: 'id' })).reference).toBe('ADU-20261123-0002');
    // 00:01 WIB on the 24th is still the 23rd in UTC: the local day decides.
    clock.set(wib('2026-11-24', '00:01'));
    expect((await store.create(slow, { locale: 'id' })).reference).toBe('ADU-20261124-0001');
  });

  it('never issues the same reference from 200 concurrent creates on several connections', async () => {
    const { store, prefix, clock } = testComplaints();
    const stores = [store, ...[1, 2, 3].map(() => new ComplaintStore(testRedis(), prefix, clock, calendar))];
    const created = await Promise.all(Array.from({ length: 200 }, (_v, i) => stores[i % stores.length]!.create({ ...slow, what: `aduan ${i}` }, { citizen: { channel: 'webchat', userKey: `u${i}` }, locale: 'id' })));
    const refs = created.map((c) => c.reference);
    expect(new Set(refs).size).toBe(200);
    expect(refs.slice().sort()).toEqual(Array.from({ length: 200 }, (_v, i) => `ADU-20261123-${String(i + 1).padStart(4, '0')}`));
    expect((await store.totals(['2026-11-23'])).created).toBe(200);
  });

  it('keeps the optional facts, masks personal data in the text, and stores no name when anonymous', async () => {
    const { store } = testComplaints();
    const named = await store.create({ ...slow, what: 'Petugas minta nomor HP saya 081234567890', serviceId: 'polri-skck-baru', happenedOn: '2026-11-20', ticketNumber: 'B-004', reporterName: 'Budi' }, { citizen: me, locale: 'id' });
    expect(named).toMatchObject({ status: 'baru', category: 'pelayanan_lambat', agencyId: 'polri', serviceId: 'polri-skck-baru', happenedOn: '2026-11-20', ticketNumber: 'B-004', anonymous: false, day: '2026-11-23' });
    const full = (await store.get(named.reference))!;
    expect(full.what).toBe(`Petugas minta nomor HP saya ${maskTokens.phone}`);
    expect(full.reporterName).toBe('Budi');
    const hidden = await store.create({ what: 'Diminta uang Rp 200.000 agar cepat', category: 'pungli', anonymous: true, reporterName: 'Budi' }, { citizen: me, locale: 'id' });
    const secret = (await store.get(hidden.reference))!;
    expect(secret.anonymous).toBe(true);
    expect(secret.reporterName).toBeUndefined();
    expect(JSON.stringify(secret)).not.toContain('tg-777');
    expect(secret.agencyId).toBeUndefined();
    await expect(store.create({ ...slow, what: '   ' }, { locale: 'id' })).rejects.toMatchObject({ code: 'invalid_complaint' });
  });

  it('writes every officer read of a complaint to its audit log', async () => {
    const { store } = testComplaints();
    const { reference } = await store.create(slow, { locale: 'id' });
    await store.get(reference); // internal read (notifications, figures): not a staff read
    expect(await store.view(reference, 'ani')).toMatchObject({ reference, what: slow.what });
    expect(await store.view('ADU-20991231-0001', 'ani')).toBeUndefined();
    expect((await store.audit.entries()).map((e) => [e.officer, e.target, e.action])).toEqual([['ani', reference, 'view']]);
  });

  it('finds a reference in a citizen\'s words', () => {
    expect(findReference('status aduan ADU-20261123-0007')).toBe('ADU-20261123-0007');
    expect(findReference('cek adu 20261123 0007 dong')).toBe('ADU-20261123-0007');
    expect(findReference('adu-20261123-12345')).toBe('ADU-20261123-12345');
    expect(findReference('status aduan saya')).toBeUndefined();
    expect(findReference('ADU-2026112-0007')).toBeUndefined();
  });
});

describe('complaint status', () => {
  it('moves baru → diproses → selesai, records who and when, and says whom to tell', async () => {
    const { store, clock } = testComplaints();
    const { reference } = await store.create(slow, { citizen: me, locale: 'en' });
    clock.advance(60 * 60_000);
    const verified = await store.transition(reference, 'diproses', 'ani');
    expect(verified).toMatchObject({ from: 'baru', notify: { address: me, locale: 'en' }, complaint: { status: 'diproses' } });
    clock.advance(2 * 60 * 60_000);
    const done = await store.transition(reference, 'selesai', 'budi');
    expect(done.from).toBe('diproses');
    expect(done.complaint.history).toEqual([
      { status: 'diproses', at: wib('2026-11-23', '10:00').getTime(), officer: 'ani' },
      { status: 'selesai', at: wib('2026-11-23', '12:00').getTime(), officer: 'budi' },
    ]);
    expect(done.complaint).toMatchObject({ firstResponseAt: wib('2026-11-23', '10:00').getTime(), resolvedAt: wib('2026-11-23', '12:00').getTime() });
    expect(done.notify).toEqual({ address: me, locale: 'en' });
  });

  it('refuses illegal moves with a coded error naming the current status', async () => {
    const { store } = testComplaints();
    const { reference } = await store.create(slow, { citizen: me, locale: 'id' });
    await expect(store.transition(reference, 'selesai', 'ani')).rejects.toMatchObject({ code: 'illegal_transition', current: 'baru' });
    await expect(store.transition(reference, 'baru', 'ani')).rejects.toMatchObject({ code: 'illegal_transition', current: 'baru' });
    await expect(store.transition(reference, 'diteruskan', 'ani')).rejects.toMatchObject({ code: 'invalid_complaint' });
    await store.transition(reference, 'diteruskan', 'ani', { agencyId: 'dukcapil' });
    expect((await store.record(reference))!.forwardedTo).toBe('dukcapil');
    await store.transition(reference, 'diproses', 'ani'); // the agency sent it back
    await store.transition(reference, 'selesai', 'ani');
    for (const to of ['baru', 'diproses', 'diteruskan', 'selesai'] as const) {
      await expect(store.transition(reference, to, 'ani', { agencyId: 'x' })).rejects.toMatchObject({ code: 'illegal_transition', current: 'selesai' });
    }
    await expect(store.note(reference, 'ani')).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(store.transition('ADU-20261123-9999', 'diproses', 'ani')).rejects.toMatchObject({ code: 'unknown_complaint' });
    expect((await store.get(reference))!.history.map((h) => h.status)).toEqual(['diteruskan', 'diproses', 'selesai']);
  });

  it('lets only one of two officers verify the same complaint at once, and counts its first response once', async () => {
    const { store, prefix, clock } = testComplaints();
    const other = new ComplaintStore(testRedis(), prefix, clock, calendar);
    for (let i = 0; i < 10; i++) {
      const { reference } = await store.create(slow, { locale: 'id' });
      const results = await Promise.allSettled([store.transition(reference, 'diproses', 'ani'), other.transition(reference, 'diproses', 'budi')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'illegal_transition', current: 'diproses' } });
      expect((await store.get(reference))!.history).toHaveLength(1);
    }
    expect((await store.totals(['2026-11-23'])).firstResponse.n).toBe(10);
  });

  it('shows a stranger with the reference only the status, and the sender everything', async () => {
    const { store } = testComplaints();
    const { reference } = await store.create({ ...slow, what: 'Loket tutup lebih awal' }, { citizen: me, locale: 'id' });
    const own = await store.lookup(reference, me);
    if (!own?.own) throw new Error('the sender should see their own complaint');
    expect(own).toMatchObject({ own: true, complaint: { reference, what: 'Loket tutup lebih awal', category: 'pelayanan_lambat' } });
    const stranger = await store.lookup(reference, { channel: 'telegram', userKey: 'someone-else' });
    expect(stranger).toEqual({ own: false, reference, status: 'baru', createdAt: own.complaint.createdAt, updatedAt: own.complaint.updatedAt });
    expect(await store.lookup(reference)).toMatchObject({ own: false });
    expect(await store.lookup('ADU-20991231-0001', me)).toBeUndefined();
    expect(await store.lookup('not a reference', me)).toBeUndefined();
    expect((await store.mine(me)).map((c) => c.reference)).toEqual([reference]);
  });
});

describe('complaint retention and figures', () => {
  it('expires texts and contacts before the record, cuts the contact after selesai, and erases on request', async () => {
    const { store, redis } = testComplaints({ ttls: { textTtlSec: 1000, recordTtlSec: 5000, contactAfterDoneSec: 100 } });
    const { reference } = await store.create({ ...slow, reporterName: 'Ani' }, { citizen: me, locale: 'id' });
    expect(await redis.ttl(store.keys.text(reference))).toBe(1000);
    expect(await redis.ttl(store.keys.contact(reference))).toBe(1000);
    expect(await redis.ttl(store.keys.record(reference))).toBe(5000);
    expect(await redis.ttl(store.keys.stats('2026-11-23'))).toBeGreaterThan(4 * 366 * 86_400);
    await store.transition(reference, 'diproses', 'ani');
    await store.transition(reference, 'selesai', 'ani');
    expect(await redis.ttl(store.keys.contact(reference))).toBe(100);
    expect(await redis.ttl(store.keys.history(reference))).toBe(5000);
    // The record holds nothing about the citizen.
    expect(JSON.stringify(await redis.hgetall(store.keys.record(reference)))).not.toMatch(/tg-777|Ani|Antre/);
    expect(await store.erase(me.channel, me.userKey)).toBe(1);
    const after = (await store.get(reference))!;
    expect(after.what).toBeUndefined();
    expect(after.reporterName).toBeUndefined();
    expect(after.status).toBe('selesai');
    expect(await store.mine(me)).toEqual([]);
  });

  it('counts per category and agency, with times to first response and to resolution', async () => {
    const { store, clock } = testComplaints();
    const a = await store.create(slow, { locale: 'id' });
    const b = await store.create({ ...slow, category: 'pungli' }, { locale: 'id' });
    const c = await store.create({ what: 'AC mati', category: 'fasilitas', anonymous: false }, { locale: 'id' });
    clock.advance(60 * 60_000);
    await store.transition(a.reference, 'diproses', 'ani');
    await store.transition(c.reference, 'diproses', 'ani');
    clock.advance(60 * 60_000);
    await store.transition(b.reference, 'diteruskan', 'ani', { agencyId: 'polri' });
    await store.transition(a.reference, 'selesai', 'ani');
    const t = await store.totals(['2026-11-22', '2026-11-23']);
    expect(t.created).toBe(3);
    expect(t.byCategory).toEqual({ pelayanan_lambat: 1, pungli: 1, fasilitas: 1 });
    expect(t.byAgency.polri).toEqual({ created: 2, firstResponse: { n: 2, meanMs: 90 * 60_000 }, resolution: { n: 1, meanMs: 120 * 60_000 } });
    expect(t.byAgency['-']).toEqual({ created: 1, firstResponse: { n: 1, meanMs: 60 * 60_000 }, resolution: { n: 0 } });
    expect(t.firstResponse).toEqual({ n: 3, meanMs: 80 * 60_000 });
    expect(t.resolution).toEqual({ n: 1, meanMs: 120 * 60_000 });
  });
});
