import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { BotError, webhookCallback, type Bot, type Context } from 'grammy';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../../errors.js';

/** Where Telegram posts updates in webhook mode (TELEGRAM_WEBHOOK_URL should end with it). */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Header Telegram sends with the secret_token given to setWebhook. */
export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
/** grammY's default: past it the update keeps running and Telegram gets its answer. */
const WEBHOOK_TIMEOUT_MS = 10_000;

const updateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface WebhookOptions {
  bot: Bot<Context>;
  secret: string;
  /** The channel's one error handler (also bot.catch). */
  onError: (err: BotError<Context>) => void;
  logger: Logger;
}

/**
 * `POST /webhooks/telegram`: the secret header is checked before the body is read, the update is
 * handled, then answered. A handler error was already logged and the update is marked as seen, so
 * Telegram still gets 200; only a failure before that (Redis down) asks it to deliver again.
 */
export function webhookRoutes({ bot, secret, onError, logger }: WebhookOptions): Router {
  const router = Router();
  const handle = webhookCallback(bot, 'express', { secretToken: secret, onTimeout: 'throw', timeoutMilliseconds: WEBHOOK_TIMEOUT_MS });
  // An update is a few KB even with a 4,096-character text and the message it replies to.
  router.post(TELEGRAM_WEBHOOK_PATH, requireSecret(secret), express.json({ limit: '256kb' }), async (req, res) => {
    if (!updateShape.safeParse(req.body).success) throw new AppError('bad_request', 'The body is not a Telegram update.');
    try {
      await handle(req, res);
    } catch (err) {
      if (err instanceof BotError) {
        onError(err as BotError<Context>);
        throw new AppError('unavailable', 'The update could not be handled now; deliver it again later.');
      }
      logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'telegram webhook update still running after the timeout');
      if (!res.headersSent) res.end();
    }
  });
  return router;
}

/** 401 unless the header matches, compared in constant time (digests make the lengths equal). */
function requireSecret(secret: string): RequestHandler {
  const expected = createHash('sha256').update(secret).digest();
  return (req, _res, next) => {
    const given = createHash('sha256')
      .update(req.get(SECRET_HEADER) ?? '')
      .digest();
    if (!timingSafeEqual(given, expected)) throw new AppError('unauthorized', `Wrong or missing ${SECRET_HEADER} header.`);
    next();
  };
}
