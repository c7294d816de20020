import type { Router } from 'express';
import type { ChannelContext } from '../context.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { ChannelNotifier } from '../../reminders/notifier.js';
import { GraphApi } from './graph-api.js';
import { CloudInbound } from './inbound.js';
import { whatsAppCloudNotifier } from './notifier.js';
import { CloudStore } from './store.js';
import { webhookRoutes } from './webhook.js';

export { WHATSAPP_CLOUD } from './inbound.js';
export { WEBHOOK_PATH } from './webhook.js';
export { GraphApiError } from './graph-api.js';

export type WhatsAppCloudConfig = Pick<
  Config,
  | 'WHATSAPP_SITE'
  | 'WHATSAPP_CLOUD_ACCESS_TOKEN'
  | 'WHATSAPP_CLOUD_PHONE_NUMBER_ID'
  | 'WHATSAPP_CLOUD_APP_SECRET'
  | 'WHATSAPP_CLOUD_VERIFY_TOKEN'
  | 'WHATSAPP_CLOUD_API_BASE'
  | 'WHATSAPP_CLOUD_TEMPLATE'
  | 'WHATSAPP_CLOUD_TEMPLATE_LANG'
>;

/** Whether the Cloud API channel is configured (config.ts refuses a partial set). */
export function whatsAppCloudEnabled(config: WhatsAppCloudConfig): boolean {
  return config.WHATSAPP_CLOUD_ACCESS_TOKEN !== undefined;
}

export interface WhatsAppCloudOptions extends ChannelContext {
  config: WhatsAppCloudConfig;
  clock: Clock;
  /** Default: global fetch. */
  fetch?: typeof fetch;
}

export interface WhatsAppCloudChannel {
  /** `GET` and `POST /webhooks/whatsapp`. */
  router: Router;
  notifier: ChannelNotifier;
}

/** The official WhatsApp Business Cloud API channel: signed webhook in, Graph API out. */
export function createWhatsAppCloudChannel(opts: WhatsAppCloudOptions): WhatsAppCloudChannel {
  const { config } = opts;
  const token = config.WHATSAPP_CLOUD_ACCESS_TOKEN;
  const phoneNumberId = config.WHATSAPP_CLOUD_PHONE_NUMBER_ID;
  const appSecret = config.WHATSAPP_CLOUD_APP_SECRET;
  const verifyToken = config.WHATSAPP_CLOUD_VERIFY_TOKEN;
  if (!token || !phoneNumberId || !appSecret || !verifyToken) throw new Error('WhatsApp Cloud API channel created without its four variables');
  const store = new CloudStore(opts.redis, opts.prefix);
  const api = new GraphApi({ base: config.WHATSAPP_CLOUD_API_BASE, phoneNumberId, token, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const inbound = new CloudInbound({ engine: opts.engine, translator: opts.translator, store, api, clock: opts.clock, logger: opts.logger, ...(opts.config.WHATSAPP_SITE ? { siteHint: opts.config.WHATSAPP_SITE } : {}) });
  const notifier = whatsAppCloudNotifier({
    api,
    store,
    translator: opts.translator,
    clock: opts.clock,
    ...(config.WHATSAPP_CLOUD_TEMPLATE ? { template: { name: config.WHATSAPP_CLOUD_TEMPLATE, language: config.WHATSAPP_CLOUD_TEMPLATE_LANG } } : {}),
  });
  return { router: webhookRoutes({ appSecret, verifyToken, phoneNumberId, inbound, logger: opts.logger }), notifier };
}
