import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Translator } from '../../i18n.js';
import { defaultLocale } from '../../message.js';
import { errorBody } from '../errors.js';
import type { StaffAuth } from '../staff/index.js';

export const JOBS_PATH = '/admin/jobs';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface JobsRoutesOptions {
  /** BullMQ queues to show (the per-channel outboxes). */
  queues: readonly Queue[];
  staff: StaffAuth;
  translator: Translator;
}

/**
 * bull-board at `/admin/jobs` for operators and admins. Operators look; only admins may retry,
 * clean or remove jobs. bull-board's own requests carry no CSRF token of ours, so its writes are
 * accepted only from this origin (Sec-Fetch-Site / Origin), on top of the SameSite=Strict cookie.
 */
export function jobsRoutes(opts: JobsRoutesOptions): Router {
  const t = (key: string) => opts.translator.t(defaultLocale, key);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(JOBS_PATH);
  createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: t('admin.jobs_title'), hideDocsLink: true, miscLinks: [{ text: t('admin.back'), url: '/admin' }] } },
  });
  const board = adapter.getRouter() as Express;
  board.disable('x-powered-by');

  const roles = ['admin', 'operator'] as const;
  const router = Router();
  router.use(`${JOBS_PATH}/api`, opts.staff.loadStaff, opts.staff.requireStaff({ roles, page: false }));
  router.use(JOBS_PATH, opts.staff.loadStaff, opts.staff.requireStaff({ roles, page: true }), adminWrites(opts.translator), boardCsp, board);
  return router;
}

/** Only admins change jobs, and only from pages of this site. */
function adminWrites(translator: Translator): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE.has(req.method)) {
      next();
      return;
    }
    if (req.staff?.role !== 'admin') {
      res.status(403).json(errorBody('forbidden', translator.t(defaultLocale, 'admin.read_only')));
      return;
    }
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const sameOrigin = site ? site === 'same-origin' : origin ? hostOf(origin) === req.get('host') : false;
    if (!sameOrigin) {
      res.status(403).json(errorBody('csrf', translator.t(defaultLocale, 'staff.csrf')));
      return;
    }
    next();
  };
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * bull-board's page runs only its own bundled scripts (script-src 'self' holds) but carries
 * inline styles and asks Google Fonts for its typeface. The app-wide CSP would allow any https
 * stylesheet and font; here they are limited to this origin, so the board falls back to a local
 * font instead of calling a CDN. Inline styles stay allowed, as they are app-wide.
 */
const boardCsp = helmet.contentSecurityPolicy({
  useDefaults: true,
  directives: {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'font-src': ["'self'", 'data:'],
    'img-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'upgrade-insecure-requests': null,
  },
});
