import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../../src/config.js';
import { Translator } from '../../src/i18n.js';
import { errorHandler, notFound } from '../../src/http/errors.js';
import { createStaffAuth, staffOf } from '../../src/http/staff/index.js';
import { silentLogger, testPrefix, testRedis } from '../helpers.js';

let translatorPromise: Promise<Translator> | undefined;
export function translator(): Promise<Translator> {
  return (translatorPromise ??= Translator.load('locales'));
}

/**
 * The staff router on a tiny app with a few protected routes, the way the lead will mount it,
 * on a free port with a fresh Redis prefix.
 */
export async function startStaffApp(env: Record<string, string> = {}) {
  const redis = testRedis();
  const prefix = testPrefix();
  const config = loadConfig({ REDIS_PREFIX: prefix, ...env });
  const staff = createStaffAuth({ redis, prefix, config, translator: await translator() });
  const app = express();
  app.use(staff.router);
  app.use(staff.loadStaff);
  const me = (req: express.Request, res: express.Response) => {
    const { username, role, counters, csrf } = staffOf(req);
    res.json({ username, role, counters, csrf });
  };
  app.get('/counter', staff.requireStaff({ page: true }), (req, res) => {
    res.type('text').send(`counter page of ${staffOf(req).username}`);
  });
  app.get('/admin', staff.requireStaff({ page: true, roles: ['admin'] }), (_req, res) => {
    res.type('text').send('admin page');
  });
  app.get('/api/me', staff.requireStaff({ page: false }), me);
  app.get('/api/admin', staff.requireStaff({ page: false, roles: ['admin', 'operator'] }), me);
  app.post('/api/action', staff.requireStaff({ page: false }), staff.requireCsrf(), express.json(), (req, res) => {
    res.json({ ok: true, body: req.body as unknown });
  });
  app.post('/form', staff.requireStaff({ page: true }), staff.requireCsrf(), express.urlencoded({ extended: false }), (req, res) => {
    res.json({ ok: true, body: req.body as unknown });
  });
  app.use(notFound);
  app.use(errorHandler(silentLogger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    staff,
    redis,
    prefix,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type StaffApp = Awaited<ReturnType<typeof startStaffApp>>;

/** `name=value` of one Set-Cookie header of a response, and the whole header for its flags. */
export function setCookie(res: Response, name: string): { pair: string; header: string } | undefined {
  const header = res.headers.getSetCookie().find((h) => h.startsWith(`${name}=`));
  return header ? { pair: header.split(';')[0]!, header } : undefined;
}

/** Opens the login form: its double-submit cookie and hidden token. */
export async function openLoginForm(app: StaffApp, query = ''): Promise<{ cookie: string; token: string; html: string }> {
  const res = await fetch(`${app.url}/login${query}`);
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = setCookie(res, 'mpp_login_csrf')?.pair;
  if (!token || !cookie) throw new Error('login form without its CSRF token');
  return { cookie, token, html };
}

export interface LoginAttempt {
  username: string;
  password: string;
  next?: string;
  headers?: Record<string, string>;
}

/** Fills and posts the login form like a browser; does not follow the redirect. */
export async function login(app: StaffApp, attempt: LoginAttempt): Promise<Response> {
  const form = await openLoginForm(app);
  const body = new URLSearchParams({ username: attempt.username, password: attempt.password, _csrf: form.token, next: attempt.next ?? '' });
  return fetch(`${app.url}/login`, { method: 'POST', body, redirect: 'manual', headers: { cookie: form.cookie, ...attempt.headers } });
}

/** Signs in and returns the `mpp_staff=...` cookie pair. */
export async function signedIn(app: StaffApp, username: string, password: string): Promise<string> {
  const res = await login(app, { username, password });
  const cookie = setCookie(res, 'mpp_staff')?.pair;
  if (res.status !== 303 || !cookie) throw new Error(`login failed with ${res.status}`);
  return cookie;
}
