import { Router, type RequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { Site, Sites } from '../../sites/sites.js';
import { canUseSite, sitesOfStaff, type StaffAuth } from '../staff/index.js';
import { PerSite } from './per-site.js';
import type { Translator } from '../../i18n.js';
import { pageLanguage } from '../../pages/html-page.js';
import { siteOf, unknownSitePage } from './site-param.js';

export interface PerSiteRouterOptions {
  sites: Sites;
  staff: StaffAuth;
  translator: Translator;
  /** Path prefixes these pages answer (e.g. `/admin/incidents`); other requests pass by. */
  paths: readonly string[];
  /**
   * The pages of one site; `at` is `site=<id>` (empty for the main site) for every link and form
   * of the site's pages to carry, so what is sent from a site's page acts at that site.
   */
  make: (site: Site, at: string) => Router;
}

/**
 * Staff pages of one site at a time under fixed paths: `?site=<id>` picks the site (the person's
 * first site without it, the main one for accounts of every site), validated, and staff who do not
 * work at that site get 403. Each site's pages are built on first use.
 */
export function perSiteRouter({ sites, staff, translator, paths, make }: PerSiteRouterOptions): Router {
  const routers = new PerSite((site) => make(site, site === sites.main ? '' : `site=${encodeURIComponent(site.id)}`));
  const dispatch: RequestHandler = (req, res, next) => {
    if (!paths.some((p) => req.path === p || req.path.startsWith(`${p}/`))) {
      next();
      return;
    }
    const me = req.staff;
    const own = me ? sitesOfStaff(me, sites.list) : [];
    // A person reading a page gets a page: the sites to go to instead of a JSON error.
    const page = req.method === 'GET' && req.accepts(['json', 'html']) === 'html';
    const base = paths.find((p) => req.path === p || req.path.startsWith(`${p}/`))!;
    let site: Site;
    try {
      site = req.query.site === undefined && me && own[0] && !own.includes(sites.main) ? own[0] : siteOf(req, sites);
    } catch (err) {
      if (!(err instanceof AppError) || !page) throw err;
      res.status(404).set('Cache-Control', 'no-store').type('html').send(unknownSitePage(translator, pageLanguage(req), sites, base, me ? own : sites.list));
      return;
    }
    if (me && (own.length === 0 || !canUseSite(me, site.id, sites.list))) {
      if (!page) throw new AppError('forbidden', 'Your account does not work at this site.');
      res.status(403).set('Cache-Control', 'no-store').type('html').send(unknownSitePage(translator, pageLanguage(req), sites, base, own, own.length ? 'sites.not_yours' : 'sites.no_sites'));
      return;
    }
    routers.for(site)(req, res, next);
  };
  // Who is asking decides the site and the 403; only these paths pay for reading the session.
  return Router().use([...paths], staff.loadStaff).use(dispatch);
}
