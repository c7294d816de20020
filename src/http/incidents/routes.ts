import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { localTime, minutesToHhmm } from '../../catalogue/local-time.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import type { Locale } from '../../message.js';
import type { IncidentBroadcast } from '../../incidents/broadcast.js';
import { INCIDENT_MESSAGE_MAX, incidentKinds } from '../../incidents/incident.js';
import { staffOf, type StaffAuth } from '../staff/index.js';

const template = readFileSync(path.join(import.meta.dirname, 'page.html'), 'utf8');

const declareForm = z.object({
  scope: z.string().regex(/^(service|agency):[a-z0-9]+(-[a-z0-9]+)*$/).max(100),
  kind: z.enum(incidentKinds),
  message: z.string().trim().min(1).max(INCIDENT_MESSAGE_MAX),
  offer_cancel: z.literal('1').optional(),
  offer_move: z.literal('1').optional(),
});

export interface IncidentRoutesOptions {
  broadcast: IncidentBroadcast;
  catalogue: Catalogue;
  translator: Translator;
  staff: StaffAuth;
}

/**
 * `GET /admin/incidents`: declare a disruption for a service or agency today and see today's list
 * with how many citizens each told; `POST /admin/incidents` declares (operators and admins, CSRF).
 */
export function incidentRoutes({ broadcast, catalogue, translator, staff }: IncidentRoutesOptions): Router {
  const router = Router();
  const guard = staff.requireStaff({ roles: ['operator', 'admin'], page: true });
  router.use('/admin/incidents/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));
  router.use('/admin/incidents', staff.loadStaff, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const scopeOptions = (locale: Locale): string =>
    [...catalogue.agencies.values()]
      .sort((a, b) => a.name[locale].localeCompare(b.name[locale]))
      .map((agency) => {
        const services = [...catalogue.services.values()].filter((s) => s.agency === agency.id);
        const options = [`<option value="agency:${escapeHtml(agency.id)}">${escapeHtml(`${translator.t(locale, 'incident.page.whole_agency')}: ${agency.name[locale]}`)}</option>`, ...services.map((s) => `<option value="service:${escapeHtml(s.id)}">${escapeHtml(s.name[locale])}</option>`)];
        return `<optgroup label="${escapeHtml(agency.name[locale])}">${options.join('')}</optgroup>`;
      })
      .join('\n');

  const render = async (req: Request, res: Response, status: number, notice?: { kind: 'info' | 'error'; text: string }, message = '') => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const kinds = incidentKinds.map((k) => `<option value="${k}">${escapeHtml(translator.t(locale, `incident.kinds.${k}`))}</option>`).join('');
    const incidents = await broadcast.today();
    const rows = incidents.map((i) => {
      const scope = i.scope.type === 'agency' ? `${translator.t(locale, 'incident.page.whole_agency')}: ${catalogue.agencies.get(i.scope.id)?.name[locale] ?? i.scope.id}` : (catalogue.services.get(i.scope.id)?.name[locale] ?? i.scope.id);
      const time = minutesToHhmm(localTime(new Date(i.createdAt), catalogue.mpp.timezone).minutes);
      return `<tr><td>${escapeHtml(time)}</td><td>${escapeHtml(translator.t(locale, `incident.kinds.${i.kind}`))}</td><td>${escapeHtml(scope)}</td><td class="message">${escapeHtml(i.message)}</td><td>${i.told}</td><td>${escapeHtml(i.by)}</td></tr>`;
    });
    const head = ['time', 'kind', 'scope', 'message', 'told', 'declared_by'].map((k) => `<th>${escapeHtml(translator.t(locale, `incident.page.${k}`))}</th>`).join('');
    const list = rows.length ? `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>` : `<p>${escapeHtml(translator.t(locale, 'incident.page.none'))}</p>`;
    res
      .status(status)
      .type('html')
      .send(fillPage(template, translator, locale, { username: me.username, csrf: me.csrf, notice: notice?.text ?? '', notice_kind: notice?.kind ?? '', message }, { scope_options: scopeOptions(locale), kind_options: kinds, incident_list: list }));
  };

  router.get('/admin/incidents', guard, async (req, res) => {
    const locale = pageLanguage(req);
    const told = Number(req.query.told);
    const done = req.query.done;
    const notice = (done === 'new' || done === 'repeat') && Number.isInteger(told) && told >= 0 ? { kind: 'info' as const, text: translator.t(locale, done === 'new' ? 'incident.page.declared' : 'incident.page.repeated', { count: told }) } : undefined;
    await render(req, res, 200, notice);
  });

  router.post('/admin/incidents', guard, staff.requireCsrf(), async (req, res) => {
    const form = declareForm.safeParse(req.body ?? {});
    if (!form.success) {
      const message = typeof (req.body as Record<string, unknown> | undefined)?.message === 'string' ? String((req.body as Record<string, unknown>).message).slice(0, INCIDENT_MESSAGE_MAX) : '';
      await render(req, res, 400, { kind: 'error', text: translator.t(pageLanguage(req), 'incident.page.invalid') }, message);
      return;
    }
    const [type, id] = form.data.scope.split(':') as ['service' | 'agency', string];
    try {
      broadcast.servicesOf({ type, id });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await render(req, res, 400, { kind: 'error', text: translator.t(pageLanguage(req), 'incident.page.invalid') }, form.data.message);
      return;
    }
    const declared = await broadcast.declare({ scope: { type, id }, kind: form.data.kind, message: form.data.message, offers: { cancel: form.data.offer_cancel === '1', move: form.data.offer_move === '1' }, by: staffOf(req).username });
    res.redirect(303, `/admin/incidents?done=${declared.created ? 'new' : 'repeat'}&told=${declared.toldNow}`);
  });
  return router;
}
