import type { Clock } from '../../clock.js';
import type { Translator } from '../../i18n.js';
import { defaultLocale, type OutgoingMessage } from '../../message.js';
import { ChannelUnavailableError, PermanentDeliveryError, type ChannelNotifier } from '../../reminders/notifier.js';
import { replyHint } from '../whatsapp-web/render.js';
import { GraphApiError, type GraphApi } from './graph-api.js';
import { WHATSAPP_CLOUD } from './inbound.js';
import { renderMessage, templateMessage } from './render.js';
import type { CloudStore } from './store.js';

/**
 * Free-form messages only within 24 hours of the citizen's last message (Meta's customer-service
 * window); a few minutes are kept in hand for the time the outbox takes to send.
 */
const WINDOW_MS = 24 * 3600 * 1000 - 5 * 60 * 1000;

export interface CloudNotifierOptions {
  api: GraphApi;
  store: CloudStore;
  translator: Translator;
  clock: Clock;
  /** Approved template with one body parameter, and its language; unset: no reminders outside the window. */
  template?: { name: string; language: string };
}

/**
 * Reminders over the Cloud API: a normal message inside the 24-hour window, the configured
 * template outside it, and a permanent failure when neither is allowed.
 */
export function whatsAppCloudNotifier(opts: CloudNotifierOptions): ChannelNotifier {
  return {
    channel: WHATSAPP_CLOUD,
    // Meta allows 80 messages/s per number, inbound included; reminders stay well below.
    rate: { max: 20, durationMs: 1000 },
    isReady: () => true,
    async send(to: string, message: OutgoingMessage): Promise<void> {
      const last = await opts.store.lastInbound(to);
      const inWindow = last !== undefined && opts.clock.now().getTime() - last.at < WINDOW_MS;
      const locale = last?.locale ?? defaultLocale;
      const hint = replyHint(opts.translator, locale);
      let messages;
      if (inWindow) messages = renderMessage(message, { hint, listButton: opts.translator.t(locale, 'whatsapp.list_button') });
      else if (opts.template) messages = [templateMessage(opts.template.name, opts.template.language, message, hint)];
      else throw new PermanentDeliveryError('outside the 24-hour window and no WHATSAPP_CLOUD_TEMPLATE is configured');
      try {
        // One try each: the outbox retries with its own backoff.
        for (const m of messages) await opts.api.send(to, m, 1);
      } catch (err) {
        if (!(err instanceof GraphApiError) || err.retryable) throw err;
        if (err.credentials) throw new ChannelUnavailableError('WhatsApp Cloud API credentials refused', { cause: err });
        throw new PermanentDeliveryError(err.message, { cause: err });
      }
    },
  };
}
