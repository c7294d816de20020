import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import { errorBody } from '../errors.js';
import type { StaffRole } from '../../staff/accounts.js';
import { requestLocale, type StaffPages } from './pages.js';
import { STAFF_COOKIE, parseCookies, type StaffSession, type StaffSessions } from '../../staff/sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in staff member, set by `loadStaff` when the cookie names a live session. */
    staff?: StaffSession;
  }
}

/** The staff member behind a request that passed `requireStaff`; throws `unauthorized` otherwise. */
export function staffOf(req: Request): StaffSession {
  if (!req.staff) throw new AppError('unauthorized', 'No staff session on this request.');
  return req.staff;
}

/** Admins and operators may act at any counter; counter staff only at the counters given to them. */
export function canUseCounter(staff: Pick<StaffSession, 'role' | 'counters'>, counterId: string): boolean {
  return staff.role === 'operator' || staff.role === 'admin' || staff.counters.includes(counterId);
}

/**
 * The sites a staff member may work at, of those the content has (the main site first). An account
 * without sites (made before sites, or deployment-wide) may work at every site, except counter
 * staff: their counters were given at the main site, and `loket-4` of another site is another
 * agency's desk, so they stay at the main site until bound with `npm run staff -- --site`. None
 * when all of an account's sites left the content, so a removed site never widens an account.
 */
export function sitesOfStaff<S extends { id: string }>(staff: Pick<StaffSession, 'sites' | 'role'>, all: readonly S[]): S[] {
  const own = staff.sites ?? [];
  if (own.length > 0) return all.filter((s) => own.includes(s.id));
  return staff.role === 'counter' ? all.slice(0, 1) : [...all];
}

/** Whether the staff member may act at a site (a page or API of that site's queue, incidents, bookings). */
export function canUseSite<S extends { id: string }>(staff: Pick<StaffSession, 'sites' | 'role'>, siteId: string, all: readonly S[]): boolean {
  return sitesOfStaff(staff, all).some((s) => s.id === siteId);
}

/** Reads the staff cookie and sets `req.staff` when it names a live session; never rejects a request. */
export function loadStaff(sessions: StaffSessions): RequestHandler {
  return async (req, _res, next) => {
    const id = parseCookies(req.get('cookie'))[STAFF_COOKIE];
    req.staff = id ? await sessions.get(id) : undefined;
    next();
  };
}

export interface RequireStaffOptions {
  /** Roles allowed through; all roles when omitted. */
  roles?: readonly StaffRole[];
  /** Pages redirect to the login form; JSON endpoints answer 401/403 with an error body. */
  page: boolean;
}

/** Lets signed-in staff (of the given roles) through. Mount after `loadStaff`. */
export function requireStaff(opts: RequireStaffOptions, pages: StaffPages): RequestHandler {
  return (req, res, next) => {
    const locale = requestLocale(req);
    if (!req.staff) {
      if (opts.page) res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      else res.status(401).json(errorBody('unauthorized', pages.text(locale, 'sign_in_required')));
      return;
    }
    if (opts.roles && !opts.roles.includes(req.staff.role)) {
      if (opts.page) res.status(403).type('html').send(pages.message(locale, 'forbidden_title', 'forbidden'));
      else res.status(403).json(errorBody('forbidden', pages.text(locale, 'forbidden')));
      return;
    }
    next();
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const parseForm = express.urlencoded({ extended: false, limit: '100kb' });

/**
 * Rejects state-changing requests of a staff session that do not carry its token, in header
 * `X-CSRF-Token` or form field `_csrf`. SameSite=Strict already stops most cross-site posts; the
 * token also covers older browsers and same-site pages we do not control. Requests without a
 * session pass: there is no ambient authority to abuse, and `requireStaff` decides about them.
 * Parses an urlencoded body itself when no parser ran yet, so route parsers after it see it parsed.
 */
export function requireCsrf(pages: StaffPages): RequestHandler {
  return (req, res, next) => {
    const staff = req.staff;
    if (!staff || !UNSAFE.has(req.method)) {
      next();
      return;
    }
    const check = () => {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
      if (sent !== undefined && sameToken(sent, staff.csrf)) {
        next();
        return;
      }
      const locale = requestLocale(req);
      if (req.accepts(['json', 'html']) === 'html') res.status(403).type('html').send(pages.message(locale, 'csrf_title', 'csrf'));
      else res.status(403).json(errorBody('csrf', pages.text(locale, 'csrf')));
    };
    if (req.get('x-csrf-token') === undefined && req.body === undefined) parseForm(req, res, (err?: unknown) => (err ? next(err) : check()));
    else check();
  };
}

/** Constant-time string equality (length leaks, which is fixed for our tokens anyway). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
