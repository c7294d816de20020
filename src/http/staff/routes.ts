import { randomBytes } from 'node:crypto';
import path from 'node:path';
import express, { Router, type CookieOptions, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { cookieSecure, type Config } from '../../config.js';
import type { Translator } from '../../i18n.js';
import { PASSWORD_MAX, type StaffStore } from '../../staff/accounts.js';
import { loadStaff, requireCsrf, sameToken } from './auth.js';
import { LoginLimiter } from '../../staff/login-limit.js';
import { StaffPages, requestLocale, type LoginPageValues } from './pages.js';
import { STAFF_COOKIE, parseCookies, type StaffSessions } from '../../staff/sessions.js';

/** Double-submit token of the login form (there is no session yet to hold one). */
export const LOGIN_CSRF_COOKIE = 'mpp_login_csrf';
/** Where staff land after signing in when no (safe) `next` was asked for. */
export const AFTER_LOGIN = '/counter';

const loginForm = z.object({
  username: z.string().trim().toLowerCase().max(64),
  password: z.string().max(PASSWORD_MAX),
  _csrf: z.string().max(100).default(''),
  next: z.string().max(2000).default(''),
});

export interface StaffRoutesOptions {
  store: StaffStore;
  sessions: StaffSessions;
  translator: Translator;
  redis: Redis;
  prefix: string;
  config: Pick<Config, 'COOKIE_SECURE' | 'NODE_ENV'>;
  /** Failed sign-in limits; the defaults suit production (tests may tighten them). */
  limiter?: LoginLimiter;
  /** The content's site ids: an account bound only to sites the content no longer has cannot sign in. */
  siteIds?: readonly string[];
}

/** `GET /login`, `POST /login`, `POST /logout` and the staff stylesheet at `/staff/style.css`. */
export function staffRoutes(opts: StaffRoutesOptions): Router {
  const { store, sessions } = opts;
  const pages = new StaffPages(opts.translator);
  const limiter = opts.limiter ?? new LoginLimiter(opts.redis, opts.prefix);
  const csrfCookie: CookieOptions = { httpOnly: true, sameSite: 'strict', secure: cookieSecure(opts.config), path: '/login', maxAge: 2 * 3600_000 };
  const router = Router();
  router.use('/staff', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  /** Renders the form with a fresh double-submit token. */
  const showForm = (req: Request, res: Response, status: number, values: Omit<LoginPageValues, 'csrf'>) => {
    const csrf = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, csrf, csrfCookie);
    res.set('Cache-Control', 'no-store');
    res.status(status).type('html').send(pages.login(requestLocale(req), { ...values, csrf }));
  };

  router.get('/login', (req, res) => {
    const next = typeof req.query.next === 'string' && safeNext(req.query.next) ? req.query.next : '';
    showForm(req, res, 200, { next, ...(req.query.logged_out === undefined ? {} : { notice: { kind: 'info', key: 'logged_out' } }) });
  });

  router.post('/login', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res) => {
    const parsed = loginForm.safeParse(req.body ?? {});
    if (!parsed.success) {
      showForm(req, res, 400, { next: '', notice: { kind: 'error', key: 'wrong_credentials' } });
      return;
    }
    const { username, password, _csrf, next } = parsed.data;
    const target = safeNext(next) ? next : '';
    const expected = parseCookies(req.get('cookie'))[LOGIN_CSRF_COOKIE];
    if (!expected || !sameToken(_csrf, expected)) {
      showForm(req, res, 403, { next: target, username, notice: { kind: 'error', key: 'form_expired' } });
      return;
    }
    const ip = req.ip ?? 'unknown';
    const wait = await limiter.attempt(username, ip);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      showForm(req, res, 429, { next: target, username, notice: { kind: 'error', key: 'too_many_attempts', params: { minutes: Math.ceil(wait / 60) } } });
      return;
    }
    const account = await store.verify(username, password);
    if (!account) {
      showForm(req, res, 401, { next: target, username, notice: { kind: 'error', key: 'wrong_credentials' } });
      return;
    }
    await limiter.succeeded(username, ip);
    // An account bound to sites keeps the ones that still exist; none left is not "every site".
    const bound = account.sites ?? [];
    const sites = opts.siteIds ? bound.filter((id) => opts.siteIds!.includes(id)) : bound;
    if (bound.length > 0 && sites.length === 0) {
      showForm(req, res, 403, { next: target, username, notice: { kind: 'error', key: 'no_sites' } });
      return;
    }
    const previous = await sessions.get(parseCookies(req.get('cookie'))[STAFF_COOKIE] ?? '');
    if (previous) await sessions.destroy(previous);
    const session = await sessions.create({ ...account, sites });
    res.cookie(STAFF_COOKIE, session.id, sessions.cookieOptions());
    res.clearCookie(LOGIN_CSRF_COOKIE, csrfCookie);
    // The help desk's people have no counter: their page is /desk.
    res.redirect(303, target || (account.role === 'helpdesk' ? '/desk' : AFTER_LOGIN));
  });

  router.post('/logout', loadStaff(sessions), requireCsrf(pages), async (req, res) => {
    if (req.staff) await sessions.destroy(req.staff);
    res.clearCookie(STAFF_COOKIE, sessions.cookieOptions());
    res.redirect(303, '/login?logged_out=1');
  });
  return router;
}

/**
 * Only a path on this site: starts with one `/`. `//evil.example` and `/\evil.example` are
 * protocol-relative to browsers (they read `\` as `/`), so both are refused, as are control characters.
 */
export function safeNext(next: string): boolean {
  return next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') && !/[^\u0020-\u007e\u00a0-\uffff]/.test(next);
}
