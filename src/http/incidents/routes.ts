import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import { localTime, minutesToHhmm } from '../../catalogue/local-time.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import type { Locale } from '../../message.js';
import type { IncidentBroadcast } from '../../incidents/broadcast.js';
import { INCIDENT_MESSAGE_MAX, incidentKinds, type IncidentScope } from '../../incidents/incident.js';
import type { IncidentSummary } from '../../incidents/store.js';
import type { FailedNotices } from '../../reminders/failed-notices.js';
import { staffOf, type StaffAuth } from '../staff/index.js';

const read = (name: string) => readPage(import.meta.dirname, name);
const templates = { page: read('page.html'), confirm: read('confirm.html') };

const flag = z.literal('1').optional();
const declareForm = z.object({
  scope: z.string().regex(/^(service|agency):[a-z0-9]+(-[a-z0-9]+)*$/).max(100),
  kind: z.enum(incidentKinds),
  message: z.string().trim().min(1).max(INCIDENT_MESSAGE_MAX),
  offer_cancel: flag,
  offer_move: flag,
  confirm: flag,
  edit: flag,
});
const followUpForm = z.object({ message: z.string().trim().max(INCIDENT_MESSAGE_MAX).default(''), confirm: flag });
const idParam = z.string().regex(/^[a-z0-9]{6,40}$/);

export interface IncidentRoutesOptions {
  broadcast: IncidentBroadcast;
  catalogue: Catalogue;
  translator: Translator;
  staff: StaffAuth;
  /** Undelivered notices (a blocked bot, a dead number): counted per incident as not reached too. */
  failed?: Pick<FailedNotices, 'list'>;
  /** Told after an incident is declared or resolved here (the board re-reads its running text). */
  changed?: () => void;
  /** `site=<id>` that every link and form of these pages carries (see src/http/sites/per-site-router.ts); '' for the main site. */
  at?: string;
}

interface Draft {
  scope: string;
  kind: string;
  message: string;
  offerCancel: boolean;
  offerMove: boolean;
}
const emptyDraft: Draft = { scope: '', kind: '', message: '', offerCancel: true, offerMove: false };

/**
 * `GET /admin/incidents`: declare a disruption for a service or agency today, see today's list
 * (told, could not be reached, follow-ups), send news or mark it over. Every notice to citizens
 * goes through a confirmation page that says how many will be told and how many cannot be:
 * `POST /admin/incidents`, `POST /admin/incidents/:id/update`, `POST /admin/incidents/:id/resolve`
 * each answer the confirmation first and act only with `confirm=1` (operators and admins, CSRF).
 */
export function incidentRoutes({ broadcast, catalogue, translator, staff, failed, changed, at = '' }: IncidentRoutesOptions): Router {
  const router = Router();
  // The site stays in every URL of these pages, so a form sent from a site's page acts at that site.
  const q = at ? `?${at}` : '';
  const amp = at ? `&${at}` : '';
  const guard = staff.requireStaff({ roles: ['operator', 'admin'], page: true });
  router.use('/admin/incidents/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));
  router.use('/admin/incidents', staff.loadStaff, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  const tr = (locale: Locale, key: string, params?: Record<string, unknown>) => translator.t(locale, `incident.page.${key}`, params);

  const scopeName = (locale: Locale, scope: IncidentScope) =>
    scope.type === 'agency' ? `${tr(locale, 'whole_agency')}: ${catalogue.agencies.get(scope.id)?.name[locale] ?? scope.id}` : (catalogue.services.get(scope.id)?.name[locale] ?? scope.id);

  /** The agency's services this page's site offers (the catalogue given is the site's offer). */
  const offersOf = (agency: string) => [...catalogue.services.values()].filter((s) => s.agency === agency);
  // No scope is chosen for the operator: an incident told to the wrong agency cannot be taken back.
  const scopeOptions = (locale: Locale, chosen: string): string =>
    [`<option value=""${chosen ? '' : ' selected'} disabled>${escapeHtml(tr(locale, 'choose_scope'))}</option>`]
      .concat(
        [...catalogue.agencies.values()]
          .filter((agency) => offersOf(agency.id).length > 0)
          .sort((a, b) => a.name[locale].localeCompare(b.name[locale]))
          .map((agency) => {
            const services = offersOf(agency.id);
            const option = (value: string, label: string) => `<option value="${escapeHtml(value)}"${value === chosen ? ' selected' : ''}>${escapeHtml(label)}</option>`;
            const options = [option(`agency:${agency.id}`, `${tr(locale, 'whole_agency')}: ${agency.name[locale]}`), ...services.map((s) => option(`service:${s.id}`, s.name[locale]))];
            return `<optgroup label="${escapeHtml(agency.name[locale])}">${options.join('')}</optgroup>`;
          }),
      )
      .join('\n');

  const time = (at: number) => minutesToHhmm(localTime(new Date(at), catalogue.mpp.timezone).minutes);

  const incidentBlock = (locale: Locale, i: IncidentSummary, csrf: string, undelivered: Map<string, number>): string => {
    const status = i.resolution ? `<span class="status done">${escapeHtml(tr(locale, 'status_resolved', { time: time(i.resolution.at), by: i.resolution.by }))}</span>` : `<span class="status open">${escapeHtml(tr(locale, 'status_open'))}</span>`;
    const counts = (x: { id: string; told: number; unreached: number }) => {
      const lost = undelivered.get(x.id) ?? 0;
      return `<span class="counts">${escapeHtml(tr(locale, 'told_count', { count: x.told }))} · ${escapeHtml(tr(locale, 'unreached_count', { count: x.unreached }))}${lost ? ` · <a href="/admin/failed-notices">${escapeHtml(tr(locale, 'undelivered_count', { count: lost }))}</a>` : ''}</span>`;
    };
    const followUps = i.followUps
      .map((f) => `<li><span class="when">${escapeHtml(time(f.createdAt))} · ${escapeHtml(f.by)} · ${escapeHtml(tr(locale, f.resolved ? 'kind_resolved' : 'kind_update'))}</span><p class="message">${escapeHtml(f.message)}</p>${counts(f)}</li>`)
      .join('');
    const actions = i.resolution
      ? ''
      : `<form method="post" action="/admin/incidents/${escapeHtml(i.id)}/update${escapeHtml(q)}" class="follow"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
        `<label for="u-${escapeHtml(i.id)}">${escapeHtml(tr(locale, 'update_label'))}</label><textarea id="u-${escapeHtml(i.id)}" name="message" maxlength="${INCIDENT_MESSAGE_MAX}" rows="2" required></textarea>` +
        `<button type="submit" class="secondary">${escapeHtml(tr(locale, 'update_submit'))}</button></form>` +
        `<form method="post" action="/admin/incidents/${escapeHtml(i.id)}/resolve${escapeHtml(q)}" class="follow"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">` +
        `<label for="r-${escapeHtml(i.id)}">${escapeHtml(tr(locale, 'resolve_label'))}</label><textarea id="r-${escapeHtml(i.id)}" name="message" maxlength="${INCIDENT_MESSAGE_MAX}" rows="2" placeholder="${escapeHtml(tr(locale, 'resolved_default'))}"></textarea>` +
        `<button type="submit" class="resolve">${escapeHtml(tr(locale, 'resolve_submit'))}</button></form>`;
    return (
      `<article class="incident" id="i-${escapeHtml(i.id)}"><header><strong>${escapeHtml(translator.t(locale, `incident.kinds.${i.kind}`))}</strong> · ${escapeHtml(scopeName(locale, i.scope))} ${status}</header>` +
      `<p class="when">${escapeHtml(time(i.createdAt))} · ${escapeHtml(i.by)}</p><p class="message">${escapeHtml(i.message)}</p>${counts(i)}` +
      (followUps ? `<ol class="follow-ups">${followUps}</ol>` : '') +
      actions +
      '</article>'
    );
  };

  const render = async (req: Request, res: Response, status: number, notice?: { kind: 'info' | 'error'; text: string }, draft: Draft = emptyDraft) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const kinds = [`<option value=""${draft.kind ? '' : ' selected'} disabled>${escapeHtml(tr(locale, 'choose_kind'))}</option>`]
      .concat(incidentKinds.map((k) => `<option value="${k}"${k === draft.kind ? ' selected' : ''}>${escapeHtml(translator.t(locale, `incident.kinds.${k}`))}</option>`))
      .join('');
    const incidents = await broadcast.today();
    const undelivered = new Map<string, number>();
    for (const n of incidents.length && failed ? await failed.list() : []) if (n.incidentId) undelivered.set(n.incidentId, (undelivered.get(n.incidentId) ?? 0) + 1);
    const list = incidents.length ? incidents.map((i) => incidentBlock(locale, i, me.csrf, undelivered)).join('\n') : `<p>${escapeHtml(tr(locale, 'none'))}</p>`;
    const checked = (on: boolean) => (on ? ' checked' : '');
    res
      .status(status)
      .type('html')
      .send(
        fillPage(templates.page, translator, locale, { username: me.username, csrf: me.csrf, notice: notice?.text ?? '', notice_kind: notice?.kind ?? '', message: draft.message, declare_action: `/admin/incidents${q}`, site_name: catalogue.mpp.name }, {
          scope_options: scopeOptions(locale, draft.scope),
          kind_options: kinds,
          incident_list: list,
          cancel_checked: checked(draft.offerCancel),
          move_checked: checked(draft.offerMove),
        }),
      );
  };

  /** The confirmation page: what will be sent, to how many, how many cannot be reached; the same fields go back with confirm=1. */
  const confirmPage = async (req: Request, res: Response, o: { action: string; title: string; summary: Array<[string, string]>; scope: IncidentScope; fields: Record<string, string>; editable: boolean }) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const audience = await broadcast.audience(o.scope);
    const hidden = Object.entries({ _csrf: me.csrf, ...o.fields })
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const summary = `<dl class="summary">${o.summary.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd class="message">${escapeHtml(v)}</dd>`).join('')}</dl>`;
    res.type('html').send(
      fillPage(templates.confirm, translator, locale, {
        username: me.username,
        title: o.title,
        action: o.action,
        audience: tr(locale, 'audience', { count: audience.reachable }),
        unreachable: audience.unreachable > 0 ? tr(locale, 'audience_unreachable', { count: audience.unreachable }) : '',
      }, {
        summary,
        hidden,
        // Declaring can be edited with the form filled in again; news and the end go back to the list.
        edit: o.editable
          ? `<form method="post" action="${escapeHtml(o.action)}">${hidden.replace('name="confirm" value="1"', 'name="edit" value="1"')}<button type="submit" class="secondary">${escapeHtml(tr(locale, 'edit'))}</button></form>`
          : `<a class="back" href="/admin/incidents${escapeHtml(q)}">${escapeHtml(tr(locale, 'cancel'))}</a>`,
      }),
    );
  };

  router.get('/admin/incidents', guard, async (req, res) => {
    const locale = pageLanguage(req);
    const told = Number(req.query.told);
    const unreached = Number(req.query.unreached ?? 0);
    const done = req.query.done;
    const known = ['new', 'repeat', 'update', 'resolved'];
    const notice =
      typeof done === 'string' && known.includes(done) && Number.isInteger(told) && told >= 0 && Number.isInteger(unreached) && unreached >= 0
        ? { kind: 'info' as const, text: [tr(locale, done === 'new' ? 'declared' : done === 'repeat' ? 'repeated' : done === 'update' ? 'updated' : 'resolved', { count: told }), unreached > 0 ? tr(locale, 'not_reached', { count: unreached }) : ''].join(' ').trim() }
        : undefined;
    await render(req, res, 200, notice);
  });

  router.post('/admin/incidents', guard, staff.requireCsrf(), async (req, res) => {
    const locale = pageLanguage(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = declareForm.safeParse(body);
    const draftOf = (): Draft => ({
      scope: typeof body.scope === 'string' ? body.scope.slice(0, 100) : '',
      kind: typeof body.kind === 'string' ? body.kind.slice(0, 40) : '',
      message: typeof body.message === 'string' ? body.message.slice(0, INCIDENT_MESSAGE_MAX) : '',
      offerCancel: body.offer_cancel === '1',
      offerMove: body.offer_move === '1',
    });
    if (!form.success) return render(req, res, 400, { kind: 'error', text: tr(locale, 'invalid') }, draftOf());
    const [type, id] = form.data.scope.split(':') as ['service' | 'agency', string];
    const scope = { type, id };
    // Only what this site offers: a district's operator cannot announce an outage of a service it has not.
    const offeredHere = type === 'service' ? catalogue.services.has(id) : offersOf(id).length > 0;
    if (!offeredHere) return render(req, res, 400, { kind: 'error', text: tr(locale, 'invalid') }, draftOf());
    try {
      broadcast.servicesOf(scope);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return render(req, res, 400, { kind: 'error', text: tr(locale, 'invalid') }, draftOf());
    }
    if (form.data.edit === '1') return render(req, res, 200, undefined, draftOf());
    const offers = { cancel: form.data.offer_cancel === '1', move: form.data.offer_move === '1' };
    if (form.data.confirm !== '1') {
      const offered = [tr(locale, 'offer_keep'), ...(offers.cancel ? [tr(locale, 'offer_cancel')] : []), ...(offers.move && broadcast.canMove(scope) ? [tr(locale, 'offer_move')] : [])].join(' · ');
      return confirmPage(req, res, {
        action: `/admin/incidents${q}`,
        editable: true,
        title: tr(locale, 'confirm_declare'),
        scope,
        summary: [
          [tr(locale, 'scope'), scopeName(locale, scope)],
          [tr(locale, 'kind'), translator.t(locale, `incident.kinds.${form.data.kind}`)],
          [tr(locale, 'message'), form.data.message],
          [tr(locale, 'offers'), offered],
        ],
        fields: { scope: form.data.scope, kind: form.data.kind, message: form.data.message, ...(offers.cancel ? { offer_cancel: '1' } : {}), ...(offers.move ? { offer_move: '1' } : {}), confirm: '1' },
      });
    }
    const declared = await broadcast.declare({ scope, kind: form.data.kind, message: form.data.message, offers, by: staffOf(req).username });
    changed?.();
    res.redirect(303, `/admin/incidents?done=${declared.created ? 'new' : 'repeat'}&told=${declared.toldNow}&unreached=${declared.unreached}${amp}`);
  });

  for (const kind of ['update', 'resolve'] as const) {
    router.post(`/admin/incidents/:id/${kind}`, guard, staff.requireCsrf(), async (req, res) => {
      const locale = pageLanguage(req);
      const id = idParam.safeParse(req.params.id);
      const incident = id.success ? await broadcast.store.get(id.data) : undefined;
      if (!incident || incident.parent) return render(req, res, 404, { kind: 'error', text: tr(locale, 'unknown') });
      const form = followUpForm.safeParse(req.body ?? {});
      const message = form.success ? form.data.message || (kind === 'resolve' ? tr(locale, 'resolved_default') : '') : '';
      if (!form.success || !message) return render(req, res, 400, { kind: 'error', text: tr(locale, 'invalid_update') });
      if (form.data.confirm !== '1') {
        return confirmPage(req, res, {
          action: `/admin/incidents/${incident.id}/${kind}${q}`,
          editable: false,
          title: tr(locale, kind === 'update' ? 'confirm_update' : 'confirm_resolve'),
          scope: incident.scope,
          summary: [
            [tr(locale, 'scope'), scopeName(locale, incident.scope)],
            [tr(locale, 'kind'), translator.t(locale, `incident.kinds.${incident.kind}`)],
            [tr(locale, 'message'), message],
          ],
          fields: { message, confirm: '1' },
        });
      }
      const sent = await broadcast.followUp(incident.id, { message, by: staffOf(req).username, resolved: kind === 'resolve' });
      if (!sent) return render(req, res, 409, { kind: 'error', text: tr(locale, 'already_over') });
      changed?.();
      res.redirect(303, `/admin/incidents?done=${kind === 'update' ? 'update' : 'resolved'}&told=${sent.toldNow}&unreached=${sent.unreached}${amp}#i-${incident.id}`);
    });
  }
  return router;
}
