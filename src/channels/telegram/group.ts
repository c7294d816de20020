import type { Message, UserFromGetMe } from 'grammy/types';
import type { OutgoingMessage } from '../../message.js';

/**
 * What is personal (tickets, bookings), as the engine derives it from `personal: true` in flows/:
 * a group never sees it.
 */
export interface Personal {
  /** Leads into or belongs to a personal flow: the button is hidden, the press refused. */
  isPersonalChoice(id: string): boolean;
  /** Only a personal flow offers it: an answer showing it is walking that flow. */
  isInsidePersonalFlow(id: string): boolean;
  /** A global word that leads into a personal flow ("antrean saya"). */
  isPersonalWord(text: string): boolean;
}

/** Whether a turn's answer shows a ticket or walks a ticket or booking flow: never in a group. */
export function showsPersonal(messages: readonly OutgoingMessage[], personal: Personal): boolean {
  return messages.some((m) => m.card?.kind === 'ticket' || (m.choices ?? []).some((c) => personal.isInsidePersonalFlow(c.id)));
}

/** The answer without buttons that lead into a ticket or booking flow. */
export function withoutPersonalButtons(messages: readonly OutgoingMessage[], personal: Personal): OutgoingMessage[] {
  return messages.map((m) => (m.choices ? { ...m, choices: m.choices.filter((c) => !personal.isPersonalChoice(c.id)) } : m));
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
