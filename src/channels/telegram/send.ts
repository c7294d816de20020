import type { Api } from 'grammy';
import type { OutgoingMessage } from '../../message.js';
import { renderMessage } from './render.js';

/** Sends engine messages to one chat, in order, each split and escaped by renderMessage. */
export async function sendMessages(api: Api, chatId: number | string, messages: readonly OutgoingMessage[]): Promise<void> {
  for (const message of messages) {
    for (const piece of renderMessage(message)) {
      await api.sendMessage(chatId, piece.html, {
        parse_mode: 'HTML',
        // Addresses and map links would otherwise unfold into large previews.
        link_preview_options: { is_disabled: true },
        ...(piece.keyboard ? { reply_markup: piece.keyboard } : {}),
      });
    }
  }
}
