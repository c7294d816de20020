import { Router, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { cookieSecure, type Config } from '../../config.js';
import type { Translator } from '../../i18n.js';
import { StaffStore } from '../../staff/accounts.js';
import { loadStaff, requireCsrf, requireStaff, type RequireStaffOptions } from './auth.js';
import { StaffPages } from './pages.js';
import { passwordRoutes } from './password-routes.js';
import { staffRoutes } from './routes.js';
import { StaffSessions } from '../../staff/sessions.js';

export { canUseCounter, canUseSite, sitesOfStaff, staffOf, type RequireStaffOptions } from './auth.js';
export { staffRoles, type StaffAccount, type StaffRole } from '../../staff/accounts.js';
export { STAFF_COOKIE, type StaffSession } from '../../staff/sessions.js';

export interface StaffAuthOptions {
  redis: Redis;
  prefix: string;
  config: Pick<Config, 'STAFF_SESSION_HOURS' | 'COOKIE_SECURE' | 'NODE_ENV'>;
  translator: Translator;
  /** The content's site ids, checked at sign-in against the account's sites. */
  siteIds?: readonly string[];
}

export interface StaffAuth {
  store: StaffStore;
  sessions: StaffSessions;
  /** `/login`, `/logout`, `/staff/password`, `/staff/style.css`. */
  router: Router;
  /** Sets `req.staff` from the cookie; mount before any staff route. */
  loadStaff: RequestHandler;
  requireStaff: (opts: RequireStaffOptions) => RequestHandler;
  requireCsrf: () => RequestHandler;
}

/**
 * Everything staff sign-in needs, built once. Mount `router` with the other routers, then protect
 * staff routes with `loadStaff, requireStaff({ page: true }), requireCsrf()`.
 */
export function createStaffAuth({ redis, prefix, config, translator, siteIds }: StaffAuthOptions): StaffAuth {
  const store = new StaffStore(redis, prefix);
  const sessions = new StaffSessions(redis, prefix, { ttlHours: config.STAFF_SESSION_HOURS, secure: cookieSecure(config) });
  const pages = new StaffPages(translator);
  return {
    store,
    sessions,
    router: Router().use(staffRoutes({ store, sessions, translator, redis, prefix, config, ...(siteIds ? { siteIds } : {}) }), passwordRoutes({ store, sessions, pages })),
    loadStaff: loadStaff(sessions),
    requireStaff: (opts) => requireStaff(opts, pages),
    requireCsrf: () => requireCsrf(pages),
  };
}
