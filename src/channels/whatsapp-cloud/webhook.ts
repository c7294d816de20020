import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { CloudInbound } from './inbound.js';
import { extract, webhookBody } from './payload.js';
import { sameSecret, validSignature } from './signature.js';

export const WEBHOOK_PATH = '/webhooks/whatsapp';

export interface WebhookOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  inbound: CloudInbound;
  logger: Logger;
}

/**
 * `GET /webhooks/whatsapp`: Meta's subscription handshake. `POST`: signed deliveries; the
 * signature is checked on the raw bytes before anything is parsed, the 200 goes out at once
 * (Meta retries slow answers), and messages are answered afterwards.
 */
export function webhookRoutes(opts: WebhookOptions): Router {
  const router = Router();
  router.get(WEBHOOK_PATH, (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && sameSecret(token, opts.verifyToken) && typeof challenge === 'string' && challenge.length <= 200) {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    res.status(403).type('text/plain').send('Forbidden');
  });

  router.post(WEBHOOK_PATH, express.raw({ type: '*/*', limit: '256kb' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!validSignature(raw, req.get('x-hub-signature-256'), opts.appSecret)) {
      opts.logger.warn('whatsapp-cloud webhook with a missing or wrong signature refused');
      res.status(403).type('text/plain').send('Forbidden');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).type('text/plain').send('Bad Request');
      return;
    }
    const parsed = webhookBody.safeParse(json);
    // Signed but not a shape we know (a new webhook field): accept, or Meta retries it for days.
    res.status(200).type('text/plain').send('OK');
    if (!parsed.success || parsed.data.object !== 'whatsapp_business_account') {
      opts.logger.info('whatsapp-cloud webhook of an unknown shape ignored');
      return;
    }
    const { messages, statuses, skipped } = extract(parsed.data, opts.phoneNumberId);
    if (skipped > 0) opts.logger.debug({ skipped }, 'whatsapp-cloud webhook items skipped');
    for (const status of statuses) opts.inbound.status(status);
    for (const message of messages) void opts.inbound.handle(message);
  });
  return router;
}
