import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml, fillPage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Site, Sites } from '../../sites/sites.js';

/** Site ids as content/sites/*.yaml spells them; anything else is refused before a lookup. */
const siteId = z.string().regex(/^[a-z0-9-]{1,60}$/);

const unknownTemplate = readPage(import.meta.dirname, 'unknown.html');

/** Throws `unknown_site` unless `id` names a site of the deployment. */
export function siteById(sites: Sites, id: unknown): Site {
  const parsed = siteId.safeParse(id);
  const site = parsed.success ? sites.get(parsed.data) : undefined;
  if (!site) throw new AppError('unknown_site', `Unknown site; known: ${sites.list.map((s) => s.id).join(', ')}.`);
  return site;
}

/**
 * The site a per-site page or API acts on: `?site=<id>`, validated; the main site without one, so
 * one-site deployments and the URLs printed before sites existed keep working.
 */
export function siteOf(req: Request, sites: Sites): Site {
  const asked = req.query.site;
  return asked === undefined || asked === '' ? sites.main : siteById(sites, asked);
}

/** `?site=<id>` for links that stay on a site; nothing for the main site (its URLs stay as they were). */
export function siteQuery(sites: Sites, site: Site, joiner: '?' | '&' = '?'): string {
  return site.id === sites.main.id ? '' : `${joiner}site=${encodeURIComponent(site.id)}`;
}

/** `{ id, name }` of a site, for JSON answers. */
export function siteRef(site: Site): { id: string; name: string } {
  return { id: site.id, name: site.mpp.name };
}

/** `<li>` links to `path` at each of `list`, for pickers and the unknown-site page. */
export function siteLinks(sites: Sites, list: readonly Site[], path: string): string {
  return list.map((s) => `<li><a href="${escapeHtml(`${path}${siteQuery(sites, s)}`)}">${escapeHtml(s.mpp.name)}</a></li>`).join('\n');
}

/**
 * The friendly page of a page asked for an unknown site (404), or for a site the person does not
 * work at (403, `sites.not_yours`): it lists the sites to go to, each linked to `path`.
 */
export function unknownSitePage(translator: Translator, locale: Locale, sites: Sites, path: string, list: readonly Site[] = sites.list, messageKey = 'sites.unknown_body'): string {
  const title = translator.t(locale, messageKey === 'sites.unknown_body' ? 'sites.unknown_title' : 'sites.not_yours_title');
  return fillPage(unknownTemplate, translator, locale, { title, message: translator.t(locale, messageKey) }, { sites: siteLinks(sites, list, path) });
}
