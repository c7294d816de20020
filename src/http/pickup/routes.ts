import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { AppError } from '../../errors.js';
import type { Translator } from '../../i18n.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import { PickupError, REFERENCE_PATTERN, publicPickup, type Pickup } from '../../pickup/pickup.js';
import type { Pickups } from '../../pickup/pickups.js';
import type { Marked } from '../../pickup/store.js';
import { requireBearer } from '../bearer.js';
import { canUseCounter, staffOf, type StaffAuth } from '../staff/index.js';

const template = readPage(import.meta.dirname, 'page.html');

const reference = z.string().trim().regex(REFERENCE_PATTERN, 'a receipt or reference number: 3-40 letters, digits, spaces, - / .');
const apiBody = z.strictObject({ receipt: reference.optional() });
const receiptBody = z.strictObject({ receipt: reference });
const form = z.object({
  reference,
  receipt: z.union([z.literal(''), reference]).optional(),
  action: z.enum(['ready', 'collected', 'receipt']),
});

export interface PickupRoutesOptions {
  pickups: Pickups;
  catalogue: Catalogue;
  translator: Translator;
  staff: StaffAuth;
  /** `MPP_API_TOKEN`: the Bearer API is closed without it. */
  apiToken: string | undefined;
  /** The counters serving a service (the queue's layout): a counter officer marks only their agency's documents. */
  countersFor: (serviceId: string) => ReadonlyArray<{ id: string }>;
  /** Which routes to mount: the Bearer API (deployment-wide), the staff page (one per site), or both (default). */
  parts?: 'api' | 'page' | 'both';
  /** `site=<id>` that the page's links and form carry (src/http/sites/per-site-router.ts); '' for the main site. */
  at?: string;
  /** The site the page's counters are of, named on the page. */
  siteName?: string;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/**
 * Document-ready pickup for staff: `GET /pickup` (find an application, mark it ready or collected,
 * note the receipt number; the latest applications) and `POST /pickup` (CSRF). The Bearer API:
 * `GET /api/pickups/:ref`, `POST /api/pickups/:ref/ready|collected` `{ receipt? }`,
 * `POST /api/pickups/:ref/receipt` `{ receipt }`; `:ref` is a receipt or reference number.
 */
export function pickupRoutes({ pickups, catalogue, translator, staff, apiToken, countersFor, parts = 'both', at = '', siteName = '' }: PickupRoutesOptions): Router {
  const router = Router();
  const api = parts !== 'page';
  const page = parts !== 'api';
  const auth = requireBearer(apiToken);
  const json = express.json({ limit: '4kb' });

  const refParam = (req: Request): string => {
    const ref = reference.safeParse(req.params.ref);
    if (!ref.success) throw new AppError('bad_request', issues(ref.error));
    return ref.data;
  };
  const answer = (res: Response, marked: Marked) => res.json({ pickup: publicPickup(marked.pickup), changed: marked.changed });

  if (api) router.get('/api/pickups/:ref', auth, async (req, res) => {
    const found = await pickups.find(refParam(req), { bareNumber: true });
    if (!found) throw new AppError('not_found', 'No application with this receipt or reference number.');
    res.json({ pickup: publicPickup(found) });
  });

  if (api) router.post('/api/pickups/:ref/:action', auth, json, async (req, res) => {
    const action = req.params.action;
    if (action !== 'ready' && action !== 'collected' && action !== 'receipt') throw new AppError('not_found', `No route for ${req.method} ${req.path}`);
    const ref = refParam(req);
    if (action === 'receipt') {
      const body = receiptBody.safeParse(req.body ?? {});
      if (!body.success) throw new AppError('bad_request', issues(body.error));
      answer(res, await pickups.noteReceipt(ref, body.data.receipt));
      return;
    }
    const body = apiBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', issues(body.error));
    answer(res, action === 'ready' ? await pickups.markReady(ref, body.data.receipt) : await pickups.markCollected(ref, body.data.receipt));
  });

  if (!page) return router;
  const guard = staff.requireStaff({ page: true });
  router.use('/pickup/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));
  router.use('/pickup', staff.loadStaff, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const row = (req: Request, p: Pickup): string => {
    const locale = pageLanguage(req);
    const t = (key: string) => escapeHtml(translator.t(locale, key));
    const service = catalogue.services.get(p.serviceId)?.name[locale] ?? p.serviceId;
    const notice = p.channel && p.to ? t('pickup.page.notice_chat') : t('pickup.page.notice_none');
    return `<tr><td class="ref">${escapeHtml(p.reference)}</td><td class="ref">${escapeHtml(p.receipt)}</td><td>${escapeHtml(service)}</td><td class="status-${p.status}">${t(`pickup.page.status_${p.status}`)}</td><td>${escapeHtml(p.expectedDay)}</td><td>${notice}</td></tr>`;
  };

  const render = async (req: Request, res: Response, status: number, notice?: { kind: 'info' | 'error'; text: string }, typed = '') => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const recent = await pickups.recent(50);
    const head = ['reference', 'receipt', 'service', 'status', 'expected', 'notice'].map((k) => `<th>${escapeHtml(translator.t(locale, `pickup.page.col_${k}`))}</th>`).join('');
    const list = recent.length ? `<table><thead><tr>${head}</tr></thead><tbody>${recent.map((p) => row(req, p)).join('')}</tbody></table>` : `<p>${escapeHtml(translator.t(locale, 'pickup.page.none'))}</p>`;
    res
      .status(status)
      .type('html')
      .send(fillPage(template, translator, locale, { username: me.username, csrf: me.csrf, notice: notice?.text ?? '', notice_kind: notice?.kind ?? '', reference: typed, action: `/pickup${at ? `?${at}` : ''}`, counter_href: `/counter${at ? `?${at}` : ''}`, site_name: siteName }, { pickup_list: list }));
  };

  router.get('/pickup', guard, async (req, res) => {
    const locale = pageLanguage(req);
    const done = typeof req.query.done === 'string' ? req.query.done : '';
    const ref = reference.safeParse(req.query.ref);
    let notice: { kind: 'info'; text: string } | undefined;
    if (ref.success && ['ready', 'ready_again', 'collected', 'receipt'].includes(done)) {
      const text = translator.t(locale, `pickup.page.done_${done}`, { reference: ref.data });
      const told = done === 'ready' ? translator.t(locale, req.query.told === '1' ? 'pickup.page.told' : 'pickup.page.not_told') : '';
      notice = { kind: 'info', text: told ? `${text} ${told}` : text };
    }
    await render(req, res, 200, notice);
  });

  router.post('/pickup', guard, staff.requireCsrf(), async (req, res) => {
    const locale = pageLanguage(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.reference === 'string' ? body.reference.slice(0, 40) : '';
    const parsed = form.safeParse(body);
    if (!parsed.success) {
      await render(req, res, 400, { kind: 'error', text: translator.t(locale, 'pickup.page.invalid') }, typed);
      return;
    }
    const { reference: ref, action } = parsed.data;
    const receipt = parsed.data.receipt || undefined;
    try {
      if (action === 'receipt' && !receipt) throw new AppError('bad_request', 'no receipt');
      // A counter officer marks the documents of the services their counters serve; operators and admins any.
      const found = await pickups.find(ref, { bareNumber: true });
      const me = staffOf(req);
      if (found && !countersFor(found.serviceId).some((c) => canUseCounter(me, c.id))) {
        await render(req, res, 403, { kind: 'error', text: translator.t(locale, 'pickup.page.not_yours') }, typed);
        return;
      }
      const marked = action === 'ready' ? await pickups.markReady(ref, receipt) : action === 'collected' ? await pickups.markCollected(ref, receipt) : await pickups.noteReceipt(ref, receipt!);
      const done = action === 'ready' && !marked.changed ? 'ready_again' : action;
      const told = marked.pickup.channel && marked.pickup.to ? '1' : '0';
      res.redirect(303, `/pickup?done=${done}&ref=${encodeURIComponent(marked.pickup.reference)}&told=${told}${at ? `&${at}` : ''}`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const key = err.code === 'not_found' ? 'unknown' : err.code === 'illegal_transition' ? 'already_collected' : err instanceof PickupError && err.reason ? err.reason : 'invalid';
      await render(req, res, err.code === 'not_found' ? 404 : err.code === 'illegal_transition' ? 409 : 400, { kind: 'error', text: translator.t(locale, `pickup.page.${key}`) }, typed);
    }
  });
  return router;
}
