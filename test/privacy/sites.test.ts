import { afterEach, describe, expect, it } from 'vitest';
import { BookingKeys } from '../../src/appointments/keys.js';
import { allText, startTestApp, testRedis, type TestApp } from '../helpers.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('"hapus data saya" in a deployment of several MPPs', () => {
  it('erases the citizen\'s tickets at every site and cancels the active ones', async () => {
    const app = await startTestApp();
    apps.push(app);
    const utara = app.sites.get('kec-utara')!;
    const u = { channel: 'test', userKey: `forget-sites-${Math.random()}` };
    const atMain = (await app.sites.main.queue.take({ serviceId: 'polri-skck-perpanjangan', citizen: u, source: 'test' })).ticket;
    const atUtara = (await utara.queue.take({ serviceId: 'dukcapil-kk-baru', citizen: u, source: 'test' })).ticket;
    // A finished one at Kec. Utara: erased too (its link to the citizen), not cancelled.
    const served = (await utara.queue.take({ serviceId: 'polri-skck-baru', citizen: u, source: 'test' })).ticket;
    expect((await utara.queue.callNext('loket-2'))?.id).toBe(served.id);
    await utara.queue.act(served.id, 'done');

    await app.engine.handle({ ...u, text: 'hapus data saya' });
    const done = await app.engine.handle({ ...u, choice: 'forget-yes' });
    expect(allText(done)).toContain('tautan ke 3 nomor antrean (2 antrean aktif dibatalkan)');
    for (const [queue, id] of [[app.sites.main.queue, atMain.id], [utara.queue, atUtara.id]] as const) {
      expect(await queue.get(id)).toMatchObject({ status: 'cancelled', subject: '', to: '', channel: '' });
      expect(await queue.activeTickets(u.channel, u.userKey)).toEqual([]);
    }
    expect(await utara.queue.get(served.id)).toMatchObject({ status: 'done', subject: '', to: '', channel: '' });
  });
});

describe('the nightly retention sweep in a deployment of several MPPs', () => {
  it("gives back an expiry to a Kec. Utara ticket's and booking's personal keys that lost theirs", async () => {
    const app = await startTestApp();
    apps.push(app);
    const redis = testRedis();
    const utara = app.sites.get('kec-utara')!;
    const u = { channel: 'test', userKey: `sweep-sites-${Math.random()}` };
    const { ticket } = await utara.queue.take({ serviceId: 'polri-skck-perpanjangan', citizen: u, source: 'test' });
    const booking = await utara.appointments.book('polri-skck-baru', '2026-11-24', '09:00', u);
    const ticketKey = utara.queue.ticketSlot.ticketKey(ticket.id);
    const keys = new BookingKeys(app.config.REDIS_PREFIX, 'kec-utara');
    const personal = [ticketKey, keys.booking(booking.id), keys.citizen(booking.subject), keys.all(booking.subject)];
    for (const key of personal) expect(await redis.persist(key)).toBe(1);
    const result = await app.retention.run();
    expect(result.expiryRestored).toBeGreaterThanOrEqual(personal.length);
    for (const key of personal) expect(await redis.ttl(key)).toBeGreaterThan(29 * 86_400);
  });
});
