import path from 'node:path';
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Clock } from '../../clock.js';
import { complaintStatuses } from '../../complaints/complaint.js';
import { ComplaintError } from '../../complaints/errors.js';
import type { ComplaintStore } from '../../complaints/store.js';
import { DeskError } from '../../desk/errors.js';
import { MESSAGE_MAX_CHARS, type HandoverStore } from '../../desk/handover-store.js';
import { AppError } from '../../errors.js';
import type { Translator } from '../../i18n.js';
import { fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { DeskDelivery } from '../../reminders/desk-delivery.js';
import { staffOf, type StaffAuth, type StaffRole } from '../staff/index.js';
import type { DeskEventTail } from './tail.js';

const page = readPage(import.meta.dirname, 'desk.html');

/** The help desk is for its own role; operators and admins may stand in. */
const DESK_ROLES: readonly StaffRole[] = ['helpdesk', 'operator', 'admin'];
const conversationId = z.string().regex(/^h[0-9a-f]{16}$/);
const reference = z.string().regex(/^ADU-\d{8}-\d{4,}$/);
const replyBody = z.strictObject({ text: z.string().trim().min(1).max(MESSAGE_MAX_CHARS) });
const transferBody = z.strictObject({ to: z.string().regex(/^[a-z0-9._-]{3,32}$/) });
const transitionBody = z.strictObject({ to: z.enum(complaintStatuses), agencyId: z.string().min(1).max(80).optional() });
const ACTIONS = ['claim', 'release', 'close', 'hand-back'] as const;
/** SSE comments keep proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 25_000;

export interface DeskRoutesOptions {
  desk: HandoverStore;
  delivery: DeskDelivery;
  complaints: ComplaintStore;
  tail: DeskEventTail;
  catalogue: Catalogue;
  translator: Translator;
  staff: StaffAuth;
  logger: Logger;
  clock: Clock;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('bad_request', r.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
  return r.data;
}

/**
 * `/desk`: the help desk page (live list over SSE, claim, reply, hand back; complaints tab) and
 * its JSON API under `/desk/api`. Every read of a conversation or complaint text is audited by
 * the stores; the list itself carries no citizen text.
 */
export function deskRoutes(opts: DeskRoutesOptions): Router {
  const { desk, delivery, complaints, staff, translator } = opts;
  const router = Router();
  router.use('/desk/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));
  router.use('/desk', staff.loadStaff, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/desk', staff.requireStaff({ page: true, roles: DESK_ROLES }), (req, res) => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const agencies = [...opts.catalogue.agencies.values()].map((a) => ({ id: a.id, name: a.name[locale] }));
    const data = jsonForScript({
      lang: locale,
      me: me.username,
      csrf: me.csrf,
      agencies,
      timezone: opts.catalogue.mpp.timezone,
      services: Object.fromEntries([...opts.catalogue.services.values()].map((s) => [s.id, s.name[locale]])),
      texts: {
        page: localeTree(translator, locale, 'desk.page'),
        states: localeTree(translator, locale, 'desk.states'),
        notes: localeTree(translator, locale, 'desk.notes'),
        delivery: localeTree(translator, locale, 'desk.delivery'),
        window: localeTree(translator, locale, 'desk.window'),
        canned: localeTree(translator, locale, 'desk.canned'),
        statuses: localeTree(translator, locale, 'complaints.statuses'),
        categories: localeTree(translator, locale, 'complaints.categories'),
        overdue: localeTree(translator, locale, 'complaints.overdue'),
        errors: localeTree(translator, locale, 'errors'),
      },
    });
    res.type('html').send(fillPage(page, translator, locale, { username: me.username, csrf: me.csrf }, { data }));
  });

  const api = Router();
  router.use('/desk/api', staff.requireStaff({ page: false, roles: DESK_ROLES }), staff.requireCsrf(), express.json({ limit: '8kb' }), api);
  const officer = (req: Request) => staffOf(req).username;
  const idOf = (req: Request) => {
    const id = conversationId.safeParse(req.params.id);
    if (!id.success) throw new AppError('unknown_conversation', 'Unknown conversation.');
    return id.data;
  };

  api.get('/conversations', async (_req, res) => {
    // The server's clock: waiting times are counted on it, not on the tablet's.
    res.json({ ...(await desk.list()), now: opts.clock.now().getTime() });
  });

  api.get('/events', (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n: connected\n\n');
    const off = opts.tail.on((e) => res.write(`id: ${e.id}\nevent: desk\ndata: ${JSON.stringify(e)}\n\n`));
    const keepAlive = setInterval(() => res.write(': ping\n\n'), KEEP_ALIVE_MS);
    req.on('close', () => {
      off();
      clearInterval(keepAlive);
    });
  });

  api.get('/conversations/:id', async (req, res) => {
    res.json(await desk.view(idOf(req), officer(req)));
  });

  api.post('/conversations/:id/reply', async (req, res) => {
    const { text } = parse(replyBody, req.body ?? {});
    const r = await delivery.reply(idOf(req), officer(req), text);
    res.json({ message: { ...r.message, delivery: r.status }, claimedNow: r.claimedNow, templateSent: r.templateNeeded });
  });

  api.post('/conversations/:id/transfer', async (req, res) => {
    const { to } = parse(transferBody, req.body ?? {});
    res.json({ handover: await desk.transfer(idOf(req), officer(req), to) });
  });

  api.post('/conversations/:id/:action', async (req, res) => {
    const action = ACTIONS.find((a) => a === req.params.action);
    if (!action) throw new AppError('not_found', `Unknown action; use one of ${ACTIONS.join(', ')}, reply, transfer.`);
    const id = idOf(req);
    if (action === 'claim') return void res.json({ handover: await desk.claim(id, officer(req)) });
    if (action === 'release') return void res.json({ handover: await desk.release(id, officer(req)) });
    const ended = action === 'close' ? await desk.close(id, officer(req)) : await desk.handBack(id, 'officer', officer(req));
    await delivery.ended(ended);
    res.json({ ended: { id: ended.id, outcome: ended.outcome } });
  });

  api.get('/complaints', async (_req, res) => {
    res.json({ complaints: await complaints.open() });
  });

  api.get('/complaints/:ref', async (req, res) => {
    const complaint = await complaints.view(parse(reference, req.params.ref), officer(req));
    if (!complaint) throw new AppError('unknown_complaint', 'Unknown complaint.');
    res.json({ complaint });
  });

  api.post('/complaints/:ref/transition', async (req, res) => {
    const body = parse(transitionBody, req.body ?? {});
    const r = await complaints.transition(parse(reference, req.params.ref), body.to, officer(req), body.agencyId ? { agencyId: body.agencyId } : {});
    const agency = r.complaint.forwardedTo ? opts.catalogue.agencies.get(r.complaint.forwardedTo)?.name[r.complaint.locale] : undefined;
    const told = await delivery.complaintChanged(r, agency);
    res.json({ complaint: r.complaint, told: told ?? null });
  });

  router.use('/desk/api', domainErrors);
  return router;
}

/** The desk's and complaints' own refusals become AppErrors for the one error handler. */
const domainErrors: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  if (err instanceof DeskError) next(new AppError(err.code, err.message, err.holder ? { holder: err.holder } : undefined));
  else if (err instanceof ComplaintError) next(new AppError(err.code, err.message, err.current ? { current: err.current } : undefined));
  else next(err);
};
