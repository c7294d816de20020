import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { escapeHtml, fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Clock } from '../../clock.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import { maskPersonalData } from '../../privacy/mask.js';
import { counterStatuses, UNDO_DONE_MS } from '../../queue/queue-service.js';
import type { TicketAction } from '../../queue/ticket.js';
import type { Site, Sites } from '../../sites/sites.js';
import { PerSite } from '../sites/per-site.js';
import { siteOf, siteQuery } from '../sites/site-param.js';
import { canUseSite, sitesOfStaff, staffOf, type StaffAuth, type StaffSession } from '../staff/index.js';
import { CounterDesk, type Counter } from './desk.js';

const read = (name: string) => readPage(import.meta.dirname, name);
const templates = { pick: read('pick.html'), console: read('console.html') };

const ACTIONS: readonly TicketAction[] = ['recall', 'start', 'done', 'no-show', 'cancel'];
const counterId = z.string().regex(/^[a-z0-9-]{1,40}$/);
const ticketId = z.string().regex(/^[a-z0-9]{6,40}$/);
const transferBody = z.strictObject({ serviceId: z.string().min(1).max(100) });
/** Free text an officer types: short, one line, and never a citizen's NIK, phone or e-mail (it is kept for reports). */
const officerText = (max: number) =>
  z
    .string()
    .transform((t) => t.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max))
    .refine((t) => maskPersonalData(t) === t, 'must not contain personal data (NIK, phone number, e-mail)');
const callBody = z.strictObject({ reason: officerText(120).pipe(z.string().min(3, 'a reason is required')) });
export const ticketOutcomes = ['complete', 'incomplete', 'referred', 'info'] as const;
const noteBody = z.strictObject({ outcome: z.enum(ticketOutcomes).or(z.literal('')).default(''), note: officerText(140).default('') });
const statusBody = z.strictObject({ status: z.enum(counterStatuses) });
const walkInBody = z.strictObject({ serviceId: z.string().min(1).max(100), priority: z.boolean().default(false), requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/).optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new AppError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

export interface CounterRoutesOptions {
  sites: Sites;
  /** What a site's queue offers: the catalogue as the site sees it, offered services only. */
  offered: (site: Site) => Catalogue;
  translator: Translator;
  staff: StaffAuth;
  clock: Clock;
  /** How often the console refreshes on its own, besides the live queue events. */
  refreshSeconds?: number;
}

/**
 * The counter officer's console: `GET /counter` (pick a counter), `GET /counter/:counterId`
 * (the console), and its JSON API under `/counter/api/:counterId/...` for the page script. A
 * counter belongs to a site (`loket-1` exists at several): every route takes `?site=<id>` (the
 * main site without it) and acts on that site's queue only, for staff who work at that site.
 */
export function counterRoutes(opts: CounterRoutesOptions): Router {
  const { staff, translator, sites } = opts;
  const desks = new PerSite((site) => new CounterDesk(site.queue, opts.offered(site), opts.clock));
  const router = Router();
  router.use('/counter/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));
  router.use('/counter', staff.loadStaff, (_req, res, next) => {
    // Pages and answers carry a citizen's checklist and question: never keep them in a cache.
    res.set('Cache-Control', 'no-store');
    next();
  });

  /** The other sites the officer works at, as links to their counters (empty with one site). */
  const sitePicker = (me: StaffSession, always: boolean): string => {
    const own = sitesOfStaff(me, sites.list);
    if (own.length <= 1 && !always) return '';
    return own.map((s) => `<li><a class="site" href="/counter?site=${encodeURIComponent(s.id)}">${escapeHtml(s.mpp.name)}</a></li>`).join('\n');
  };

  const pickPage = (req: Request, res: Response, site: Site | undefined, status: number, notice?: string) => {
    // Without a site of theirs on screen (unknown or another site), the officer gets links to their own.
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const counters = site ? desks.for(site).countersFor(me) : [];
    const items = site ? counters.map((c) => `<li><a class="pick" href="/counter/${escapeHtml(c.id)}${escapeHtml(siteQuery(sites, site))}">${escapeHtml(c.name[locale])}</a></li>`).join('\n') : '';
    const text = notice ? translator.t(locale, notice) : counters.length === 0 ? translator.t(locale, 'counter.no_counters') : '';
    res.status(status).type('html').send(fillPage(templates.pick, translator, locale, { username: me.username, csrf: me.csrf, notice: text, site_name: site?.mpp.name ?? '' }, { counters: items, sites: sitePicker(me, !site) }));
  };

  /**
   * The site of a console page: `?site=`, else the officer's first site (the main one when theirs).
   * Answers the page itself (and returns undefined) for an unknown site or one the officer does not work at.
   */
  const pageSite = (req: Request, res: Response): Site | undefined => {
    const me = staffOf(req);
    const own = sitesOfStaff(me, sites.list);
    let site: Site;
    try {
      site = req.query.site === undefined ? (own[0] ?? sites.main) : siteOf(req, sites);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      pickPage(req, res, undefined, 404, 'errors.unknown_site');
      return undefined;
    }
    if (own.length === 0) return void pickPage(req, res, undefined, 403, 'sites.no_sites');
    if (!canUseSite(me, site.id, sites.list)) return void pickPage(req, res, undefined, 403, 'sites.not_yours');
    return site;
  };

  router.get('/counter', staff.requireStaff({ page: true }), (req, res) => {
    const site = pageSite(req, res);
    if (!site) return;
    const me = staffOf(req);
    const counters = desks.for(site).countersFor(me);
    // With `?site=` (the console's "change counter") the officer chooses: a counter of another of their sites too.
    if (counters.length === 1 && req.query.site === undefined) {
      res.redirect(303, `/counter/${counters[0]!.id}${siteQuery(sites, site)}`);
      return;
    }
    pickPage(req, res, site, 200);
  });

  router.get('/counter/:counterId', staff.requireStaff({ page: true }), (req, res) => {
    const me = staffOf(req);
    const site = pageSite(req, res);
    if (!site) return;
    const desk = desks.for(site);
    const id = String(req.params.counterId);
    let counter: Counter;
    try {
      counter = desk.counter(me, id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      pickPage(req, res, site, err.code === 'forbidden' ? 403 : 404, err.code === 'forbidden' ? 'counter.not_yours' : 'counter.unknown_counter');
      return;
    }
    const catalogue = opts.offered(site);
    const locale = pageLanguage(req);
    const data = jsonForScript({
      lang: locale,
      counter: { id: counter.id, name: counter.name[locale], ...(site === sites.main ? {} : { site: site.id }) },
      csrf: me.csrf,
      refreshMs: (opts.refreshSeconds ?? 5) * 1000,
      undoMs: UNDO_DONE_MS,
      timeZone: site.mpp.timezone,
      // For the next step of a multi-service visit, which may be another agency's service.
      serviceNames: Object.fromEntries([...catalogue.services.values()].map((sv) => [sv.id, sv.name[locale]])),
      texts: { ...localeTree(translator, locale, 'counter.js'), errors: { ...localeTree(translator, locale, 'errors'), ...localeTree(translator, locale, 'counter.errors') } },
    });
    const options = desk
      .servicesByAgency(locale)
      .map((a) => `<optgroup label="${escapeHtml(a.name)}">${a.services.map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(s.name)}</option>`).join('')}</optgroup>`)
      .join('');
    const option = (sv: { id: string; name: string }) => `<option value="${escapeHtml(sv.id)}">${escapeHtml(sv.name)}</option>`;
    const walkIn = desk.walkInServices(counter.id, locale);
    const walkInOptions = [
      `<optgroup label="${escapeHtml(translator.t(locale, 'counter.walk_in_own'))}">${walkIn.own.map(option).join('')}</optgroup>`,
      ...walkIn.others.map((a) => `<optgroup label="${escapeHtml(a.name)}">${a.services.map(option).join('')}</optgroup>`),
    ].join('');
    res.type('html').send(fillPage(templates.console, translator, locale, { counter_name: counter.name[locale], site_name: site.mpp.name, site_query: `?site=${encodeURIComponent(site.id)}`, username: me.username, csrf: me.csrf }, { data, service_options: options, walkin_options: walkInOptions }));
  });

  // The JSON API: 401 without a session, 403 without the CSRF token or at someone else's counter.
  const api = Router({ mergeParams: true });
  router.use('/counter/api/:counterId', staff.requireStaff({ page: false }), staff.requireCsrf(), express.json({ limit: '2kb' }), api);
  /** The site of an API call (`?site=`, the main site without it): 403 for staff who do not work there. */
  const apiSite = (req: Request): Site => {
    const site = siteOf(req, sites);
    if (!canUseSite(staffOf(req), site.id, sites.list)) throw new AppError('forbidden', 'Your account does not work at this site.');
    return site;
  };
  /** The counter of an API call with its site's queue and desk: nothing here reaches another site's queue. */
  const counterOf = (req: Request): Counter & { site: Site; desk: CounterDesk } => {
    const site = apiSite(req);
    const desk = desks.for(site);
    const id = counterId.safeParse(req.params.counterId);
    return { ...desk.counter(staffOf(req), id.success ? id.data : ''), site, desk };
  };
  const ticketOf = (req: Request): string => {
    const id = ticketId.safeParse(req.params.ticketId);
    if (!id.success) throw new AppError('unknown_ticket', 'Unknown ticket.');
    return id.data;
  };
  const answer = async (req: Request, res: Response, counter: ReturnType<typeof counterOf>, extra: Record<string, unknown> = {}) => {
    res.json({ ...extra, state: await counter.desk.state(counter, pageLanguage(req)) });
  };

  api.get('/state', async (req, res) => {
    const counter = counterOf(req);
    res.json(await counter.desk.state(counter, pageLanguage(req)));
  });

  api.post('/call-next', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.site.queue.callNext(counter.id, staffOf(req).username);
    await answer(req, res, counter, { called: ticket ? ticket.number : null });
  });

  api.post('/tickets/:ticketId/transfer', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    const body = parse(transferBody, req.body);
    await counter.site.queue.transfer(ticket.id, body.serviceId);
    await answer(req, res, counter);
  });

  // "Selesai & panggil berikutnya": one tap. The ticket is finished even when no one is left to call.
  api.post('/tickets/:ticketId/done-next', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    await counter.site.queue.act(ticket.id, 'done');
    // On a break or closed (lunch begins with a citizen still at the counter) the ticket is finished
    // and nobody is called: that is the answer, not an error about a "Selesai" that did happen.
    const next = await counter.site.queue.callNext(counter.id, staffOf(req).username).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'counter_not_open') return null;
      throw err;
    });
    await answer(req, res, counter, { done: ticket.number, called: next ? next.number : null });
  });

  // A waiting ticket called before its turn: the reason is required and logged for the head's report.
  api.post('/tickets/:ticketId/call', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    const { reason } = parse(callBody, req.body);
    const called = await counter.site.queue.callTicket(counter.id, ticket.id, reason, staffOf(req).username);
    await answer(req, res, counter, { called: called.number });
  });

  api.post('/tickets/:ticketId/undo-done', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    if (ticket.counter !== counter.id) throw new AppError('forbidden', 'This ticket was not finished at this counter.');
    await counter.site.queue.undoDone(ticket.id);
    await answer(req, res, counter, { undone: ticket.number, windowMs: UNDO_DONE_MS });
  });

  api.post('/tickets/:ticketId/note', async (req, res) => {
    const counter = counterOf(req);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    if (ticket.counter !== counter.id) throw new AppError('forbidden', 'This ticket was not handled at this counter.');
    const body = parse(noteBody, req.body);
    await counter.site.queue.noteTicket(ticket.id, body.outcome, body.note);
    await answer(req, res, counter);
  });

  api.post('/status', async (req, res) => {
    const counter = counterOf(req);
    const { status } = parse(statusBody, req.body);
    await counter.site.queue.setCounterStatus(counter.id, status);
    await answer(req, res, counter);
  });

  // A walk-in without a phone: an anonymous ticket within the same quotas and call order as any other.
  api.post('/walk-in', async (req, res) => {
    const counter = counterOf(req);
    const body = parse(walkInBody, req.body);
    const { ticket } = await counter.site.queue.take({ serviceId: body.serviceId, priority: body.priority, source: 'counter', ...(body.requestId ? { idempotencyKey: `counter-${body.requestId}` } : {}) });
    const locale = pageLanguage(req);
    const counters = counter.site.queue.countersFor(ticket.serviceId).map((c) => c.name[locale]);
    await answer(req, res, counter, {
      ticket: { number: ticket.number, serviceName: opts.offered(counter.site).services.get(ticket.serviceId)?.name[locale] ?? ticket.serviceId, ahead: ticket.ahead, etaMinutes: ticket.etaMinutes, counters, priority: ticket.priority },
    });
  });

  api.post('/tickets/:ticketId/:action', async (req, res) => {
    const counter = counterOf(req);
    const action = req.params.action as TicketAction;
    if (!ACTIONS.includes(action)) throw new AppError('not_found', `Unknown action; use one of ${ACTIONS.join(', ')}, transfer.`);
    const ticket = await counter.desk.ticket(counter.id, ticketOf(req));
    await counter.site.queue.act(ticket.id, action);
    await answer(req, res, counter);
  });
  return router;
}
