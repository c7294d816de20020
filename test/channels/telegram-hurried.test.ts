import { setTimeout as sleep } from 'node:timers/promises';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/local-server.js';
import { startTestApp, type TestApp } from '../helpers.js';

/**
 * A hurried citizen on Telegram (same emulator setup as telegram-e2e.test.ts): chat words instead
 * of buttons, emoji, markup characters and an over-long message. End to end over HTTP against telegram-test-api, a Bot API emulator: the real app polls it with
 * grammY, a citizen client talks through it. Emulator quirks the bot copes with: setMyCommands is
 * unknown to it (a warning, the bot goes on), getUpdates ignores `timeout` and answers at once,
 * dates are in milliseconds, getMe has no is_bot.
 */
const TOKEN = '123456:emulator-token';
const API_TOKEN = 'kiosk-token-0123456789abcdef';
let server: TelegramServer;
let app: TestApp;

beforeAll(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  app = await startTestApp({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL, MPP_API_TOKEN: API_TOKEN, SURVEY_DELAY_MINUTES: '0' });
  // The emulator answers getUpdates at once: pace the poller so it does not spin a core.
  app.telegram!.bot.api.config.use(async (prev, method, payload, signal) => {
    if (method === 'getUpdates') await sleep(20);
    return prev(method, payload, signal);
  });
  await app.telegram!.start();
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
});

interface BotMessage {
  text: string;
  chat_id: number | string;
  parse_mode?: string;
  reply_markup?: InlineKeyboardMarkup;
}

/** The bot's messages to this client until one matches and the turn's keyboard has arrived. */
async function replies(client: TelegramClient, until: RegExp): Promise<BotMessage[]> {
  const got: BotMessage[] = [];
  const deadline = Date.now() + 10_000;
  const done = () => got.some((m) => until.test(m.text)) && got.at(-1)!.reply_markup !== undefined;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no reply matching ${String(until)}; got: ${got.map((m) => m.text).join(' | ')}`);
    const res = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: Array<{ message: BotMessage }> };
    got.push(...res.result.map((u) => u.message));
  }
  return got;
}
const buttons = (messages: BotMessage[]) => messages.at(-1)!.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));

const texts = (messages: BotMessage[]) => messages.map((m) => m.text).join('\n');

describe('a hurried citizen on Telegram types instead of tapping', () => {
  it('takes a ticket with "ambil nomor antrian ...", confirms with a thumbs-up, asks "udah nomor brp", and gets plain answers for markup and a huge message', async () => {
    for (let i = 0; i < 100 && app.telegram!.status().state !== 'running'; i++) await sleep(50);
    const client = server.getClient(TOKEN, { userId: 4242, chatId: 4242, firstName: 'Buru', timeout: 3000 });

    await client.sendMessage(client.makeMessage('ambil nomor antrian perpanjang sim dong'));
    const confirm = await replies(client, /Ambil antrean untuk layanan Perpanjangan SIM/);
    expect(buttons(confirm)).toContain('confirm');
    await client.sendMessage(client.makeMessage('👍'));
    expect(buttons(await replies(client, /Cek dokumen 1 dari/))).toContain('all-ready');
    await client.sendMessage(client.makeMessage('udah semua kak'));
    const ticket = texts(await replies(client, /Nomor antrean/));
    const number = /[A-Z]-\d{3}/.exec(ticket)![0];

    await client.sendMessage(client.makeMessage('udah nomor brp'));
    const status = await replies(client, new RegExp(number));
    expect(texts(status)).not.toMatch(/beberapa layanan/);
    expect(buttons(status)).toContain('menu');

    // Markup typed by the citizen is shown as text, never sent as HTML that Telegram would refuse.
    await client.sendMessage(client.makeMessage('<b>syarat</b> & ktp <hilang>'));
    const markup = await replies(client, /KTP/);
    expect(markup.every((m) => m.parse_mode === 'HTML')).toBe(true);
    expect(texts(markup)).not.toMatch(/<hilang>|<b>syarat/);
    expect(buttons(markup)).toContain('menu');

    // A message over Telegram's own limit still gets a short, plain answer with a way back.
    await client.sendMessage(client.makeMessage('tolong '.repeat(800) + 'syarat skck baru'));
    const long = await replies(client, /./);
    expect(long.every((m) => m.text.length <= 4096)).toBe(true);
    expect(buttons(long)).toContain('menu');

    await client.sendMessage(client.makeMessage('🙏'));
    const thanks = await replies(client, /ketik|pilih/i);
    expect(texts(thanks)).not.toMatch(/belum menemukan/);
  });

  it('plans "perpanjang sim sama bayar pajak motor sekalian", takes all with "ambil antrian semua" and answers "udah nomor brp" with the first step', async () => {
    const client = server.getClient(TOKEN, { userId: 4343, chatId: 4343, firstName: 'Dua', timeout: 3000 });
    await client.sendMessage(client.makeMessage('mau perpanjang sim sama bayar pajak motor sekalian'));
    const plan = await replies(client, /Rencana kunjungan/);
    expect(texts(plan)).toContain('Perpanjangan SIM');
    expect(texts(plan)).toContain('Pajak kendaraan tahunan');
    await client.sendMessage(client.makeMessage('ambil antrian semua'));
    const taken = texts(await replies(client, /satu kunjungan/));
    const numbers = taken.match(/[A-Z]-\d{3}/g) ?? [];
    expect(new Set(numbers).size).toBe(2);
    await client.sendMessage(client.makeMessage('udah nomor brp'));
    const status = await replies(client, new RegExp(numbers[0]!));
    expect(texts(status)).not.toMatch(/beberapa layanan|belum punya antrean/);
    expect(buttons(status)).toContain('menu');
  });
});
