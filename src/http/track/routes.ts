import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import type { Locale } from '../../message.js';
import { escapeHtml, fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Site, Sites } from '../../sites/sites.js';
import type { TicketClaims } from '../../tracking/claims.js';
import { trackPath, type TrackingCodes } from '../../tracking/codes.js';
import type { StreamCap } from '../stream-cap.js';
import type { TrackFeed } from './feed.js';
import { trackState } from './state.js';

const pageTemplate = readPage(import.meta.dirname, 'page.html');
const missingTemplate = readPage(import.meta.dirname, 'missing.html');

export interface TrackRoutesOptions {
  codes: TrackingCodes;
  /** A ticket's site (its queue, counters, name and address) is found from the ticket. */
  sites: Sites;
  /** The deployment's catalogue: the main site names the "not found" page. */
  catalogue: Catalogue;
  translator: Translator;
  /** The live feed of a site's tracking pages (made on first use). */
  feed: (site: Site) => TrackFeed;
  /** Per-IP limit on the page, its JSON and its QR: a code guesser meets it long before a hit. */
  limiter: express.RequestHandler;
  /** Caps open `/t/:code/events` streams per address. */
  streams: StreamCap;
  /** Base URL phones reach (PUBLIC_URL); the request's own origin when unset. */
  publicUrl?: string;
  /** Makes the one-time "continue in the chat" tokens. */
  claims: TicketClaims;
  /** The Telegram bot's username (TELEGRAM_BOT_USERNAME with the channel on): a t.me link is offered. */
  telegramBot?: string;
}

/** Links to follow the ticket in the web chat, and on Telegram when the bot is known. */
function continueLinks(translator: Translator, locale: Locale, code: string, telegramBot: string | undefined): string {
  const link = (href: string, key: string, cls: string) => `<a class="${cls}" href="${escapeHtml(href)}" rel="nofollow">${escapeHtml(translator.t(locale, key))}</a>`;
  return [link(`/t/${code}/chat`, 'track.continue_webchat', 'go webchat'), ...(telegramBot ? [link(`/t/${code}/telegram`, 'track.continue_telegram', 'go telegram')] : [])].join('\n      ');
}

/** The `:code` of a tracking route (validated by `TrackingCodes.resolve`). */
function codeOf(req: Request): string {
  const code = req.params.code;
  return typeof code === 'string' ? code : '';
}

/** The absolute URL of a tracking page, for QR codes and printed text. */
export function trackLink(req: Request, code: string, publicUrl?: string): string {
  return `${publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${trackPath(code)}`;
}

/**
 * The public tracking page of a ticket, opened from the QR on a printed ticket: `GET /t/:code`
 * (page), `/t/:code/state` (JSON), `/t/:code/events` (SSE) and `/t/:code/qr.svg`. No login: the
 * code is the key (128 random bits); nothing about the person is shown.
 */
export function trackRoutes(opts: TrackRoutesOptions): Router {
  const { codes, sites, catalogue, translator, feed, limiter, streams } = opts;
  /** The ticket behind a tracking code, with its site; undefined when the code or the ticket is gone. */
  const located = async (req: Request): Promise<{ site: Site; ticketId: string } | undefined> => {
    const ticketId = await codes.resolve(codeOf(req));
    const found = ticketId ? await sites.ticket(ticketId) : undefined;
    return found && { site: found.site, ticketId: found.ticket.id };
  };
  const router = Router();
  router.use('/t/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  // A code not found belongs to no known site: never head it with the main site's name when the
  // citizen may hold another site's slip (a few sites named; beyond that, none).
  const missingHeading = !sites.several ? catalogue.mpp.name : sites.list.length <= 3 ? sites.list.map((s) => s.mpp.short ?? s.mpp.name).join(' · ') : '';
  const missing = (res: Response, locale: Locale) => {
    res.status(404).set('Cache-Control', 'no-store').type('html').send(fillPage(missingTemplate, translator, locale, { mpp: missingHeading }));
  };

  router.get('/t/:code', limiter, async (req, res) => {
    const locale = pageLanguage(req);
    const found = await located(req);
    const state = found ? await trackState(found.site.queue, found.site.catalogue, found.ticketId, locale) : undefined;
    if (!found || !state) return missing(res, locale);
    const code = codeOf(req);
    const data = jsonForScript({ lang: locale, code, state, texts: localeTree(translator, locale, 'track.js') });
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    // The page names the ticket's own site: with several MPPs a citizen must know which building to go to.
    const { name, address } = found.site.mpp;
    res.type('html').send(fillPage(pageTemplate, translator, locale, { mpp: name, address, number: state.number, service: state.service }, { data, continue: continueLinks(translator, locale, code, opts.telegramBot) }));
  });

  router.get('/t/:code/state', limiter, async (req, res) => {
    const found = await located(req);
    const state = found ? await trackState(found.site.queue, found.site.catalogue, found.ticketId, pageLanguage(req)) : undefined;
    if (!found || !state) throw new AppError('unknown_ticket', 'Unknown or expired tracking code.');
    res.set('Cache-Control', 'no-store').json(state);
  });

  router.get('/t/:code/qr.svg', limiter, async (req, res) => {
    const ticketId = await codes.resolve(codeOf(req));
    if (!ticketId) throw new AppError('unknown_ticket', 'Unknown or expired tracking code.');
    // Level M survives a crease or a smudge on thermal paper; margin 2 is the printed quiet zone.
    const svg = await QRCode.toString(trackLink(req, codeOf(req), opts.publicUrl), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.set('Cache-Control', 'private, max-age=3600').type('image/svg+xml').send(svg);
  });

  // "Continue in the chat": a fresh one-time claim token each time, never the printed code itself.
  router.get('/t/:code/chat', limiter, async (req, res) => {
    const token = await opts.claims.create(codeOf(req));
    if (!token) return missing(res, pageLanguage(req));
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').redirect(303, `/?claim=${token}`);
  });

  router.get('/t/:code/telegram', limiter, async (req, res) => {
    const token = opts.telegramBot ? await opts.claims.create(codeOf(req)) : undefined;
    if (!token) return missing(res, pageLanguage(req));
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').redirect(303, `https://t.me/${opts.telegramBot}?start=${token}`);
  });

  router.get('/t/:code/events', async (req, res) => {
    const ticketId = await codes.resolve(codeOf(req));
    const found = ticketId ? await sites.ticket(ticketId) : undefined;
    if (!found) throw new AppError('unknown_ticket', 'Unknown or expired tracking code.');
    const release = streams.admit(req.ip ?? 'unknown');
    if (!release) throw new AppError('rate_limited', 'Too many open tracking streams from this address.');
    res.on('close', release);
    // Live updates come from the ticket's own site: its queue events, its counters.
    await feed(found.site).open(res, found.ticket.id, found.ticket.serviceId, pageLanguage(req));
  });
  return router;
}
