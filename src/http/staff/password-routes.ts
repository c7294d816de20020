import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN, StaffAccountError, type StaffStore } from '../../staff/accounts.js';
import { STAFF_COOKIE, type StaffSessions } from '../../staff/sessions.js';
import { loadStaff, requireCsrf, requireStaff, staffOf } from './auth.js';
import { requestLocale, type Notice, type StaffPages } from './pages.js';

const changeForm = z.object({
  current: z.string().max(PASSWORD_MAX),
  password: z.string().max(PASSWORD_MAX),
  repeat: z.string().max(PASSWORD_MAX),
});

/**
 * `GET/POST /staff/password`: a signed-in staff member changes their own password. The store
 * refuses short and guessable passwords (the same rules as `npm run staff`); a change signs out
 * every other session of the account, this one continues with a fresh session id.
 */
export function passwordRoutes(opts: { store: StaffStore; sessions: StaffSessions; pages: StaffPages }): Router {
  const { store, sessions, pages } = opts;
  const router = Router();
  const guard = [loadStaff(sessions), requireStaff({ page: true }, pages), requireCsrf(pages)];
  const show = (req: Request, res: Response, status: number, notice?: Notice) => {
    const { username, csrf } = staffOf(req);
    res.set('Cache-Control', 'no-store');
    res.status(status).type('html').send(pages.password(requestLocale(req), { csrf, username, ...(notice ? { notice } : {}) }));
  };

  router.get('/staff/password', ...guard, (req, res) => show(req, res, 200));

  router.post('/staff/password', ...guard, async (req, res) => {
    const form = changeForm.safeParse(req.body ?? {});
    if (!form.success) return show(req, res, 400, { kind: 'error', key: 'password_too_long' });
    const { current, password, repeat } = form.data;
    const { username } = staffOf(req);
    if (!(await store.verify(username, current))) return show(req, res, 401, { kind: 'error', key: 'password_wrong_current' });
    if (password !== repeat) return show(req, res, 400, { kind: 'error', key: 'password_mismatch' });
    try {
      await store.setPassword(username, password);
    } catch (err) {
      if (err instanceof StaffAccountError && err.reason) return show(req, res, 400, { kind: 'error', key: `password_${err.reason}`, params: { min: PASSWORD_MIN, max: PASSWORD_MAX } });
      throw err;
    }
    await sessions.revokeUser(username);
    const account = await store.get(username);
    if (!account) throw new Error('staff account vanished while changing its password');
    const session = await sessions.create(account);
    res.cookie(STAFF_COOKIE, session.id, sessions.cookieOptions());
    req.staff = session;
    show(req, res, 200, { kind: 'info', key: 'password_changed' });
  });
  return router;
}
