import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import type { Translator } from '../../i18n.js';
import { defaultLocale } from '../../message.js';
import { KeyedQueue } from '../../engine/keyed-queue.js';
import { pseudonym } from '../../logger.js';
import type { WaMessageLike } from './client.js';
import { renderTurn, replyHint } from './render.js';
import type { SeenStore } from './seen.js';

/** The channel name the engine and the notifier registry know whatsapp-web.js by. */
export const WHATSAPP_WEB = 'whatsapp-web';

/** A person's chat: `628…@c.us`, or `…@lid` for LID-addressed users. Groups, broadcasts, channels are not. */
const PERSON_CHAT = /^[^@\s]+@(c\.us|lid)$/;

/**
 * What a person sends instead of text, answered with "please type". Other types (reactions,
 * revoked messages, call logs, security-code and group notices, `ciphertext` placeholders) are
 * events rather than messages and get no answer at all.
 */
const NON_TEXT = new Set(['audio', 'ptt', 'image', 'album', 'video', 'document', 'sticker', 'location', 'vcard', 'multi_vcard', 'poll_creation', 'groups_v4_invite', 'list_response', 'buttons_response', 'product', 'order', 'scheduled_event_creation']);

/** Whether a message is a citizen writing to us in a one-to-one chat. */
export function fromCitizen(message: WaMessageLike): boolean {
  return !message.fromMe && !message.isStatus && PERSON_CHAT.test(message.from);
}

export interface InboundOptions {
  engine: Engine;
  translator: Translator;
  seen: SeenStore;
  /** Sends one text to a chat id (paced, through the live client). */
  send: (chatId: string, text: string) => Promise<void>;
  logger: Logger;
  /** The site of this WhatsApp number (WHATSAPP_SITE), for citizens who chose none. */
  siteHint?: string;
}

/**
 * Turns WhatsApp messages into engine turns and replies. One citizen's messages run strictly in
 * arrival order (dedupe, engine, reply), so a quick "1" after a question is answered after it.
 */
export class InboundHandler {
  private readonly queue = new KeyedQueue();

  constructor(private readonly opts: InboundOptions) {}

  /** Never rejects: a failure is logged and the citizen's next message starts fresh. */
  handle(message: WaMessageLike): Promise<void> {
    if (!fromCitizen(message) || (message.type !== 'chat' && !NON_TEXT.has(message.type))) return Promise.resolve();
    return this.queue.run(message.from, () => this.reply(message)).catch((err: unknown) => {
      this.opts.logger.error({ err, chat: pseudonym(message.from) }, 'whatsapp-web message failed');
    });
  }

  /** Messages still being handled (for a graceful stop). */
  get pending(): number {
    return this.queue.size;
  }

  private async reply(message: WaMessageLike): Promise<void> {
    const { engine, translator, seen } = this.opts;
    if (!(await seen.firstDelivery(message.id._serialized))) return;
    if (message.type !== 'chat') {
      // Voice notes, photos, stickers, locations: the engine reads text only; answer without a turn.
      const locale = (await seen.lastLocale(message.from)) ?? defaultLocale;
      await seen.markSeen(message.from, locale);
      await this.opts.send(message.from, translator.t(locale, 'whatsapp.please_type'));
      return;
    }
    const result = await engine.handle({ channel: WHATSAPP_WEB, userKey: message.from, text: message.body, ...(this.opts.siteHint ? { siteHint: this.opts.siteHint } : {}) });
    await seen.markSeen(message.from, result.locale);
    if (result.messages.length === 0) return;
    await this.opts.send(message.from, renderTurn(result.messages, replyHint(translator, result.locale)));
  }
}
