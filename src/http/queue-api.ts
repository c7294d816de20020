import express, { Router } from 'express';
import { z } from 'zod';
import type { Catalogue } from '../catalogue/loader.js';
import { AppError } from '../errors.js';
import { offers } from '../catalogue/sites.js';
import type { Site, Sites } from '../sites/sites.js';
import type { TicketAction, TicketView } from '../queue/ticket.js';
import { trackPath, type TrackingCodes } from '../tracking/codes.js';
import { requireBearer } from './bearer.js';
import type { IdempotencyKeys } from './idempotency.js';
import { siteById, siteOf, siteRef } from './sites/site-param.js';

const takeBody = z.strictObject({
  serviceId: z.string().min(1).max(100),
  /** The kiosk's or integration's own opaque id for the citizen (never a NIK in clear). */
  citizen: z.string().min(1).max(200).optional(),
  priority: z.boolean().optional(),
  /** The MPP site (content/sites); the main site when left out. */
  site: z.string().min(1).max(60).optional(),
});
const ticketId = z.string().regex(/^[a-z0-9]{6,40}$/, 'ticket ids are lower-case letters and digits');
const counterId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'counter ids are lower-case letters, digits and dashes');
const idemKey = z.string().regex(/^[\w.:-]{1,100}$/);
const ACTIONS: TicketAction[] = ['recall', 'start', 'done', 'no-show', 'cancel'];

/** What the API shows of a ticket: no personal data. */
export function publicTicket(t: TicketView) {
  return { id: t.id, number: t.number, serviceId: t.serviceId, position: t.position, status: t.status, counter: t.counter || null, etaMinutes: t.etaMinutes };
}

/**
 * The kiosk and integration API, authorised by `Authorization: Bearer <MPP_API_TOKEN>`. A taken
 * ticket comes with `trackUrl`, the path of its public tracking page (`/t/<code>`), for a QR, and
 * `site: { id, name }`. Tickets go to `site` of the body (the main site without one); routes of a
 * ticket find its site; counter and queue routes take `?site=`.
 */
export function queueApi(sites: Sites, catalogue: Catalogue, token: string | undefined, idempotency: IdempotencyKeys, tracking: TrackingCodes): Router {
  const router = Router();
  const auth = requireBearer(token);
  const json = express.json({ limit: '10kb' });

  router.post('/api/tickets', auth, json, async (req, res) => {
    const body = takeBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const key = req.get('idempotency-key');
    if (key !== undefined && !idemKey.safeParse(key).success) throw new AppError('bad_request', 'Idempotency-Key: 1-100 letters, digits, . _ : -');
    const site = body.data.site === undefined ? sites.main : siteById(sites, body.data.site);
    checkOffered(site, catalogue, body.data.serviceId);
    const { queue } = site;
    if (key) await idempotency.bind(queue.today(), key, req, body.data);
    const { ticket, created } = await queue.take({
      serviceId: body.data.serviceId,
      ...(body.data.citizen ? { citizen: { channel: 'api', userKey: body.data.citizen } } : {}),
      priority: body.data.priority ?? false,
      ...(key ? { idempotencyKey: key } : {}),
      source: 'api',
    });
    const code = await tracking.issue(ticket.id, ticket.day);
    res.status(created ? 201 : 200).json({ ticket: publicTicket(ticket), trackUrl: trackPath(code), site: siteRef(site) });
  });

  router.post('/api/counters/:counter/call-next', auth, async (req, res) => {
    const id = counterId.safeParse(req.params.counter);
    if (!id.success) throw new AppError('unknown_counter', 'Unknown counter.');
    const ticket = await siteOf(req, sites).queue.callNext(id.data);
    if (!ticket) {
      res.status(204).end();
      return;
    }
    res.json({ ticket: publicTicket(ticket) });
  });

  router.post('/api/tickets/:id/:action', auth, async (req, res) => {
    const action = req.params.action as TicketAction;
    if (!ACTIONS.includes(action)) throw new AppError('not_found', `Unknown action; use one of ${ACTIONS.join(', ')}.`);
    const id = ticketId.safeParse(req.params.id);
    if (!id.success) throw new AppError('unknown_ticket', 'Unknown ticket.');
    const queue = await sites.queueOf(id.data);
    const ticket = await queue.act(id.data, action);
    res.json({ ticket: publicTicket(await queue.view(ticket)) });
  });

  router.get('/api/queue', auth, async (req, res) => {
    const { queue } = siteOf(req, sites);
    const snapshot = await queue.snapshot();
    res.json({ day: queue.today(), services: snapshot.services });
  });

  router.get('/api/counters', auth, (req, res) => {
    const site = siteOf(req, sites);
    res.json(site.mpp.counters.map((c) => ({ id: c.id, name: c.name.id, services: site.queue.servicesOf(c.id) })));
  });
  return router;
}

/** A service of the shared catalogue that this site does not offer is refused with where to go instead. */
function checkOffered(site: Site, catalogue: Catalogue, serviceId: string): void {
  if (!catalogue.services.has(serviceId)) throw new AppError('unknown_service', `No service with id ${JSON.stringify(serviceId.slice(0, 100))}`);
  if (!offers(site.mpp, serviceId)) {
    const elsewhere = catalogue.sites.filter((m) => offers(m, serviceId)).map((m) => m.site);
    throw new AppError('not_offered_here', `${serviceId} is not offered at ${site.id}.`, { offeredAt: elsewhere });
  }
}
