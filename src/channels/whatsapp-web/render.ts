import type { Translator } from '../../i18n.js';
import type { Locale, OutgoingMessage } from '../../message.js';

/** The line under a numbered menu, e.g. "Balas dengan angka 1–5." */
export type ReplyHint = (count: number) => string;

export function replyHint(translator: Translator, locale: Locale): ReplyHint {
  return (count) => (count === 1 ? translator.t(locale, 'whatsapp.reply_single') : translator.t(locale, 'whatsapp.reply_range', { max: count }));
}

/**
 * A message as plain WhatsApp text: its text, then its choices numbered. Buttons and lists are not
 * delivered to unofficial clients, and the engine maps a reply of "2" or an option's words back to
 * the choice. Nothing is escaped or added around labels: WhatsApp would read `*x*` as bold.
 */
export function numberedText(message: OutgoingMessage, hint: ReplyHint): string {
  const choices = message.choices ?? [];
  if (choices.length === 0) return message.text;
  const menu = choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
  return `${message.text}\n\n${menu}\n\n${hint(choices.length)}`;
}

/**
 * One turn as one WhatsApp message: fewer, longer messages look less like a bot to WhatsApp and
 * spend less of the send budget. Only the last message's choices are numbered: the engine only
 * accepts the options it offered last.
 */
export function renderTurn(messages: OutgoingMessage[], hint: ReplyHint): string {
  return messages
    .map((m, i) => (i === messages.length - 1 ? numberedText(m, hint) : m.text))
    .filter((text) => text.length > 0)
    .join('\n\n');
}
