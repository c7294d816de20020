import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCookie, signedIn, startStaffApp, type StaffApp } from './staff-app.js';

let app: StaffApp;
beforeAll(async () => {
  app = await startStaffApp();
  await app.staff.store.create('budi', 'a-long-password', 'counter', ['loket-1']);
});
afterAll(async () => {
  await app.close();
});

/** Opens the form with the session cookie: its hidden CSRF token. */
async function openForm(cookie: string, lang = 'id'): Promise<{ token: string; html: string }> {
  const res = await fetch(`${app.url}/staff/password`, { headers: { cookie, 'accept-language': lang } });
  expect(res.status).toBe(200);
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('password form without its CSRF token');
  return { token, html };
}

async function change(cookie: string, fields: { current: string; password: string; repeat?: string }, lang = 'id') {
  const { token } = await openForm(cookie, lang);
  const body = new URLSearchParams({ _csrf: token, current: fields.current, password: fields.password, repeat: fields.repeat ?? fields.password });
  const res = await fetch(`${app.url}/staff/password`, { method: 'POST', body, headers: { cookie, 'accept-language': lang }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), cookie: setCookie(res, 'mpp_staff')?.pair };
}

describe('the staff password-change page', () => {
  it('is for signed-in staff only', async () => {
    const res = await fetch(`${app.url}/staff/password`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.status).not.toBe(200);
  });

  it('refuses a weak new password with a clear message, in the page\'s language, and keeps the old one', async () => {
    const cookie = await signedIn(app, 'budi', 'a-long-password');
    for (const weak of [' '.repeat(10), 'aaaaaaaaaa', 'Bismillah123']) {
      const id = await change(cookie, { current: 'a-long-password', password: weak });
      expect(id.status, JSON.stringify(weak)).toBe(400);
      expect(id.html).toContain('terlalu mudah ditebak');
    }
    const en = await change(cookie, { current: 'a-long-password', password: 'rahasia2024' }, 'en');
    expect(en.status).toBe(400);
    expect(en.html).toContain('too easy to guess');
    expect((await change(cookie, { current: 'a-long-password', password: 'short' })).html).toContain('minimal 10 karakter');
    expect(await app.staff.store.verify('budi', 'a-long-password')).toBeDefined();
  });

  it('needs the current password and the new one twice', async () => {
    const cookie = await signedIn(app, 'budi', 'a-long-password');
    expect((await change(cookie, { current: 'wrong-password', password: 'kopi tubruk di pasar senen' })).status).toBe(401);
    const mismatch = await change(cookie, { current: 'a-long-password', password: 'kopi tubruk di pasar senen', repeat: 'kopi tubruk di pasar baru' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('tidak sama');
  });

  it('changes a strong one, signs out the other sessions and keeps this one', async () => {
    const other = await signedIn(app, 'budi', 'a-long-password');
    const mine = await signedIn(app, 'budi', 'a-long-password');
    const done = await change(mine, { current: 'a-long-password', password: 'kopi tubruk di pasar senen' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('sudah diganti');
    expect(await app.staff.store.verify('budi', 'kopi tubruk di pasar senen')).toBeDefined();
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie: other } })).status).toBe(401);
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie: done.cookie! } })).status).toBe(200);
  });
});
