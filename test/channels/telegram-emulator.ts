import { setTimeout as sleep } from 'node:timers/promises';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../src/redis/local-server.js';
import { startTestApp, type TestApp } from '../helpers.js';

/**
 * The real app polling telegram-test-api, a Bot API emulator, with grammY; a citizen client talks
 * through it. Emulator quirks the bot copes with: setMyCommands is unknown to it (a warning, the
 * bot goes on), getUpdates ignores `timeout` and answers at once, dates are in milliseconds,
 * getMe has no is_bot.
 */
export interface TelegramEmulator {
  server: TelegramServer;
  app: TestApp;
}

/** Starts the emulator and the app before the file's tests (`env` added to the app's), stops both after. */
export function useTelegramEmulator(token: string, env: Record<string, string> = {}, started?: (app: TestApp) => Promise<void>): TelegramEmulator {
  const emulator = {} as TelegramEmulator;
  beforeAll(async () => {
    emulator.server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
    await emulator.server.start();
    emulator.app = await startTestApp({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.server.config.apiURL, SURVEY_DELAY_MINUTES: '0', ...env });
    // The emulator answers getUpdates at once: pace the poller so it does not spin a core.
    emulator.app.telegram!.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === 'getUpdates') await sleep(20);
      return prev(method, payload, signal);
    });
    await emulator.app.telegram!.start();
    await started?.(emulator.app);
  });
  afterAll(async () => {
    await emulator.app?.close();
    await emulator.server?.stop();
  });
  return emulator;
}

export interface BotMessage {
  text: string;
  chat_id: number | string;
  parse_mode?: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** The bot's messages to this client until one matches (and, for a turn, its keyboard has arrived). */
export async function replies(client: TelegramClient, until: RegExp, keyboard = true): Promise<BotMessage[]> {
  const got: BotMessage[] = [];
  const deadline = Date.now() + 10_000;
  const done = () => got.some((m) => until.test(m.text)) && (!keyboard || got.at(-1)!.reply_markup !== undefined);
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no reply matching ${String(until)}; got: ${got.map((m) => m.text).join(' | ')}`);
    const res = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: Array<{ message: BotMessage }> };
    got.push(...res.result.map((u) => u.message));
  }
  return got;
}

/** The callback data of the last message's keyboard. */
export const buttons = (messages: BotMessage[]) => messages.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));

/** Every message's text, one per line. */
export const texts = (messages: BotMessage[]) => messages.map((m) => m.text).join('\n');
