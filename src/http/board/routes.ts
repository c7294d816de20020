import path from 'node:path';
import express, { Router } from 'express';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import { fillPage, jsonForScript, localeTree, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { StreamCap } from '../stream-cap.js';
import type { BoardFeed } from './feed.js';

const template = readPage(import.meta.dirname, 'page.html');

export interface BoardRoutesOptions {
  feed: BoardFeed;
  translator: Translator;
  catalogue: Catalogue;
  /** Per-IP limit on the page and `/board/state`: each builds a snapshot from several Redis reads. */
  limiter: express.RequestHandler;
  /** Caps open `/board/events` streams per address (a hall has a few TVs, not thousands). */
  streams: StreamCap;
}

/**
 * The public display board for the TV in the waiting hall: `GET /board` (page), `/board/state`
 * (JSON) and `/board/events` (SSE). `?lang=en` switches the language. No personal data anywhere.
 */
export function boardRoutes({ feed, translator, catalogue, limiter, streams }: BoardRoutesOptions): Router {
  const router = Router();
  router.use('/board/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  router.get('/board', limiter, async (req, res) => {
    const locale = pageLanguage(req);
    const state = await feed.state(locale);
    // The voice speaks the board's language when the TV has a voice for it, else Indonesian.
    const voice = { id: localeTree(translator, 'id', 'board.js.voice'), [locale]: localeTree(translator, locale, 'board.js.voice') };
    const data = jsonForScript({ lang: locale, state, texts: localeTree(translator, locale, 'board.js'), kinds: localeTree(translator, locale, 'incident.kinds'), voice });
    res.set('Cache-Control', 'no-store');
    res.type('html').send(fillPage(template, translator, locale, { mpp: catalogue.mpp.name }, { data }));
  });

  router.get('/board/state', limiter, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await feed.state(pageLanguage(req)));
  });

  router.get('/board/events', async (req, res) => {
    const release = streams.admit(req.ip ?? 'unknown');
    if (!release) throw new AppError('rate_limited', 'Too many open board streams from this address.');
    res.on('close', release);
    await feed.open(res, pageLanguage(req));
  });
  return router;
}
