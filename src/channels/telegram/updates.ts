import { Composer, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Engine } from '../../engine/engine.js';
import { claimTicket, type TicketClaimPort } from '../ticket-claim.js';
import type { Translator } from '../../i18n.js';
import type { IncomingMessage, Locale } from '../../message.js';
import { addressedText, showsPersonal, withoutPersonalButtons } from './group.js';
import { TELEGRAM } from './notifier.js';
import { sendMessages } from './send.js';

export interface UpdatesOptions {
  engine: Engine;
  translator: Translator;
  claims?: TicketClaimPort;
}

/** Messages we cannot read: answered with a request to type, the engine is not asked. */
const NON_TEXT = [
  'message:photo',
  'message:sticker',
  'message:voice',
  'message:video',
  'message:video_note',
  'message:audio',
  'message:document',
  'message:animation',
  'message:location',
  'message:venue',
  'message:contact',
  'message:poll',
  'message:dice',
] as const;

/**
 * What the bot does with each update: private chats talk to the engine (userKey = chat id);
 * groups get answers only when addressed, under their own userKey `g<chatId>`, and never a ticket
 * or an appointment.
 */
export function telegramUpdates({ engine, translator, claims }: UpdatesOptions): Composer<Context> {
  const { personal } = engine;
  const composer = new Composer<Context>();

  const converse = async (ctx: Context, chatId: number, input: Pick<IncomingMessage, 'text' | 'choice' | 'siteHint'>, group: boolean) => {
    const userKey = group ? `g${chatId}` : String(chatId);
    const localeHint = ctx.from?.language_code;
    const result = await engine.handle({ channel: TELEGRAM, userKey, localeHint, ...input });
    if (!group) return sendMessages(ctx.api, chatId, result.messages);
    if (showsPersonal(result.messages, personal)) {
      // Reached a ticket or booking flow by a number or a label: leave it before anything is taken.
      await engine.handle({ channel: TELEGRAM, userKey, localeHint, text: '/menu' });
      return privateOnly(ctx, chatId);
    }
    return sendMessages(ctx.api, chatId, withoutPersonalButtons(result.messages, personal));
  };

  const privateOnly = (ctx: Context, chatId: number) => {
    const text = translator.t(replyLocale(ctx.from?.language_code), 'telegram.group_private', { link: `https://t.me/${ctx.me.username}` });
    return sendMessages(ctx.api, chatId, [{ text }]);
  };

  composer.on('callback_query:data', async (ctx) => {
    // Answer first, or the citizen's button keeps spinning while the engine works.
    await ctx.answerCallbackQuery();
    const chat = ctx.chat;
    const choice = ctx.callbackQuery.data;
    if (chat?.type === 'private') return converse(ctx, chat.id, { choice }, false);
    if (chat?.type === 'group' || chat?.type === 'supergroup') {
      return personal.isPersonalChoice(choice) ? privateOnly(ctx, chat.id) : converse(ctx, chat.id, { choice }, true);
    }
  });
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  const privateChats = composer.chatType('private');
  privateChats.on('message:text', async (ctx) => {
    // t.me/<bot>?start=site-<id> (a site's poster or QR): the MPP the citizen came from, used only
    // while they have not chosen one; the engine ignores an unknown id.
    const siteHint = siteStartHint(ctx.message.text);
    if (siteHint) return converse(ctx, ctx.chat.id, { text: '/start', siteHint }, false);
    // t.me/<bot>?start=<token> from a kiosk ticket's tracking page: attach the ticket, then the menu.
    const token = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{22})$/.exec(ctx.message.text.trim())?.[1];
    if (token && claims) await sendMessages(ctx.api, ctx.chat.id, [{ text: await claimTicket(claims, translator, token, TELEGRAM, String(ctx.chat.id), replyLocale(ctx.from.language_code)) }]);
    return converse(ctx, ctx.chat.id, { text: commandOrText(ctx.message) }, false);
  });
  privateChats.on([...NON_TEXT], (ctx) => sendMessages(ctx.api, ctx.chat.id, [{ text: translator.t(replyLocale(ctx.from.language_code), 'telegram.text_only') }]));

  composer.chatType(['group', 'supergroup']).on('message:text', async (ctx) => {
    const text = addressedText(ctx.message, ctx.me);
    if (text === undefined) return;
    if (personal.isPersonalWord(text)) return privateOnly(ctx, ctx.chat.id);
    return converse(ctx, ctx.chat.id, { text }, true);
  });
  return composer;
}

/** `/start site-kec-utara` or `/start site_kec-utara` (deep-link payloads allow letters, digits, `_` and `-`). */
const SITE_START = /^\/start(?:@\w+)?\s+site[-_]([a-z0-9][a-z0-9-]{0,39})$/;

/** The site id of a `t.me/<bot>?start=site-<id>` deep link, unchecked (the engine ignores an unknown one). */
export function siteStartHint(text: string): string | undefined {
  return SITE_START.exec(text.trim())?.[1];
}

/** `/start@bot payload` reaches the engine as `/start`; other text as typed. */
function commandOrText(message: Message.TextMessage): string {
  const first = message.entities?.[0];
  if (first?.type === 'bot_command' && first.offset === 0) return message.text.slice(0, first.length).split('@')[0]!.toLowerCase();
  return message.text;
}

/** Language of the channel's own short replies, read from Telegram's language_code as the engine does. */
export function replyLocale(languageCode: string | undefined): Locale {
  const base = languageCode?.toLowerCase().split(/[-_]/)[0];
  return !base || base === 'id' || base === 'in' || base === 'ms' ? 'id' : 'en';
}
