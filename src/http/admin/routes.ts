import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import { staffOf, type StaffAuth } from '../staff/index.js';
import type { DailyReports } from '../../reports/daily-report.js';
import { JOBS_PATH } from './jobs.js';
import { DeskReportView, type DeskReport } from './desk-report.js';
import { ReportView } from './report-page.js';

const read = (name: string) => readFileSync(path.join(import.meta.dirname, name), 'utf8');
const templates = { index: read('index.html'), report: read('report.html') };

/** A report day: a real calendar date, within the years the data can cover. */
const dayParam = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2100-12-31');

/** A page of another module listed on the admin index when it is mounted (`admin.<key>`). */
export interface AdminLink {
  href: string;
  key: 'whatsapp' | 'incidents';
}

export interface AdminRoutesOptions {
  staff: StaffAuth;
  translator: Translator;
  catalogue: Catalogue;
  reports: DailyReports;
  /** Today's date where the MPP is (the queue's day). */
  today: () => string;
  /** The help desk's and complaints' figures for a local day; the report leaves the section out without it. */
  deskFigures?: (day: string) => Promise<DeskReport>;
  /** Optional pages to link from `/admin`. */
  links?: readonly AdminLink[];
}

/** `GET /admin` (index), `GET /admin/report` and `GET /admin/report.csv?day=YYYY-MM-DD`: operators and admins. */
export function adminRoutes(opts: AdminRoutesOptions): Router {
  const { staff, translator } = opts;
  const view = new ReportView(translator, opts.catalogue);
  const deskView = new DeskReportView(translator, opts.catalogue);
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
    const items: Array<{ href: string; key: string }> = [{ href: '/admin/report', key: 'report' }, { href: JOBS_PATH, key: 'jobs' }, { href: '/counter', key: 'counter' }, ...(opts.links ?? [])];
    const links = items
      .map((l) => `<li><a href="${escapeHtml(l.href)}"><strong>${escapeHtml(translator.t(locale, `admin.${l.key}`))}</strong><span>${escapeHtml(translator.t(locale, `admin.${l.key}_desc`))}</span></a></li>`)
      .join('\n');
    res.type('html').send(fillPage(templates.index, translator, locale, { username: me.username, csrf: me.csrf }, { links }));
  });

  router.get('/admin/report', ...guards, async (req, res) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const asked = req.query.day;
    const parsed = dayParam.safeParse(asked);
    const invalid = asked !== undefined && !parsed.success;
    const day = parsed.success ? parsed.data : opts.today();
    const report = await opts.reports.day(day);
    const values = {
      username: me.username,
      csrf: me.csrf,
      notice: invalid ? translator.t(locale, 'report.invalid_day') : '',
      day,
      prev_day: shiftDay(day, -1),
      next_day: shiftDay(day, 1),
      day_title: translator.t(locale, 'report.day_of', { day: longDate(day, locale) }),
    };
    const desk = opts.deskFigures ? deskView.html(locale, await opts.deskFigures(day)) : '';
    res.status(invalid ? 400 : 200).type('html').send(fillPage(templates.report, translator, locale, values, { ...view.html(locale, report), desk }));
  });

  router.get('/admin/report.csv', ...guards, async (req: Request, res) => {
    const asked = req.query.day;
    const parsed = dayParam.safeParse(asked ?? opts.today());
    if (!parsed.success) throw new AppError('bad_request', 'day must be a date written YYYY-MM-DD');
    const report = await opts.reports.day(parsed.data);
    res.attachment(`mpp-report-${parsed.data}.csv`);
    res.type('text/csv; charset=utf-8').send(view.csv(pageLanguage(req), report));
  });
  router.get('/admin/report/desk.csv', ...guards, async (req: Request, res) => {
    const parsed = dayParam.safeParse(req.query.day ?? opts.today());
    if (!parsed.success || !opts.deskFigures) throw new AppError('bad_request', 'day must be a date written YYYY-MM-DD');
    res.attachment(`mpp-desk-${parsed.data}.csv`);
    res.type('text/csv; charset=utf-8').send(deskView.csv(await opts.deskFigures(parsed.data)));
  });
  return router;
}

function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return d.toISOString().slice(0, 10);
}

function longDate(day: string, locale: 'id' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
