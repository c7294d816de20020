import type { Translator } from '../../i18n.js';
import type { OutgoingMessage } from '../../message.js';
import { ChannelUnavailableError, PermanentDeliveryError, type ChannelNotifier } from '../../reminders/notifier.js';
import { WHATSAPP_WEB } from './inbound.js';
import { renderTurn, replyHint } from './render.js';
import type { SeenStore } from './seen.js';

export interface WebNotifierOptions {
  /** Whether the linked session can send now. */
  ready: () => boolean;
  /** Sends through the live client and the shared pacer; rejects when the session is gone. */
  send: (chatId: string, text: string) => Promise<void>;
  seen: SeenStore;
  translator: Translator;
  ratePerMinute: number;
}

/**
 * Reminders over the linked number. While the session is down the outbox holds them
 * (ChannelUnavailableError), and the number only ever writes to people who wrote to it first:
 * messaging strangers is what gets unofficial numbers banned.
 */
export function whatsAppWebNotifier(opts: WebNotifierOptions): ChannelNotifier {
  return {
    channel: WHATSAPP_WEB,
    rate: { max: opts.ratePerMinute, durationMs: 60_000 },
    isReady: opts.ready,
    async send(to: string, message: OutgoingMessage): Promise<void> {
      if (!opts.ready()) throw new ChannelUnavailableError('whatsapp-web session is not ready');
      const locale = await opts.seen.lastLocale(to);
      if (!locale) throw new PermanentDeliveryError('this citizen never wrote to the WhatsApp number (or not within 30 days)');
      try {
        await opts.send(to, renderTurn([message], replyHint(opts.translator, locale)));
      } catch (err) {
        // A send that failed because the session dropped meanwhile is held, not retried blindly.
        if (!opts.ready()) throw new ChannelUnavailableError('whatsapp-web session dropped while sending', { cause: err });
        throw err;
      }
    },
  };
}
