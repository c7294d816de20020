import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Engine } from '../../engine/engine.js';
import { locales, type OutgoingMessage } from '../../message.js';
import type { Translator } from '../../i18n.js';
import { AppError } from '../../errors.js';
import type { PushHub } from './push-hub.js';
import { pageLocale } from '../../pages/html-page.js';
import { renderPage } from './page.js';
import { addressScope } from './origin.js';
import { claimTicket, type TicketClaimPort } from '../ticket-claim.js';
import type { SessionIds } from './session-id.js';

/** The channel name the engine and the notifier registry know web chat by. */
export const WEBCHAT = 'webchat';
/** What opening the page says to the engine when no notice is waiting: the main menu. */
const OPENING_TEXT = 'menu';

const messageBody = z.object({
  sessionId: z.string().max(200, 'sessionId is too long').optional(),
  text: z.string().max(20_000, 'text must be at most 20000 characters').optional(),
  choice: z.string().max(200, 'choice is too long').optional(),
  locale: z.enum(locales).optional(),
  /** The page just opened: notices kept while it was closed win over a fresh menu. */
  open: z.boolean().optional(),
  /**
   * A tracking page's one-time claim token (`/?claim=`): the kiosk ticket becomes this session's.
   * A mangled one is answered like a spent one, in words, and the conversation still opens.
   */
  claim: z.string().max(100, 'claim is too long').optional(),
  /** The MPP site the page was opened for (`/?site=`); an unknown one is ignored, never an error. */
  site: z.string().max(60, 'site is too long').optional(),
});

export interface WebchatOptions {
  engine: Engine;
  translator: Translator;
  ids: SessionIds;
  hub: PushHub;
  /** Applied before the message handler (per-IP limit). */
  limiter: express.RequestHandler;
  /** Seconds between SSE keep-alive comments (proxies drop idle streams). */
  keepAliveSeconds?: number;
  /**
   * Remembers the network a web chat citizen writes from (a pseudonym of its IPv4 address or IPv6
   * /64), which the queue's take script counts tickets against: a session is free, an address is not.
   */
  origins: { note(userKey: string, origin: string): Promise<void> };
  /** Redeems a tracking page's claim token for this session (kiosk ticket -> reminders here). */
  claims?: TicketClaimPort;
  /** Caps open event streams per address and per session; `admit` answers a release, or undefined when full. */
  streams: { admit(address: string, session?: string): (() => void) | undefined };
  /**
   * The site whose web chat this is (WEBCHAT_SITE; default the main site): a citizen who came
   * without `/?site=` and never chose an MPP is there. Undefined: the chat asks "di MPP mana?".
   */
  homeSite?: string;
}

/** Web chat: the page at `/`, `POST /api/webchat/messages`, and the SSE stream for pushes. */
export function webchatRoutes(opts: WebchatOptions): Router {
  const router = Router();
  router.get(['/', '/index.html'], (req, res) => {
    res.type('html').send(renderPage(opts.translator, pageLocale(req.get('accept-language'))));
  });
  router.use(express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  router.post('/api/webchat/messages', opts.limiter, express.json({ limit: '100kb', strict: true }), async (req, res) => {
    const parsed = messageBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const { choice, locale, open, claim, site } = parsed.data;
    let sessionId = parsed.data.sessionId;
    let key: string | undefined;
    if (sessionId === undefined) {
      sessionId = opts.ids.issue();
      key = opts.ids.verify(sessionId);
    } else {
      key = opts.ids.verify(sessionId);
      if (!key) throw new AppError('unknown_session', 'Unknown or invalid sessionId: start a new conversation without one.');
    }
    // Not recorded (Redis away): the conversation still answers, and a take without a recorded
    // address counts against one shared "unknown" address, so the cap fails closed.
    await opts.origins.note(key!, opts.ids.pseudonym(addressScope(req.ip ?? 'unknown'))).catch(() => undefined);
    // Said first, then the conversation goes on as it would (the menu, or kept notices).
    const claimed = claim && opts.claims ? [{ text: await claimTicket(opts.claims, opts.translator, claim, WEBCHAT, key!, locale ?? 'id') }] : [];
    if (open) {
      // A survey or reminder pushed while the tab was closed put the conversation in its state;
      // a "menu" now would make its buttons stale. Show the kept notices instead.
      const pending = await opts.hub.takePending(key!);
      if (pending.length > 0) {
        res.json({ sessionId, messages: [...claimed, ...pending.map(publicMessage)] });
        return;
      }
    }
    const text = open && parsed.data.text === undefined && choice === undefined ? OPENING_TEXT : parsed.data.text;
    const siteHint = site ?? opts.homeSite;
    const result = await opts.engine.handle({ channel: WEBCHAT, userKey: key!, text, choice, localeHint: locale, ...(siteHint ? { siteHint } : {}) });
    const messages = [...claimed, ...result.messages.map(publicMessage)];
    if (result.limited) {
      res.status(429).json({ sessionId, messages, error: { code: 'rate_limited', message: opts.translator.t(result.locale, 'errors.rate_limited') } });
      return;
    }
    res.json({ sessionId, messages });
  });

  router.get('/api/webchat/events', async (req, res) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const key = opts.ids.verify(sessionId);
    if (!key) throw new AppError('unknown_session', 'Unknown or invalid sessionId.');
    const release = opts.streams.admit(req.ip ?? 'unknown', key);
    if (!release) throw new AppError('rate_limited', 'Too many open event streams from this address or for this session; close another tab first.');
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    // Before any await: a page that goes away while we subscribe must still free all of this.
    let closed = false;
    const send = (message: OutgoingMessage) => !closed && res.write(`event: message\ndata: ${JSON.stringify(publicMessage(message))}\n\n`);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), (opts.keepAliveSeconds ?? 25) * 1000);
    const subscription = opts.hub.listen(key, send);
    res.on('close', () => {
      closed = true;
      clearInterval(keepAlive);
      release();
      // Unsubscribes once subscribed, however late that is; a failed subscribe has nothing to undo.
      subscription.then((stop) => stop()).catch(() => undefined);
    });
    await subscription;
    if (closed) return;
    // Only now, subscribed: a push right after "connected" reaches this page.
    res.write(': connected\n\n');
    for (const message of await opts.hub.takePending(key)) send(message);
  });
  return router;
}

/** What the page gets: text and choices (cards are already rendered into the text). */
function publicMessage(message: OutgoingMessage): { text: string; choices?: Array<{ id: string; label: string }> } {
  return { text: message.text, ...(message.choices?.length ? { choices: message.choices.map((c) => ({ id: c.id, label: c.label })) } : {}) };
}
