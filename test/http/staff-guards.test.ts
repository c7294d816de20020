import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canUseCounter } from '../../src/http/staff/index.js';
import { signedIn, startStaffApp, type StaffApp } from './staff-app.js';

let app: StaffApp;
let counter: string;
let admin: string;
beforeAll(async () => {
  app = await startStaffApp();
  await app.staff.store.create('budi', 'a-long-password', 'counter', ['loket-1']);
  await app.staff.store.create('ani', 'another-long-one', 'admin', []);
  counter = await signedIn(app, 'budi', 'a-long-password');
  admin = await signedIn(app, 'ani', 'another-long-one');
});
afterAll(async () => {
  await app.close();
});

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
const csrfOf = async (cookie: string) => ((await (await get('/api/me', cookie)).json()) as { csrf: string }).csrf;
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('requireStaff', () => {
  it('sends a page request without a session to /login with next (303)', async () => {
    const res = await get('/counter?date=2026-11-23');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fcounter%3Fdate%3D2026-11-23');
  });

  it('answers a JSON request without a session with 401 unauthorized', async () => {
    const res = await get('/api/me');
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('unauthorized');
  });

  it('treats an unknown or malformed cookie as no session, without an error', async () => {
    expect((await get('/api/me', 'mpp_staff=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    expect((await get('/api/me', 'mpp_staff=%%%; other=1')).status).toBe(401);
  });

  it('lets the right roles through and refuses others with 403', async () => {
    expect(await (await get('/counter', counter)).text()).toBe('counter page of budi');
    expect((await get('/admin', admin)).status).toBe(200);
    expect((await get('/api/admin', admin)).status).toBe(200);
    const page = await get('/admin', counter);
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toContain('text/html');
    const json = await get('/api/admin', counter);
    expect(json.status).toBe(403);
    expect(await codeOf(json)).toBe('forbidden');
  });
});

describe('requireCsrf', () => {
  const post = (path: string, cookie: string, init: { headers?: Record<string, string>; body?: string | URLSearchParams } = {}) =>
    fetch(`${app.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, ...init.headers }, body: init.body });

  it('refuses a POST from a staff session without its token with 403 csrf', async () => {
    const res = await post('/api/action', counter, { headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('csrf');
  });

  it('refuses another session’s token', async () => {
    const res = await post('/api/action', counter, { headers: { 'content-type': 'application/json', 'x-csrf-token': await csrfOf(admin) }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('passes with the X-CSRF-Token header, and the JSON body still parses', async () => {
    const res = await post('/api/action', counter, { headers: { 'content-type': 'application/json', 'x-csrf-token': await csrfOf(counter) }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, body: { a: 1 } });
  });

  it('passes with the _csrf form field, and a browser form post without it gets an HTML page', async () => {
    const ok = await post('/form', counter, { body: new URLSearchParams({ _csrf: await csrfOf(counter), note: 'hi' }) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, body: { _csrf: expect.any(String), note: 'hi' } });
    const bad = await post('/form', counter, { headers: { accept: 'text/html' }, body: new URLSearchParams({ note: 'hi' }) });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('content-type')).toContain('text/html');
  });
});

describe('canUseCounter', () => {
  it('lets admins and operators use any counter, counter staff only theirs', () => {
    expect(canUseCounter({ role: 'admin', counters: [] }, 'loket-9')).toBe(true);
    expect(canUseCounter({ role: 'operator', counters: [] }, 'loket-9')).toBe(true);
    expect(canUseCounter({ role: 'counter', counters: ['loket-1'] }, 'loket-1')).toBe(true);
    expect(canUseCounter({ role: 'counter', counters: ['loket-1'] }, 'loket-9')).toBe(false);
  });
});
