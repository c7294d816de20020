import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import type { Locale } from '../../message.js';
import { escapeHtml, fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Site, Sites } from '../../sites/sites.js';
import { trackPath, type TrackingCodes } from '../../tracking/codes.js';
import { trackLink } from '../track/routes.js';
import { siteOf, siteQuery, unknownSitePage } from '../sites/site-param.js';
import type { KioskDevice } from './device.js';
import { kioskMenu, type KioskMenu } from './menu.js';

const pageTemplate = readPage(import.meta.dirname, 'page.html');
const enrolTemplate = readPage(import.meta.dirname, 'enrol.html');

export interface KioskRoutesOptions {
  sites: Sites;
  /** What a site's queue offers (its menu): the shared catalogue as the site sees it, offered services only. */
  offered: (site: Site) => Catalogue;
  translator: Translator;
  codes: TrackingCodes;
  device: KioskDevice;
  /** Per-IP limit on the page and on enrolment attempts. */
  limiter: RequestHandler;
  /** Per-IP limit on tickets (KIOSK_TICKETS_PER_MINUTE): a person takes one in ~20 s, a script far more. */
  takeLimiter: RequestHandler;
  /** Base URL phones reach, for the QR and the printed link (PUBLIC_URL). */
  publicUrl?: string;
}

const takeBody = z.strictObject({
  serviceId: z.string().regex(/^[a-z0-9-]{1,100}$/),
  /** One per tap on "Ambil nomor": a retried request gets the same ticket, never a second one. */
  key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** Requirement indexes the citizen ticked as brought (shown to the officer). */
  ready: z.array(z.number().int().min(0).max(100)).max(100).default([]),
  /** Lansia, disabilitas, ibu hamil, with a toddler (UU 25/2009 art. 29): the priority line; the counter checks. */
  priority: z.boolean().default(false),
});
const enrolBody = z.object({ token: z.string().max(500) });
const PAPERS = ['80', '58'] as const;

/**
 * The self-service kiosk: `GET /kiosk` (touch page: agency -> service -> requirements -> number,
 * with a print layout for 58/80 mm thermal printers), `POST /kiosk/enrol` and `POST /kiosk/tickets`.
 * Only an enrolled kiosk (see KioskDevice) may take tickets; they go through the same
 * `QueueService.take` as chat tickets (source `kiosk`), so the same quotas and fairness hold.
 */
export function kioskRoutes(opts: KioskRoutesOptions): Router {
  const { sites, translator, codes, device, limiter, takeLimiter } = opts;
  const router = Router();
  const menus = new Map<string, KioskMenu>();
  const menu = (site: Site, locale: Locale) => {
    const key = `${site.id} ${locale}`;
    return menus.get(key) ?? menus.set(key, kioskMenu(opts.offered(site), locale)).get(key)!;
  };
  /** The site the device was enrolled at; none when it is not enrolled or its site left the content. */
  const enrolledAt = (req: Request): Site | undefined => sites.get(device.siteOf(req));
  router.use('/kiosk/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  const enrolPage = (res: Response, locale: Locale, site: Site, status: number, wrong: boolean) => {
    res.status(status).set('Cache-Control', 'no-store').type('html');
    res.send(fillPage(enrolTemplate, translator, locale, { mpp: site.mpp.name, title: translator.t(locale, device.enabled ? 'kiosk.enrol_title' : 'kiosk.off_title') }, { body: enrolMarkup(translator, locale, device.enabled, wrong, `/kiosk/enrol${siteQuery(sites, site)}`) }));
  };
  /** `?site=` of the enrolment pages: which site a technician enrols this kiosk at. */
  const askedSite = (req: Request, res: Response, locale: Locale): Site | undefined => {
    try {
      return siteOf(req, sites);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      res.status(404).set('Cache-Control', 'no-store').type('html').send(unknownSitePage(translator, locale, sites, '/kiosk'));
      return undefined;
    }
  };

  router.get('/kiosk', limiter, (req, res) => {
    const locale = pageLanguage(req);
    const site = enrolledAt(req);
    if (!site) {
      const asked = askedSite(req, res, locale);
      if (asked) enrolPage(res, locale, asked, device.enabled ? 401 : 404, false);
      return;
    }
    const paper = PAPERS.find((p) => p === req.query.paper) ?? '80';
    const idle = z.coerce.number().int().min(5).max(600).catch(60).parse(req.query.idle ?? 60);
    const data = jsonForScript({ lang: locale, paper, idleSeconds: idle, autoPrint: req.query.print !== '0', menu: menu(site, locale), texts: localeTree(translator, locale, 'kiosk.js') });
    res.set('Cache-Control', 'no-store');
    res.type('html').send(fillPage(pageTemplate, translator, locale, { mpp: site.mpp.name, address: site.mpp.address, paper }, { data }));
  });

  // The address a technician types to enrol (or move) a kiosk at a site: the form, even on a device
  // enrolled elsewhere, which `/kiosk` would only show its old site's menu.
  router.get('/kiosk/enrol', limiter, (req, res) => {
    const locale = pageLanguage(req);
    const site = askedSite(req, res, locale);
    if (site) enrolPage(res, locale, site, device.enabled ? 200 : 404, false);
  });

  router.post('/kiosk/enrol', limiter, express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
    const locale = pageLanguage(req);
    const site = askedSite(req, res, locale);
    if (!site) return;
    const body = enrolBody.safeParse(req.body ?? {});
    if (!device.enabled) return enrolPage(res, locale, site, 404, false);
    if (!body.success || !device.tokenMatches(body.data.token)) return enrolPage(res, locale, site, 401, true);
    // The device is bound to the site it was enrolled at: its tickets are that site's.
    device.enrol(res, body.data.token, site.id);
    res.redirect(303, '/kiosk');
  });

  router.post('/kiosk/tickets', (req, _res, next) => {
    if (!enrolledAt(req)) throw new AppError('unauthorized', 'This device is not an enrolled kiosk.');
    // A cross-site page cannot send JSON without a CORS preflight, and the cookie is SameSite=Strict.
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'Send JSON.');
    next();
  }, takeLimiter, express.json({ limit: '4kb' }), async (req, res) => {
    const locale = pageLanguage(req);
    const body = takeBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const site = enrolledAt(req)!;
    const { queue } = site;
    const offered = menu(site, locale).services.get(body.data.serviceId);
    if (!offered) throw new AppError('unknown_service', 'This service has no queue at this MPP.');
    const ready = [...new Set(body.data.ready)].filter((i) => i < offered.requirements.length).sort((a, b) => a - b);
    const { ticket, created } = await queue.take({ serviceId: offered.id, source: 'kiosk', priority: body.data.priority, idempotencyKey: `kiosk:${body.data.key}`, ...(ready.length ? { checklist: { ready, missing: [] } } : {}) });
    const code = await codes.issue(ticket.id, ticket.day);
    // A retried key answers the ticket it first took: print that ticket's service, not the one asked now.
    const shown = menu(site, locale).services.get(ticket.serviceId) ?? offered;
    res.status(created ? 201 : 200).json({
      ticket: { number: ticket.number, service: shown.name, agency: shown.agency, counters: queue.countersFor(ticket.serviceId).map((c) => c.name[locale]), status: ticket.status, priority: ticket.priority, position: ticket.position, etaMinutes: ticket.etaMinutes, issuedAt: issuedAt(ticket.createdAt, site.mpp.timezone, locale) },
      site: { id: site.id, name: site.mpp.name, address: site.mpp.address },
      trackUrl: trackPath(code),
      trackLink: trackLink(req, code, opts.publicUrl),
      qr: `${trackPath(code)}/qr.svg`,
    });
  });
  return router;
}

function enrolMarkup(translator: Translator, locale: Locale, enabled: boolean, wrong: boolean, action: string): string {
  const t = (key: string) => escapeHtml(translator.t(locale, key));
  if (!enabled) return `<p>${t('kiosk.off_body')}</p>`;
  return [
    `<p>${t('kiosk.enrol_body')}</p>`,
    wrong ? `<p class="wrong" role="alert">${t('kiosk.enrol_wrong')}</p>` : '',
    `<form method="post" action="${escapeHtml(action)}"><label for="token">${t('kiosk.enrol_token')}</label>`,
    `<input id="token" name="token" type="password" autocomplete="off" required>`,
    `<button type="submit">${t('kiosk.enrol_submit')}</button></form>`,
  ].join('\n');
}

/** Date and time of issue on the MPP's wall clock (the kiosk's own clock may be wrong). */
function issuedAt(ms: number, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

