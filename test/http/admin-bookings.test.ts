import { describe, expect, it } from 'vitest';
import { staffSession } from '../helpers.js';
import { setupNotices, tuesdayAt } from '../appointments/support.js';

const PASPOR = 'imigrasi-paspor-baru';
const citizen = (n: string) => ({ channel: 'test', userKey: `citizen-${n}` });

describe("the staff page of today's bookings", () => {
  it('lists the day by slot without contact details, and checks a booking in by its code', async () => {
    const { app, clock } = await setupNotices();
    const early = await app.appointments.book(PASPOR, '2026-11-24', '09:00', citizen('a'));
    const late = await app.appointments.book(PASPOR, '2026-11-24', '13:00', citizen('b'));
    await app.appointments.book(PASPOR, '2026-11-24', '13:00', citizen('c'));
    const gone = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('d'));
    await app.appointments.cancel(gone.id, citizen('d'));
    const tomorrow = await app.appointments.book(PASPOR, '2026-11-25', '09:00', citizen('e'));
    clock.set(tuesdayAt('09:10'));
    const desk = await staffSession(app, 'desk1', 'counter', ['loket-3']);
    const get = () => fetch(`${app.url}/staff/bookings`, { headers: { cookie: desk.cookie } });
    const page = await (await get()).text();
    expect(page).toContain('Selasa, 24 November 2026');
    expect(page).toContain('3 janji temu: 0 sudah check-in, 3 belum datang.');
    expect(page).toContain('Pukul 09.00 · 1 janji, 0 sudah check-in');
    expect(page).toContain('Pukul 13.00 · 2 janji, 0 sudah check-in');
    expect(page.indexOf('Pukul 09.00')).toBeLessThan(page.indexOf('Pukul 13.00'));
    expect(page).toContain(late.code);
    expect(page).not.toContain(gone.code);
    expect(page).not.toContain(tomorrow.code);
    expect(page).not.toContain('citizen-');

    const post = (code: string, csrf = desk.csrf) => fetch(`${app.url}/staff/bookings/check-in`, { method: 'POST', headers: { cookie: desk.cookie }, body: new URLSearchParams({ _csrf: csrf, code }), redirect: 'manual' });
    expect((await post(early.code, 'wrong')).status).toBe(403);
    const done = await post(early.code.toLowerCase());
    expect(done.status).toBe(200);
    const after = await done.text();
    expect(after).toMatch(new RegExp(`Check-in berhasil: ${early.code} \\(Paspor baru\\)\\. Nomor antrean B-001, 0 orang di depannya\\.`));
    expect(after).toContain('Pukul 09.00 · 1 janji, 1 sudah check-in');
    expect(after).toMatch(new RegExp(`${early.code}</td><td>Paspor baru</td><td>Sudah check-in</td><td class="number">B-001`));
    expect(await (await post(early.code)).text()).toContain(`${early.code} sudah check-in sebelumnya. Nomor antreannya B-001.`);

    const wrong = await post('JT-ZZZZZ');
    expect(wrong.status).toBe(404);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('Kode JT-ZZZZZ tidak ditemukan');
    expect(wrongHtml).toContain('value="JT-ZZZZZ"');
    const otherDay = await post(tomorrow.code);
    expect(otherDay.status).toBe(409);
    expect(await otherDay.text()).toContain(`Janji temu ${tomorrow.code} untuk Rabu, 25 November 2026, bukan hari ini.`);
    const tooEarly = await post(late.code);
    expect(await tooEarly.text()).toContain('check-in dibuka pukul 12.30');
    expect(await (await post(gone.code)).text()).toContain(`Janji temu ${gone.code} sudah dibatalkan.`);
    expect((await post('x')).status).toBe(400);
  });

  it('keeps the JSON endpoint, answering in Indonesian first and in English when asked', async () => {
    const { app, clock } = await setupNotices();
    const other = await app.appointments.book(PASPOR, '2026-11-25', '09:00', citizen('f'));
    const today = await app.appointments.book(PASPOR, '2026-11-24', '09:00', citizen('g'));
    clock.set(tuesdayAt('09:00'));
    const desk = await staffSession(app, 'desk1', 'counter', ['loket-3']);
    const post = (body: unknown, lang?: string) =>
      fetch(`${app.url}/staff/api/bookings/check-in`, { method: 'POST', headers: { cookie: desk.cookie, 'content-type': 'application/json', 'x-csrf-token': desk.csrf, ...(lang ? { 'accept-language': lang } : {}) }, body: JSON.stringify(body) });
    const missing = await post({ code: 'JT-NONE0' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'unknown_booking', message: 'Kode JT-NONE0 tidak ditemukan. Periksa lagi kodenya bersama warga.' } });
    expect(((await (await post({ code: 'JT-NONE0' }, 'en-GB,en;q=0.9')).json()) as { error: { message: string } }).error.message).toBe('No booking with code JT-NONE0. Check the code with the citizen.');
    const otherDay = await post({ code: other.code });
    expect(otherDay.status).toBe(409);
    expect(((await otherDay.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'check_in_window', message: expect.stringContaining('bukan hari ini') });
    expect(((await (await post({ nope: 1 })).json()) as { error: { message: string } }).error.message).toContain('Tulis kode janji temu');
    const ok = await post({ code: today.code });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ booking: { code: today.code, status: 'checked-in' }, ticket: { number: 'B-001' }, message: expect.stringContaining('Check-in berhasil') });
  });

  it('is for signed-in staff only', async () => {
    const { app } = await setupNotices();
    for (const path of ['/staff/bookings']) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
    }
    expect((await fetch(`${app.url}/staff/bookings/check-in`, { method: 'POST', body: new URLSearchParams({ code: 'JT-AAAAA' }), redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${app.url}/staff/api/bookings/check-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"JT-AAAAA"}' })).status).toBe(401);
  });
});
