import type { Message, UserFromGetMe } from 'grammy/types';
import { cleanText } from '../../catalogue/normalise.js';
import type { Translator } from '../../i18n.js';
import { locales, type OutgoingMessage } from '../../message.js';

/**
 * Tickets and appointments are personal, so a group never sees one. These are the choice ids of
 * flows/tickets.yaml, appointments.yaml, reminders.yaml and incidents.yaml (a test binds them):
 * the entry points offered on the menu and the service card are hidden in groups; the rest only
 * appear inside those flows.
 */
export const PERSONAL_ENTRY_CHOICES: ReadonlySet<string> = new Set(['take', 'status', 'book', 'bookings']);
export const PERSONAL_FLOW_CHOICES: ReadonlySet<string> = new Set([
  'confirm',
  'confirm-priority',
  'ready',
  'missing',
  'all-ready',
  'issue',
  'refresh',
  'cancel-ticket',
  'yes',
  'no',
  'on-my-way',
  'late',
  'other-day',
  'mine',
  'check-in',
  'change',
  'cancel',
  'keep',
  'move',
]);
/** Ids the ticket and booking actions make up (src/engine/actions): d.<day>, t.<time>, b.<booking>, x.<ticket>. */
const PERSONAL_ID = /^[dtbx]\./;

function isFlowChoice(id: string): boolean {
  return PERSONAL_FLOW_CHOICES.has(id) || PERSONAL_ID.test(id);
}

export function isPersonalChoice(id: string): boolean {
  return PERSONAL_ENTRY_CHOICES.has(id) || isFlowChoice(id);
}

/** The engine's global words for tickets (/antrean, "antrean saya", /batal ...), in every locale. */
export function ticketWords(translator: Translator): (text: string) => boolean {
  const words = new Set<string>();
  for (const locale of locales) {
    for (const key of ['keywords.take_ticket', 'keywords.ticket_status', 'keywords.cancel_ticket']) {
      for (const phrase of translator.list(locale, key)) words.add(wordKey(phrase));
    }
  }
  return (text) => words.has(wordKey(text));
}

/** As the engine compares global words: commands by name (without @bot), the rest normalised. */
function wordKey(text: string): string {
  const command = /^\/([a-z_]+)(@\w+)?$/i.exec(text.trim());
  return command ? `/${command[1]!.toLowerCase()}` : cleanText(text);
}

/** Whether a turn's answer shows a ticket or walks a ticket or booking flow: never in a group. */
export function showsPersonal(messages: readonly OutgoingMessage[]): boolean {
  return messages.some((m) => m.card?.kind === 'ticket' || (m.choices ?? []).some((c) => isFlowChoice(c.id)));
}

/** The answer without buttons that lead into a ticket or booking flow. */
export function withoutPersonalButtons(messages: readonly OutgoingMessage[]): OutgoingMessage[] {
  return messages.map((m) => (m.choices ? { ...m, choices: m.choices.filter((c) => !isPersonalChoice(c.id)) } : m));
}

/**
 * What a group message asks of the bot, or undefined when it is not addressed to it. Groups get
 * answers only to commands (`/cmd` or `/cmd@thisbot`, arguments dropped) and to messages that
 * mention the bot (the mention is removed; a bare mention opens the menu).
 */
export function addressedText(message: Pick<Message.TextMessage, 'text' | 'entities'>, me: UserFromGetMe): string | undefined {
  const { text } = message;
  const entities = message.entities ?? [];
  const username = me.username.toLowerCase();
  const first = entities[0];
  if (first?.type === 'bot_command' && first.offset === 0) {
    const [name, target] = text.slice(0, first.length).split('@') as [string, string | undefined];
    if (target !== undefined && target.toLowerCase() !== username) return undefined;
    return name.toLowerCase();
  }
  const mentions = entities.filter(
    (e) => (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === '@' + username) || (e.type === 'text_mention' && e.user.id === me.id),
  );
  if (mentions.length === 0) return undefined;
  let rest = text;
  for (const e of [...mentions].sort((a, b) => b.offset - a.offset)) rest = rest.slice(0, e.offset) + ' ' + rest.slice(e.offset + e.length);
  rest = rest.replace(/\s+/g, ' ').trim().replace(/^[,:]\s*/, '');
  return rest === '' ? '/menu' : rest;
}
