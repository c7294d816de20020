import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/loader.js';
import type { ServiceSearch } from '../catalogue/search.js';
import { offers, sitesOffering } from '../catalogue/sites.js';
import { AppError } from '../errors.js';
import type { Sites } from '../sites/sites.js';
import { siteOf, siteRef } from './sites/site-param.js';

/** The search ranks at most this many; with `?site=` the ones the site does not offer are dropped from them. */
const SEARCH_MAX = 20;

const searchQuery = z.object({
  q: z.string({ error: 'q is required' }).max(2000, 'q must be at most 2000 characters'),
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX).default(5),
  site: z.string().optional(),
});

/**
 * `GET /api/services?q=` (search) and `GET /api/services/:id` (one whole service). Public, so
 * `limiter` (per IP) keeps a scraper from spending the search's CPU on everyone else's time.
 * `?site=<id>` lists only what that site offers; without it the answer says where each result is
 * offered (`sites`: service id -> site ids).
 */
export function catalogueRoutes(catalogue: Catalogue, search: ServiceSearch, limiter: RequestHandler, sites: Sites): Router {
  const router = Router();
  router.use('/api/services', limiter);
  router.get('/api/services', (req, res) => {
    const parsed = searchQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('bad_request', parsed.error.issues.map((i) => i.message).join('; '));
    const { q, limit, site: asked } = parsed.data;
    if (asked !== undefined) {
      const site = siteOf(req, sites);
      const outcome = search.search(q, SEARCH_MAX);
      const results = outcome.results.filter((r) => offers(site.mpp, r.id)).slice(0, limit);
      res.json({ query: q, site: siteRef(site), results, ambiguous: outcome.ambiguous && results.length > 1 });
      return;
    }
    const outcome = search.search(q, limit);
    const where = Object.fromEntries(outcome.results.map((r) => [r.id, sitesOffering(catalogue, r.id).map((m) => m.site)]));
    res.json({ query: q, results: outcome.results, ambiguous: outcome.ambiguous, sites: where });
  });
  router.get('/api/services/:id', (req, res) => {
    const service = catalogue.services.get(req.params.id);
    if (!service) throw new AppError('unknown_service', `No service with id ${JSON.stringify(req.params.id.slice(0, 100))}`);
    const agency = catalogue.agencies.get(service.agency);
    res.json({ service, agency, sites: sitesOffering(catalogue, service.id).map((m) => m.site) });
  });
  return router;
}
