import path from 'node:path';
import express, { Router } from 'express';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import { fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Site, Sites } from '../../sites/sites.js';
import { siteOf, unknownSitePage } from '../sites/site-param.js';
import type { StreamCap } from '../stream-cap.js';
import type { BoardFeed } from './feed.js';

const template = readPage(import.meta.dirname, 'page.html');

export interface BoardRoutesOptions {
  /** The board feed of a site (made on first use: one queue event tail per site on the air). */
  feed: (site: Site) => BoardFeed;
  sites: Sites;
  translator: Translator;
  /** Per-IP limit on the page and `/board/state`: each builds a snapshot from several Redis reads. */
  limiter: express.RequestHandler;
  /** Caps open `/board/events` streams per address (a hall has a few TVs, not thousands). */
  streams: StreamCap;
}

/**
 * The public display board for the TV in the waiting hall: `GET /board` (page), `/board/state`
 * (JSON) and `/board/events` (SSE), each of one site: `?site=<id>`, the main site without it.
 * `?lang=en` switches the language. No personal data anywhere.
 */
export function boardRoutes({ feed, sites, translator, limiter, streams }: BoardRoutesOptions): Router {
  const router = Router();
  router.use('/board/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  router.get('/board', limiter, async (req, res) => {
    const locale = pageLanguage(req);
    let site: Site;
    try {
      site = siteOf(req, sites);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      res.status(404).set('Cache-Control', 'no-store').type('html').send(unknownSitePage(translator, locale, sites, '/board'));
      return;
    }
    const state = await feed(site).state(locale);
    // The voice speaks the board's language when the TV has a voice for it, else Indonesian.
    const voice = { id: localeTree(translator, 'id', 'board.js.voice'), [locale]: localeTree(translator, locale, 'board.js.voice') };
    const data = jsonForScript({ lang: locale, ...(site === sites.main ? {} : { site: site.id }), state, texts: localeTree(translator, locale, 'board.js'), kinds: localeTree(translator, locale, 'incident.kinds'), voice });
    res.set('Cache-Control', 'no-store');
    res.type('html').send(fillPage(template, translator, locale, { mpp: site.mpp.name }, { data }));
  });

  router.get('/board/state', limiter, async (req, res) => {
    const site = siteOf(req, sites);
    res.set('Cache-Control', 'no-store');
    res.json(await feed(site).state(pageLanguage(req)));
  });

  router.get('/board/events', async (req, res) => {
    const site = siteOf(req, sites);
    const release = streams.admit(req.ip ?? 'unknown');
    if (!release) throw new AppError('rate_limited', 'Too many open board streams from this address.');
    res.on('close', release);
    await feed(site).open(res, pageLanguage(req));
  });
  return router;
}
