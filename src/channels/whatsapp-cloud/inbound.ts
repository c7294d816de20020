import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { Engine } from '../../engine/engine.js';
import type { Translator } from '../../i18n.js';
import { KeyedQueue } from '../../engine/keyed-queue.js';
import { defaultLocale } from '../../message.js';
import { pseudonym } from '../../logger.js';
import { replyHint } from '../whatsapp-web/render.js';
import type { GraphApi } from './graph-api.js';
import { readInbound, type DeliveryStatus, type InboundMessage } from './payload.js';
import { renderTurn, textMessages } from './render.js';
import type { CloudStore } from './store.js';

/** The channel name the engine and the notifier registry know the Cloud API by. */
export const WHATSAPP_CLOUD = 'whatsapp-cloud';

export interface CloudInboundOptions {
  engine: Engine;
  translator: Translator;
  store: CloudStore;
  api: GraphApi;
  clock: Clock;
  logger: Logger;
  /** The site of this WhatsApp number (WHATSAPP_SITE), for citizens who chose none. */
  siteHint?: string;
}

/**
 * Answers webhook messages after the 200 went out. One citizen's messages run in delivery
 * order; a re-delivered message id is answered once, by whichever process sees it first.
 */
export class CloudInbound {
  private readonly queue = new KeyedQueue();

  constructor(private readonly opts: CloudInboundOptions) {}

  /** Never rejects: failures are logged with a pseudonym, never the number or the text. */
  handle(message: InboundMessage): Promise<void> {
    return this.queue.run(message.from, () => this.reply(message)).catch((err: unknown) => {
      this.opts.logger.error({ err, chat: pseudonym(message.from) }, 'whatsapp-cloud message failed');
    });
  }

  /** Delivery reports: failures are logged by Graph error code only. */
  status(status: DeliveryStatus): void {
    if (status.status !== 'failed') return;
    this.opts.logger.warn({ codes: (status.errors ?? []).map((e) => e.code) }, 'whatsapp-cloud message not delivered');
  }

  private async reply(message: InboundMessage): Promise<void> {
    const { engine, translator, store, api, clock } = this.opts;
    if (!(await store.firstDelivery(message.id))) return;
    // The 24-hour window counts from the citizen's message, which may reach us late.
    const now = clock.now().getTime();
    const at = message.timestamp ? Math.min(now, Number(message.timestamp) * 1000) : now;
    const inbound = readInbound(message);
    if ('ignored' in inbound) return;
    if ('unsupported' in inbound) {
      const locale = (await store.lastInbound(message.from))?.locale ?? defaultLocale;
      await store.recordInbound(message.from, { at, locale });
      for (const m of textMessages(translator.t(locale, 'whatsapp.please_type'))) await api.send(message.from, m);
      return;
    }
    const result = await engine.handle({ channel: WHATSAPP_CLOUD, userKey: message.from, ...inbound, ...(this.opts.siteHint ? { siteHint: this.opts.siteHint } : {}) });
    await store.recordInbound(message.from, { at, locale: result.locale });
    const labels = { hint: replyHint(translator, result.locale), listButton: translator.t(result.locale, 'whatsapp.list_button') };
    for (const m of renderTurn(result.messages, labels)) await api.send(message.from, m);
  }
}
