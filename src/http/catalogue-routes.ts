import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/loader.js';
import type { ServiceSearch } from '../catalogue/search.js';
import { AppError } from '../errors.js';

const searchQuery = z.object({
  q: z.string({ error: 'q is required' }).max(2000, 'q must be at most 2000 characters'),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

/**
 * `GET /api/services?q=` (search) and `GET /api/services/:id` (one whole service). Public, so
 * `limiter` (per IP) keeps a scraper from spending the search's CPU on everyone else's time.
 */
export function catalogueRoutes(catalogue: Catalogue, search: ServiceSearch, limiter: RequestHandler): Router {
  const router = Router();
  router.use('/api/services', limiter);
  router.get('/api/services', (req, res) => {
    const parsed = searchQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('bad_request', parsed.error.issues.map((i) => i.message).join('; '));
    const outcome = search.search(parsed.data.q, parsed.data.limit);
    res.json({ query: parsed.data.q, results: outcome.results, ambiguous: outcome.ambiguous });
  });
  router.get('/api/services/:id', (req, res) => {
    const service = catalogue.services.get(req.params.id);
    if (!service) throw new AppError('unknown_service', `No service with id ${JSON.stringify(req.params.id.slice(0, 100))}`);
    const agency = catalogue.agencies.get(service.agency);
    res.json({ service, agency });
  });
  return router;
}
