import type { Api } from 'grammy';
import type { BotCommand, BotCommandScope } from 'grammy/types';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';

/** The commands in Telegram's menu; the engine reads each as a global word. */
export const COMMANDS = ['start', 'menu', 'antrean', 'status', 'batal', 'bahasa', 'bantuan'] as const;
/** Commands about one's own ticket: not offered in groups, where tickets are never shown. */
const PRIVATE_ONLY = new Set<string>(['antrean', 'status', 'batal']);

/**
 * Registers the command menu per language (Indonesian by default, English for language_code en)
 * and a shorter one for groups. Throws when the Bot API server refuses (an emulator, an old
 * local server): the caller logs it, as the bot works without a command menu.
 */
export async function registerCommands(api: Api, translator: Translator): Promise<void> {
  const list = (locale: Locale, group: boolean): BotCommand[] =>
    COMMANDS.filter((c) => !group || !PRIVATE_ONLY.has(c)).map((command) => ({ command, description: translator.t(locale, `telegram.commands.${command}`) }));
  const groups: BotCommandScope = { type: 'all_group_chats' };
  await api.setMyCommands(list('id', false));
  await api.setMyCommands(list('en', false), { language_code: 'en' });
  await api.setMyCommands(list('id', true), { scope: groups });
  await api.setMyCommands(list('en', true), { scope: groups, language_code: 'en' });
}
