import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/pages/html-page.js';
import { safeNext } from '../../src/http/staff/routes.js';
import { login, openLoginForm, setCookie, signedIn, startStaffApp, translator, type StaffApp } from './staff-app.js';

let app: StaffApp;
beforeEach(async () => {
  app = await startStaffApp();
  await app.staff.store.create('budi', 'a-long-password', 'counter', ['loket-1']);
});
afterEach(async () => {
  await app.close();
});

const text = async (locale: 'id' | 'en', key: string, params?: Record<string, unknown>) => escapeHtml((await translator()).t(locale, key, params));

describe('GET /login', () => {
  it('serves a form with labels from locales, a hidden double-submit token and no inline script', async () => {
    const { html, cookie } = await openLoginForm(app);
    expect(html).toContain(await text('id', 'staff.username'));
    expect(html).toContain(await text('id', 'staff.password'));
    expect(html).not.toMatch(/<script|\{\{/);
    expect(cookie).toMatch(/^mpp_login_csrf=[\w-]{32}$/);
    const en = await (await fetch(`${app.url}/login`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(await text('en', 'staff.submit'));
  });

  it('keeps a safe next in the form, drops an unsafe one, and serves its stylesheet', async () => {
    expect((await openLoginForm(app, '?next=%2Fcounter%3Fa%3D1')).html).toContain('name="next" value="/counter?a=1"');
    expect((await openLoginForm(app, '?next=%2F%2Fevil.com')).html).toContain('name="next" value=""');
    const css = await fetch(`${app.url}/staff/style.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});

describe('POST /login', () => {
  it('signs in: HttpOnly, SameSite=Strict session cookie and a 303 to next', async () => {
    const res = await login(app, { username: 'budi', password: 'a-long-password', next: '/counter/loket-1?tab=queue' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/counter/loket-1?tab=queue');
    const cookie = setCookie(res, 'mpp_staff')!;
    expect(cookie.header).toMatch(/; HttpOnly/);
    expect(cookie.header).toMatch(/; SameSite=Strict/);
    expect(cookie.header).toMatch(/; Path=\//);
    expect(cookie.header).not.toMatch(/; Secure/);
    const me = await fetch(`${app.url}/api/me`, { headers: { cookie: cookie.pair } });
    expect(await me.json()).toMatchObject({ username: 'budi', role: 'counter', counters: ['loket-1'] });
  });

  it('accepts the username in any case and with spaces around it', async () => {
    expect((await login(app, { username: '  Budi ', password: 'a-long-password' })).status).toBe(303);
  });

  it('marks the cookie Secure when COOKIE_SECURE=true', async () => {
    const secure = await startStaffApp({ COOKIE_SECURE: 'true' });
    try {
      await secure.staff.store.create('budi', 'a-long-password', 'counter', ['loket-1']);
      const res = await login(secure, { username: 'budi', password: 'a-long-password' });
      expect(setCookie(res, 'mpp_staff')!.header).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password with 401 and the polite message, keeping the username', async () => {
    const res = await login(app, { username: 'budi', password: 'not-the-password' });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain(await text('id', 'staff.wrong_credentials'));
    expect(html).toContain('value="budi"');
    expect(setCookie(res, 'mpp_staff')).toBeUndefined();
    const en = await login(app, { username: 'nobody', password: 'not-the-password', headers: { 'accept-language': 'en' } });
    expect(en.status).toBe(401);
    expect(await en.text()).toContain(await text('en', 'staff.wrong_credentials'));
  });

  it('escapes what the user typed when showing it again', async () => {
    const html = await (await login(app, { username: '"><script>alert(1)</script>', password: 'x' })).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('refuses a 6th attempt after 5 failures with a polite 429, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login(app, { username: 'budi', password: `wrong-${i}` })).status).toBe(401);
    const res = await login(app, { username: 'budi', password: 'a-long-password' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(await res.text()).toContain(await text('id', 'staff.too_many_attempts', { minutes: 15 }));
    expect(setCookie(res, 'mpp_staff')).toBeUndefined();
  });

  it('counts parallel guesses too: of 12 at once, at most 5 are checked', async () => {
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => login(app, { username: 'budi', password: `guess-${i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('limits one address to 20 failures across usernames', async () => {
    for (const name of ['ani', 'citra', 'dodi', 'eko']) {
      for (let i = 0; i < 5; i++) expect((await login(app, { username: name, password: 'not-the-password' })).status).toBe(401);
    }
    expect((await login(app, { username: 'budi', password: 'a-long-password' })).status).toBe(429);
  });

  it('a success clears the failures of that username, and successes do not use up the address', async () => {
    for (let i = 0; i < 4; i++) await login(app, { username: 'budi', password: 'not-the-password' });
    expect((await login(app, { username: 'budi', password: 'a-long-password' })).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await login(app, { username: 'budi', password: 'not-the-password' })).status).toBe(401);
    for (let i = 0; i < 20; i++) expect((await login(app, { username: 'budi', password: 'a-long-password' })).status).toBe(303);
  });

  it('never redirects off the site: next=//evil.com and friends go to /counter', async () => {
    for (const next of ['//evil.com', '/\\evil.com', 'https://evil.com', 'evil.com', '']) {
      const res = await login(app, { username: 'budi', password: 'a-long-password', next });
      expect(res.status, next).toBe(303);
      expect(res.headers.get('location'), next).toBe('/counter');
    }
  });

  it('refuses a form without the login token (cross-site post) and offers a fresh form', async () => {
    const body = new URLSearchParams({ username: 'budi', password: 'a-long-password', _csrf: 'forged' });
    const res = await fetch(`${app.url}/login`, { method: 'POST', body, redirect: 'manual', headers: { cookie: 'mpp_login_csrf=other' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(await text('id', 'staff.form_expired'));
    expect(setCookie(res, 'mpp_staff')).toBeUndefined();
  });

  it('refuses a body over 10 kB', async () => {
    const form = await openLoginForm(app);
    const body = new URLSearchParams({ username: 'budi', password: 'x'.repeat(11_000), _csrf: form.token });
    const res = await fetch(`${app.url}/login`, { method: 'POST', body, redirect: 'manual', headers: { cookie: form.cookie } });
    expect(res.status).toBe(413);
  });
});

describe('POST /logout', () => {
  it('destroys the session: the old cookie gets 401 afterwards', async () => {
    const cookie = await signedIn(app, 'budi', 'a-long-password');
    const { csrf } = (await (await fetch(`${app.url}/api/me`, { headers: { cookie } })).json()) as { csrf: string };
    const res = await fetch(`${app.url}/logout`, { method: 'POST', body: new URLSearchParams({ _csrf: csrf }), redirect: 'manual', headers: { cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?logged_out=1');
    expect(setCookie(res, 'mpp_staff')!.header).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie } })).status).toBe(401);
    const page = await (await fetch(`${app.url}/login?logged_out=1`)).text();
    expect(page).toContain(await text('id', 'staff.logged_out'));
  });

  it('needs the session token, so another site cannot sign staff out', async () => {
    const cookie = await signedIn(app, 'budi', 'a-long-password');
    const res = await fetch(`${app.url}/logout`, { method: 'POST', body: new URLSearchParams({}), redirect: 'manual', headers: { cookie } });
    expect(res.status).toBe(403);
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie } })).status).toBe(200);
  });

  it('signing in again ends the previous session of that browser', async () => {
    const first = await signedIn(app, 'budi', 'a-long-password');
    const form = await openLoginForm(app);
    const body = new URLSearchParams({ username: 'budi', password: 'a-long-password', _csrf: form.token });
    const res = await fetch(`${app.url}/login`, { method: 'POST', body, redirect: 'manual', headers: { cookie: `${form.cookie}; ${first}` } });
    expect(res.status).toBe(303);
    expect((await fetch(`${app.url}/api/me`, { headers: { cookie: first } })).status).toBe(401);
  });
});

describe('safeNext', () => {
  it('accepts local paths only', () => {
    expect(['/counter', '/a/b?c=d#e', '/'].every(safeNext)).toBe(true);
    expect(['//evil.com', '/\\evil.com', 'http://x', 'javascript:alert(1)', '', '/a\nb', 'counter'].some(safeNext)).toBe(false);
  });
});
