import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import { canUseSite, sitesOfStaff, staffOf, type StaffAuth, type StaffSession } from '../staff/index.js';
import type { Site, Sites } from '../../sites/sites.js';
import { siteById, unknownSitePage } from '../sites/site-param.js';
import type { RangeReports } from '../../reports/range-report.js';
import { MAX_RANGE_DAYS, parseRange, rangeProblemMessages, rangeKinds, shiftRange, type DayRange } from '../../reports/range.js';
import { JOBS_PATH } from './jobs.js';
import { FAILED_NOTICES_PATH } from './failed-notices.js';
import { DeskReportView, type DeskReport } from './desk-report.js';
import { RangeReportView } from './range-view.js';
import { visitSection, type VisitFigures } from './visits-view.js';
import { outOfOrderSection, type OutOfOrderFigure } from './out-of-order-view.js';
import { excelIdCsv, plainCsv, type CsvDialect } from './csv.js';

const read = (name: string) => readPage(import.meta.dirname, name);
const templates = { index: read('index.html'), report: read('report.html'), comments: read('comments.html') };

/** A report day: a real calendar date, within the years the data can cover. */
const dayParam = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2100-12-31');

/** A page of another module listed on the admin index when it is mounted (`admin.<key>`). */
export interface AdminLink {
  href: string;
  key: 'whatsapp' | 'incidents';
}

/** What the report reads for one site, or for every site summed (`?site=all`). */
export interface ReportScope {
  /** The catalogue the report is drawn with (its counters are the scope's). */
  catalogue: Catalogue;
  /** The head's report over a period, from durable per-day aggregates. */
  ranges: RangeReports;
  /** Today's date where the MPP is (the queue's day). */
  today: () => string;
  /** Multi-service visit figures for the period; the report leaves the section out without it. */
  visits?: (range: DayRange) => Promise<VisitFigures>;
  /** Tickets called before their turn in the period, with the officers' reasons. */
  outOfOrder?: (range: DayRange) => Promise<OutOfOrderFigure[]>;
}

/** `?site=all`: the report summed over every site. */
export const ALL_SITES = 'all';

export interface AdminRoutesOptions {
  staff: StaffAuth;
  translator: Translator;
  /** The deployment's catalogue (the index page, the desk section). */
  catalogue: Catalogue;
  sites: Sites;
  /** The report's sources for a site, or for every site (`'all'`). */
  scope: (site: Site | typeof ALL_SITES) => ReportScope;
  /** The help desk's and complaints' figures for a local day; the report leaves the section out without it. */
  deskFigures?: (day: string) => Promise<DeskReport>;
  /** Optional pages to link from `/admin`. */
  links?: readonly AdminLink[];
}

/**
 * `GET /admin` (index); the head's report `GET /admin/report?range=day|week|month|quarter|semester&day=YYYY-MM-DD`
 * or `?range=custom&from=…&to=…`, its exports `GET /admin/report.csv` (comma, dot decimals) and
 * `GET /admin/report-excel.csv` (semicolon, decimal comma, for Excel in Indonesian), the survey
 * comments `GET /admin/report/comments?…&page=N`: operators and admins.
 */
export function adminRoutes(opts: AdminRoutesOptions): Router {
  const { staff, translator, sites } = opts;
  const views = new Map<Catalogue, RangeReportView>();
  const viewOf = (scope: ReportScope) => views.get(scope.catalogue) ?? views.set(scope.catalogue, new RangeReportView(translator, scope.catalogue)).get(scope.catalogue)!;
  /**
   * The report's site: `?site=<id>` or `all`; without it the officer's first site (the main one for
   * accounts of every site). 403 for a site the account does not work at, and for `all` unless it works at all.
   */
  const reportSite = (req: Request): Site | typeof ALL_SITES => {
    const me = staffOf(req);
    const own = sitesOfStaff(me, sites.list);
    const asked = req.query.site;
    if (asked === ALL_SITES) {
      if (own.length !== sites.list.length) throw new AppError('forbidden', 'The all-sites report is for staff of every site.');
      return ALL_SITES;
    }
    const site = asked === undefined || asked === '' ? (own[0] ?? sites.main) : siteById(sites, asked);
    if (!canUseSite(me, site.id, sites.list) || own.length === 0) throw new AppError('forbidden', 'Your account does not work at this site.');
    return site;
  };
  /** The report page's site, or undefined when the page already answered: 403/404 pages listing the sites to go to. */
  const pageSite = (req: Request, res: Response, path = '/admin/report'): Site | typeof ALL_SITES | undefined => {
    try {
      return reportSite(req);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const forbidden = err.code === 'forbidden';
      const list = forbidden ? sitesOfStaff(staffOf(req), sites.list) : sites.list;
      res.status(forbidden ? 403 : 404).type('html').send(unknownSitePage(translator, pageLanguage(req), sites, path, list, forbidden ? 'sites.not_yours' : 'sites.unknown_body'));
      return undefined;
    }
  };
  /** `&site=…` for the report's own links (nothing for the main site, whose URLs stay as they were). */
  const siteParam = (site: Site | typeof ALL_SITES) => (site === sites.main ? '' : `&site=${encodeURIComponent(site === ALL_SITES ? ALL_SITES : site.id)}`);
  /** The site picker of the report form: the account's sites, and all sites for staff of every site. */
  const sitePicker = (me: StaffSession, current: Site | typeof ALL_SITES, locale: 'id' | 'en'): string => {
    const own = sitesOfStaff(me, sites.list);
    if (!sites.several || own.length === 0) return '';
    const option = (value: string, label: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    const options = [...own.map((s) => option(s.id, s.mpp.name, s === current)), ...(own.length === sites.list.length ? [option(ALL_SITES, translator.t(locale, 'sites.all'), current === ALL_SITES)] : [])];
    return `      <label>${escapeHtml(translator.t(locale, 'sites.picker'))} <select name="site">${options.join('')}</select></label>`;
  };
  const deskView = new DeskReportView(translator, opts.catalogue);
  /**
   * The help desk is the deployment's (one desk for every site's chat), so its figures (complaints
   * about every site's agencies) are for staff of every site, on the main site's and the all-sites
   * report; a district's operator never reads another site's complaints on their own report.
   */
  const deskShown = (me: StaffSession, site: Site | typeof ALL_SITES): boolean =>
    (site === sites.main || site === ALL_SITES) && sitesOfStaff(me, sites.list).length === sites.list.length;
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  const guards = [staff.loadStaff, staff.requireStaff({ roles: ['admin', 'operator'], page: true }), noStore];
  const router = Router();
  router.use('/admin/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  router.get('/admin', ...guards, (req, res) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const items: Array<{ href: string; key: string }> = [
      { href: '/admin/report', key: 'report' },
      ...(opts.links ?? []),
      { href: FAILED_NOTICES_PATH, key: 'failed_notices' },
      { href: '/staff/bookings', key: 'bookings' },
      { href: JOBS_PATH, key: 'jobs' },
      { href: '/counter', key: 'counter' },
    ];
    const links = items
      .map((l) => `<li><a href="${escapeHtml(l.href)}"><strong>${escapeHtml(translator.t(locale, `admin.${l.key}`))}</strong><span>${escapeHtml(translator.t(locale, `admin.${l.key}_desc`))}</span></a></li>`)
      .join('\n');
    res.type('html').send(fillPage(templates.index, translator, locale, { username: me.username, csrf: me.csrf }, { links }));
  });

  router.get('/admin/report', ...guards, async (req, res) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const site = pageSite(req, res);
    if (!site) return;
    const scope = opts.scope(site);
    const rangeView = viewOf(scope);
    const parsed = parseRange(req.query, scope.today());
    // A bad range answers 400 with the reason, and the page still shows today so the form can be fixed.
    const range = parsed.ok ? parsed.range : parseRangeOrToday({}, scope.today());
    const report = await scope.ranges.report(range);
    const at = siteParam(site);
    const query = rangeQuery(range) + at;
    const values = {
      username: me.username,
      csrf: me.csrf,
      notice: parsed.ok ? '' : translator.t(locale, `report.range_error.${parsed.error}`, { max: MAX_RANGE_DAYS }),
      day: range.kind === 'custom' ? range.to : range.from,
      from: range.from,
      to: range.to,
      prev_href: `/admin/report?${rangeQuery(shiftRange(range, -1))}${at}`,
      next_href: `/admin/report?${rangeQuery(shiftRange(range, 1))}${at}`,
      today_href: at ? `/admin/report?${at.slice(1)}` : '/admin/report',
      site_name: site === ALL_SITES ? translator.t(locale, 'sites.all') : sites.several ? site.mpp.name : '',
      csv_href: `/admin/report.csv?${query}`,
      excel_href: `/admin/report-excel.csv?${query}`,
      comments_href: `/admin/report/comments?${query}`,
      range_title: rangeView.rangeTitle(locale, range),
    };
    const kind_options = rangeKinds.map((k) => `<option value="${k}"${k === range.kind ? ' selected' : ''}>${escapeHtml(translator.t(locale, `report.range.kinds.${k}`))}</option>`).join('');
    const desk = opts.deskFigures && range.days.length === 1 && deskShown(me, site) ? deskView.html(locale, await opts.deskFigures(range.from), at) : '';
    const visits = scope.visits ? visitSection(translator, scope.catalogue, locale, await scope.visits(range)) : '';
    const out_of_order = scope.outOfOrder ? outOfOrderSection(translator, scope.catalogue, locale, await scope.outOfOrder(range)) : '';
    const html = { ...rangeView.html(locale, report), kind_options, desk, visits, out_of_order, site_picker: sitePicker(me, site, locale) };
    res.status(parsed.ok ? 200 : 400).type('html').send(fillPage(templates.report, translator, locale, values, html));
  });

  router.get('/admin/report/comments', ...guards, async (req, res) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    // A person reading: an unknown site or another site's comments get the page listing the sites, not JSON.
    const site = pageSite(req, res, '/admin/report/comments');
    if (!site) return;
    const scope = opts.scope(site);
    const rangeView = viewOf(scope);
    const parsed = parseRange(req.query, scope.today());
    const page = pageParam.safeParse(req.query.page ?? '1');
    if (!parsed.ok || !page.success) {
      throw new AppError('bad_request', parsed.ok ? 'page must be a whole number from 1' : rangeProblemMessages[parsed.error]);
    }
    const range = parsed.range;
    const comments = await scope.ranges.comments(range, page.data, COMMENTS_PER_PAGE);
    const query = rangeQuery(range) + siteParam(site);
    const link = (n: number, key: string) => `<a class="step" href="${escapeHtml(`/admin/report/comments?${query}&page=${n}`)}">${escapeHtml(translator.t(locale, key))}</a>`;
    const pager = [
      comments.page > 1 ? link(comments.page - 1, 'report.prev_day') : '',
      `<span>${escapeHtml(translator.t(locale, 'report.range.page_of', { page: comments.page, pages: comments.pages }))}</span>`,
      comments.page < comments.pages ? link(comments.page + 1, 'report.next_day') : '',
    ].join(' ');
    const values = {
      username: me.username,
      report_href: `/admin/report?${query}`,
      // Whose citizens wrote these: the site's name (or all sites) once there are several.
      site_name: site === ALL_SITES ? translator.t(locale, 'sites.all') : sites.several ? site.mpp.name : '',
      range_title: rangeView.rangeTitle(locale, range),
      summary: translator.t(locale, 'report.range.comments_summary', { count: comments.total }),
    };
    res.type('html').send(fillPage(templates.comments, translator, locale, values, { comments: rangeView.commentsHtml(locale, comments), pager }));
  });

  const spreadsheet = (dialect: CsvDialect, name: string): RequestHandler => async (req, res) => {
    const site = reportSite(req);
    const scope = opts.scope(site);
    const parsed = parseRange(req.query, scope.today());
    if (!parsed.ok) throw new AppError('bad_request', rangeProblemMessages[parsed.error]);
    const report = await scope.ranges.report(parsed.range);
    // The file says whose figures it holds: one site's id, or `all`.
    const whose = site === sites.main ? '' : `-${site === ALL_SITES ? ALL_SITES : site.id}`;
    res.attachment(`${name}${whose}-${parsed.range.from}_${parsed.range.to}.csv`);
    res.type('text/csv; charset=utf-8').send(viewOf(scope).spreadsheet(pageLanguage(req), report, dialect));
  };
  router.get('/admin/report.csv', ...guards, spreadsheet(plainCsv, 'mpp-report'));
  router.get('/admin/report-excel.csv', ...guards, spreadsheet(excelIdCsv, 'mpp-report-excel'));
  router.get('/admin/report/desk.csv', ...guards, async (req: Request, res) => {
    const me = staffOf(req);
    const site = reportSite(req);
    if (sitesOfStaff(me, sites.list).length !== sites.list.length) throw new AppError('forbidden', "The help desk's figures are for staff of every site.");
    if (!deskShown(me, site)) throw new AppError('not_found', "The help desk's figures are the deployment's: ask without site, or with site=all.");
    const parsed = dayParam.safeParse(req.query.day ?? sites.main.queue.today());
    if (!parsed.success || !opts.deskFigures) throw new AppError('bad_request', 'day must be a date written YYYY-MM-DD');
    res.attachment(`mpp-desk-${parsed.data}.csv`);
    res.type('text/csv; charset=utf-8').send(deskView.csv(await opts.deskFigures(parsed.data)));
  });
  return router;
}

/** Survey comments per page of the comments list. */
export const COMMENTS_PER_PAGE = 20;
const pageParam = z.coerce.number().int().min(1).max(100_000);

function parseRangeOrToday(query: Record<string, unknown>, today: string): DayRange {
  const parsed = parseRange(query, today);
  if (!parsed.ok) throw new Error('today is not a valid day');
  return parsed.range;
}

/** The query string that asks for this range again. */
function rangeQuery(range: DayRange): string {
  return range.kind === 'custom' ? `range=custom&from=${range.from}&to=${range.to}` : `range=${range.kind}&day=${range.from}`;
}
