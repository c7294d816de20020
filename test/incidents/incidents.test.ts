import { describe, expect, it } from 'vitest';
import { allText, choiceIds, staffSession } from '../helpers.js';
import { setupNotices, tuesdayAt, until } from '../appointments/support.js';
import { remindersSettled } from '../recording-notifier.js';

const SKCK = 'polri-skck-baru';
const take = (app: Awaited<ReturnType<typeof setupNotices>>['app'], serviceId: string, userKey: string) =>
  app.queue.take({ serviceId, citizen: { channel: 'test', userKey }, source: 'test' }).then((r) => r.ticket);

describe('incident broadcast', () => {
  it('tells each ticket holder of the service once, and nobody else, even when declared twice', async () => {
    const { app, runtime, sent } = await setupNotices();
    const tickets = [await take(app, SKCK, 'skck-1'), await take(app, SKCK, 'skck-2'), await take(app, SKCK, 'skck-3')];
    await take(app, 'polri-skck-perpanjangan', 'other-service');
    await app.queue.callNext('loket-4'); // a called ticket is told too
    const request = { scope: { type: 'service' as const, id: SKCK }, kind: 'blanko_habis' as const, message: 'Blanko SKCK habis, stok datang pukul 13.00.', offers: { cancel: true, move: true }, by: 'operator' };
    const first = await app.incidents.declare(request);
    expect(first).toMatchObject({ created: true, toldNow: 3 });
    await runtime.start({ scheduler: false });
    await until(() => sent.length === 3);
    const again = await app.incidents.declare({ ...request, message: 'pesan kedua' });
    expect(again).toMatchObject({ created: false, toldNow: 0 });
    expect(again.incident.id).toBe(first.incident.id);
    await remindersSettled(runtime, app.queue.eventStream);
    expect(sent.map((s) => s.to).sort()).toEqual(['skck-1', 'skck-2', 'skck-3']);
    const notice = sent[0]!.message;
    expect(notice.text).toContain('Blanko habis');
    expect(notice.text).toContain('Blanko SKCK habis, stok datang pukul 13.00.');
    expect(notice.choices?.map((c) => c.id)).toEqual(['keep', 'cancel', 'move', 'menu']);
    expect((await app.incidents.today())[0]).toMatchObject({ id: first.incident.id, told: 3, message: request.message });
    expect(tickets).toHaveLength(3);
  });

  it('lets the citizen cancel the ticket from the notice, or keep it', async () => {
    const { app, runtime, sent } = await setupNotices();
    const mine = await take(app, 'dukcapil-kk-baru', 'kk-1');
    await take(app, 'dukcapil-kk-baru', 'kk-2');
    await app.incidents.declare({ scope: { type: 'agency', id: 'dukcapil' }, kind: 'sistem_offline', message: 'SIAK offline.', offers: { cancel: true, move: true }, by: 'op' });
    await runtime.start({ scheduler: false });
    await until(() => sent.length === 2);
    // kk-baru takes no bookings: no "move".
    expect(sent[0]!.message.choices?.map((c) => c.id)).toEqual(['keep', 'cancel', 'menu']);
    const ask = await app.engine.handle({ channel: 'test', userKey: 'kk-1', choice: 'cancel' });
    expect(allText(ask)).toContain(`Yakin ingin membatalkan antrean ${mine.number}`);
    const done = await app.engine.handle({ channel: 'test', userKey: 'kk-1', choice: 'yes' });
    expect(allText(done)).toContain(`Antrean ${mine.number} sudah dibatalkan`);
    expect((await app.queue.get(mine.id))!.status).toBe('cancelled');
    const kept = await app.engine.handle({ channel: 'test', userKey: 'kk-2', text: '1' });
    expect(allText(kept)).toContain('tetap berlaku');
  });

  it('tells booking holders of the day too, and "move" changes their booking', async () => {
    const { app, runtime, sent, clock } = await setupNotices();
    const booking = await app.appointments.book(SKCK, '2026-11-24', '10:00', { channel: 'test', userKey: 'booked' });
    clock.set(tuesdayAt('08:30'));
    await take(app, SKCK, 'walk-in');
    const declared = await app.incidents.declare({ scope: { type: 'service', id: SKCK }, kind: 'loket_tutup', message: 'Loket 4 tutup hari ini.', offers: { cancel: false, move: true }, by: 'op' });
    expect(declared.toldNow).toBe(2);
    await runtime.start({ scheduler: false });
    await until(() => sent.length === 2);
    const toBooked = sent.find((s) => s.to === 'booked')!.message;
    expect(toBooked.text).toContain(booking.code);
    expect(toBooked.choices?.map((c) => c.id)).toEqual(['keep', 'move', 'menu']);
    const days = await app.engine.handle({ channel: 'test', userKey: 'booked', choice: 'move' });
    expect(allText(days)).toContain('Pindah janji temu');
    expect(choiceIds(days)[0]).toBe('d.2026-11-25');
    await app.engine.handle({ channel: 'test', userKey: 'booked', choice: 'd.2026-11-25' });
    await app.engine.handle({ channel: 'test', userKey: 'booked', choice: 't.0900' });
    const moved = await app.engine.handle({ channel: 'test', userKey: 'booked', choice: 'yes' });
    expect(allText(moved)).toContain('sudah dipindahkan');
    expect(await app.appointments.store.get(booking.id)).toMatchObject({ day: '2026-11-25', slot: '09:00', status: 'active' });
    // A ticket holder who moves books another day, and today's ticket is given up once booked.
    await app.engine.handle({ channel: 'test', userKey: 'walk-in', choice: 'move' });
    await app.engine.handle({ channel: 'test', userKey: 'walk-in', choice: 'd.2026-11-26' });
    await app.engine.handle({ channel: 'test', userKey: 'walk-in', choice: 't.1000' });
    const booked = await app.engine.handle({ channel: 'test', userKey: 'walk-in', choice: 'yes' });
    expect(allText(booked)).toContain('Janji temu Anda sudah tercatat');
    expect(allText(booked)).toContain('sudah dibatalkan karena Anda memilih hari lain');
    expect(await app.queue.activeTickets('test', 'walk-in')).toHaveLength(0);
  });

  it('serves the operator page to operators only, and declares with the CSRF token', async () => {
    const { app } = await setupNotices();
    await take(app, SKCK, 'page-1');
    const counter = await staffSession(app, 'loket4', 'counter', ['loket-4']);
    expect((await fetch(`${app.url}/admin/incidents`, { headers: { cookie: counter.cookie }, redirect: 'manual' })).status).toBe(403);
    const op = await staffSession(app, 'operator1', 'operator');
    const page = await fetch(`${app.url}/admin/incidents`, { headers: { cookie: op.cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('name="_csrf"');
    expect(html).toContain('value="service:polri-skck-baru"');
    expect(html).not.toContain('<script');
    const form = (csrf: string) => new URLSearchParams({ _csrf: csrf, scope: `service:${SKCK}`, kind: 'lainnya', message: 'Antrean <b>tertunda</b> 30 menit.', offer_cancel: '1' });
    const forged = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie, accept: 'text/html' }, body: form('nope'), redirect: 'manual' });
    expect(forged.status).toBe(403);
    const posted = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: form(op.csrf), redirect: 'manual' });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/admin/incidents?done=new&told=1');
    const list = await (await fetch(`${app.url}${posted.headers.get('location')!}`, { headers: { cookie: op.cookie } })).text();
    expect(list).toContain('Warga yang baru diberi tahu: 1');
    expect(list).toContain('Antrean &lt;b&gt;tertunda&lt;/b&gt; 30 menit.');
    const bad = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, scope: 'service:nope', kind: 'lainnya', message: 'x' }), redirect: 'manual' });
    expect(bad.status).toBe(400);
  });
});
