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
    // The first post only asks for confirmation: nobody is told yet.
    const review = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: form(op.csrf), redirect: 'manual' });
    expect(review.status).toBe(200);
    const reviewHtml = await review.text();
    expect(reviewHtml).toContain('Pesan ini akan dikirim ke 1 warga');
    expect(reviewHtml).toContain('name="confirm" value="1"');
    expect((await app.incidents.today())).toEqual([]);
    const posted = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams([...form(op.csrf), ['confirm', '1']]), redirect: 'manual' });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/admin/incidents?done=new&told=1&unreached=0');
    const list = await (await fetch(`${app.url}${posted.headers.get('location')!}`, { headers: { cookie: op.cookie } })).text();
    expect(list).toContain('Warga yang baru diberi tahu: 1');
    expect(list).toContain('Antrean &lt;b&gt;tertunda&lt;/b&gt; 30 menit.');
    const bad = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, scope: 'service:nope', kind: 'lainnya', message: 'x' }), redirect: 'manual' });
    expect(bad.status).toBe(400);
  });

  it('starts with no scope chosen, links from /admin, and lets the operator edit before sending', async () => {
    const { app } = await setupNotices();
    const op = await staffSession(app, 'operator1', 'operator');
    const html = await (await fetch(`${app.url}/admin/incidents`, { headers: { cookie: op.cookie } })).text();
    expect(html).toMatch(/<select id="scope" name="scope" required>\s*<option value="" selected disabled>/);
    expect(html).not.toMatch(/<option value="(service|agency):[^"]*" selected/);
    expect(await (await fetch(`${app.url}/admin`, { headers: { cookie: op.cookie } })).text()).toContain('href="/admin/incidents"');
    // Sent without a scope (the empty default): refused, the message kept.
    const none = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, scope: '', kind: 'lainnya', message: 'Pesan saya' }) });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('>Pesan saya</textarea>');
    const edit = await fetch(`${app.url}/admin/incidents`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, scope: `service:${SKCK}`, kind: 'blanko_habis', message: 'Draf', edit: '1' }) });
    const form = await edit.text();
    expect(form).toContain(`<option value="service:${SKCK}" selected>`);
    expect(form).toContain('<option value="blanko_habis" selected>');
    expect(await app.incidents.today()).toEqual([]);
  });

  it('counts the holders who cannot be reached, sends news and the end to those holding a ticket, and stops after the end', async () => {
    const { app, runtime, sent } = await setupNotices();
    await take(app, SKCK, 'chat-1');
    await app.queue.take({ serviceId: SKCK, citizen: { channel: 'kiosk', userKey: 'k1' }, source: 'kiosk' });
    await app.queue.take({ serviceId: SKCK, citizen: { channel: 'counter', userKey: 'c1' }, source: 'counter' });
    const op = await staffSession(app, 'operator1', 'operator');
    const post = (path: string, fields: Record<string, string>) => fetch(`${app.url}${path}`, { method: 'POST', headers: { cookie: op.cookie }, body: new URLSearchParams({ _csrf: op.csrf, ...fields }), redirect: 'manual' });
    const review = await (await post('/admin/incidents', { scope: `service:${SKCK}`, kind: 'sistem_offline', message: 'Sistem SKCK offline.', offer_cancel: '1' })).text();
    expect(review).toContain('Pesan ini akan dikirim ke 1 warga');
    expect(review).toContain('2 pemegang antrean tidak dapat dihubungi');
    const declared = await post('/admin/incidents', { scope: `service:${SKCK}`, kind: 'sistem_offline', message: 'Sistem SKCK offline.', offer_cancel: '1', confirm: '1' });
    expect(declared.headers.get('location')).toBe('/admin/incidents?done=new&told=1&unreached=2');
    const [incident] = await app.incidents.today();
    expect(incident).toMatchObject({ told: 1, unreached: 2, followUps: [] });

    const newsReview = await post(`/admin/incidents/${incident!.id}/update`, { message: 'Perkiraan pulih pukul 11.00.' });
    expect(newsReview.status).toBe(200);
    expect(await newsReview.text()).toContain('Periksa kabar terbaru');
    const news = await post(`/admin/incidents/${incident!.id}/update`, { message: 'Perkiraan pulih pukul 11.00.', confirm: '1' });
    expect(news.headers.get('location')).toBe(`/admin/incidents?done=update&told=1&unreached=2#i-${incident!.id}`);
    const over = await post(`/admin/incidents/${incident!.id}/resolve`, { message: '', confirm: '1' });
    expect(over.status).toBe(303);
    await runtime.start({ scheduler: false });
    await until(() => sent.length === 3);
    const texts = sent.map((s) => s.message.text);
    expect(texts[0]).toContain('Sistem SKCK offline.');
    expect(texts.find((t) => t.includes('Kabar terbaru'))).toContain('Perkiraan pulih pukul 11.00.');
    const end = sent.find((s) => s.message.text.includes('sudah normal kembali'))!;
    expect(end.message.text).toContain('Gangguan sudah teratasi.');
    expect(end.message.choices?.map((c) => c.id)).toEqual(['menu']);
    const page = await (await fetch(`${app.url}/admin/incidents`, { headers: { cookie: op.cookie } })).text();
    expect(page).toContain('Selesai pukul');
    expect(page).toContain('Kabar terbaru');
    expect(page).not.toContain(`action="/admin/incidents/${incident!.id}/resolve"`);
    // The end cannot be announced twice, nor news after it; unknown ids and CSRF are refused.
    expect((await post(`/admin/incidents/${incident!.id}/resolve`, { confirm: '1' })).status).toBe(409);
    expect((await post('/admin/incidents/nosuchincident/update', { message: 'x', confirm: '1' })).status).toBe(404);
    expect((await fetch(`${app.url}/admin/incidents/${incident!.id}/update`, { method: 'POST', headers: { cookie: op.cookie, accept: 'text/html' }, body: new URLSearchParams({ _csrf: 'nope', message: 'x', confirm: '1' }), redirect: 'manual' })).status).toBe(403);
    const counter = await staffSession(app, 'loket4', 'counter', ['loket-4']);
    expect((await fetch(`${app.url}/admin/incidents/${incident!.id}/update`, { method: 'POST', headers: { cookie: counter.cookie }, body: new URLSearchParams({ _csrf: counter.csrf, message: 'x', confirm: '1' }), redirect: 'manual' })).status).toBe(403);
  });
});
