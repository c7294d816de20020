import { Writable } from 'node:stream';
import type { Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../src/channels/telegram/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { NotifierRegistry, PermanentDeliveryError } from '../../src/reminders/notifier.js';
import { freePort } from '../../src/redis/local-server.js';
import { silentLogger, testEngine, testRedis } from '../helpers.js';

const BOT: UserFromGetMe = {
  id: 4242,
  is_bot: true,
  first_name: 'Asisten MPP',
  username: 'MppDemoBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

interface Call {
  method: string;
  payload: Record<string, unknown>;
}
type Reply = (call: Call, attempt: number) => unknown;

/**
 * The Bot API server, played by a transformer below retry and throttling (grammY's documented
 * testing technique): records every call and answers like Telegram, or as `reply` says.
 */
function fakeBotApi(reply?: Reply) {
  const calls: Call[] = [];
  let messageId = 1;
  const transformer: Transformer = (_prev, method, payload) => {
    const call = { method, payload: { ...(payload as Record<string, unknown>) } };
    calls.push(call);
    const custom = reply?.(call, calls.filter((c) => c.method === method).length);
    if (custom !== undefined) return Promise.resolve(custom as never);
    const result =
      method === 'sendMessage' ? { message_id: messageId++, date: 1_800_000_000, chat: { id: Number(call.payload.chat_id), type: 'private' }, text: call.payload.text } : true;
    return Promise.resolve({ ok: true, result } as never);
  };
  const sent = () => calls.filter((c) => c.method === 'sendMessage');
  return { calls, transformer, sent, texts: () => sent().map((c) => String(c.payload.text)) };
}

async function setup(reply?: Reply, logger = silentLogger) {
  const { engine, translator, prefix, queue } = await testEngine();
  const server = fakeBotApi(reply);
  const notifiers = new NotifierRegistry();
  const config = loadConfig({ TELEGRAM_BOT_TOKEN: '4242:test-token' });
  const channel = createTelegramChannel({ config, engine, translator, redis: testRedis(), prefix, logger, botInfo: BOT, serverTransformers: [server.transformer] });
  notifiers.register(channel.notifier);
  return { channel, server, queue: queue!, notifiers, translator, engine };
}

let updateId = 1000;
const citizen = { id: 777, is_bot: false, first_name: 'Warga', language_code: 'id' };
const privateChat = { id: 777, type: 'private' as const, first_name: 'Warga' };
const groupChat = { id: -100555, type: 'supergroup' as const, title: 'Warga RT 05' };

function message(text: string, opts: { chat?: object; from?: object; entities?: object[] } = {}): Update {
  const command = /^\/\S+/.exec(text);
  const entities = opts.entities ?? (command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined);
  return {
    update_id: updateId++,
    message: { message_id: updateId, date: 1_800_000_000, chat: opts.chat ?? privateChat, from: opts.from ?? citizen, text, ...(entities ? { entities } : {}) },
  } as Update;
}

function press(data: string, chat: object = privateChat, from: object = citizen): Update {
  return {
    update_id: updateId++,
    callback_query: { id: `cb${updateId}`, from, chat_instance: 'ci', data, message: { message_id: 1, date: 1_800_000_000, chat, text: '…' } },
  } as Update;
}

function keyboardIds(call: Call | undefined): string[] {
  const markup = call?.payload.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> } | undefined;
  return markup?.inline_keyboard.flat().map((b) => b.callback_data) ?? [];
}

describe('Telegram channel (grammY with a fake Bot API server)', () => {
  it('answers /start with the menu as an inline keyboard in HTML parse mode', async () => {
    const { channel, server } = await setup();
    await channel.bot.handleUpdate(message('/start'));
    const last = server.sent().at(-1)!;
    expect(last.payload.chat_id).toBe(777);
    expect(last.payload.parse_mode).toBe('HTML');
    expect(keyboardIds(last)).toEqual(expect.arrayContaining(['search', 'take', 'status', 'info']));
  });

  it('answers a pressed button first, then feeds its id to the engine', async () => {
    const { channel, server } = await setup();
    await channel.bot.handleUpdate(message('syarat paspor baru'));
    server.calls.length = 0;
    await channel.bot.handleUpdate(press('take'));
    expect(server.calls[0]!.method).toBe('answerCallbackQuery');
    expect(server.texts().join('\n')).toMatch(/tersisa \d+ dari \d+/);
    expect(keyboardIds(server.sent().at(-1))).toContain('confirm');
  });

  it('re-prompts politely for a button from an old message', async () => {
    const { channel, server } = await setup();
    await channel.bot.handleUpdate(message('/menu'));
    await channel.bot.handleUpdate(press('all-ready'));
    expect(server.texts().join('\n')).toContain('sudah tidak berlaku');
  });

  it('uses Telegram language_code as the first language hint', async () => {
    const { channel, server } = await setup();
    await channel.bot.handleUpdate(message('hello', { from: { ...citizen, language_code: 'en-GB' } }));
    expect(server.texts().join('\n')).toContain('How can I help');
  });

  it('retries a 429 after retry_after and then delivers', async () => {
    const { channel, server } = await setup((call, attempt) =>
      call.method === 'sendMessage' && attempt === 1 ? { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } : undefined,
    );
    const started = Date.now();
    await channel.bot.handleUpdate(message('/start'));
    const sent = server.sent();
    expect(sent[0]!.payload.text).toBe(sent[1]!.payload.text);
    expect(sent.length).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('handles a re-delivered update_id once: no second reply, no second ticket', async () => {
    const { channel, server, queue } = await setup();
    await channel.bot.handleUpdate(message('syarat paspor baru'));
    await channel.bot.handleUpdate(press('take'));
    await channel.bot.handleUpdate(press('confirm'));
    const issue = press('all-ready');
    await channel.bot.handleUpdate(issue);
    expect(server.texts().join('\n')).toMatch(/Nomor antrean: [A-Z]-\d{3}/);
    const before = server.calls.length;
    await channel.bot.handleUpdate(issue);
    await channel.bot.handleUpdate(structuredClone(issue));
    expect(server.calls.length).toBe(before);
    expect(await queue.activeTickets('telegram', '777')).toHaveLength(1);
  });

  it('asks to type when a photo, sticker or location arrives, without asking the engine', async () => {
    const { channel, server } = await setup();
    const base = { message_id: 5, date: 1_800_000_000, chat: privateChat, from: citizen };
    await channel.bot.handleUpdate({ update_id: updateId++, message: { ...base, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] } });
    await channel.bot.handleUpdate({ update_id: updateId++, message: { ...base, sticker: { file_id: 's', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } } });
    await channel.bot.handleUpdate({ update_id: updateId++, message: { ...base, location: { latitude: -6.2, longitude: 106.8 } } });
    expect(server.texts()).toEqual(Array(3).fill('Maaf, saya hanya bisa membaca pesan teks. Silakan ketik pertanyaan Anda.'));
    // No session was started: the next text is greeted as a first message.
    await channel.bot.handleUpdate(message('halo'));
    expect(server.texts()[3]).toContain('Saya asisten virtual');
  });

  it('ignores group messages that neither mention the bot nor are commands for it', async () => {
    const { channel, server } = await setup();
    await channel.bot.handleUpdate(message('syarat paspor baru', { chat: groupChat }));
    await channel.bot.handleUpdate(message('/start@OtherBot', { chat: groupChat }));
    const photo = { update_id: updateId++, message: { message_id: 9, date: 1_800_000_000, chat: groupChat, from: citizen, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] } };
    await channel.bot.handleUpdate(photo);
    expect(server.calls).toEqual([]);
  });

  it('answers a mention in a group without ticket buttons, under the group key', async () => {
    const { channel, server, engine } = await setup();
    await channel.bot.handleUpdate(message('@MppDemoBot syarat paspor baru', { chat: groupChat, entities: [{ type: 'mention', offset: 0, length: 11 }] }));
    const texts = server.texts().join('\n');
    expect(texts).toContain('Paspor');
    expect(texts).not.toContain('@MppDemoBot');
    for (const call of server.sent()) {
      expect(call.payload.chat_id).toBe(-100555);
      for (const id of keyboardIds(call)) expect(engine.personal.isPersonalChoice(id), id).toBe(false);
    }
  });

  it('never shows or takes a ticket in a group: commands, words, numbers and buttons get the privacy reply', async () => {
    const { channel, server, queue } = await setup();
    const privacy = 'Antrean bersifat pribadi, silakan chat saya langsung: https://t.me/MppDemoBot';
    await channel.bot.handleUpdate(message('/antrean@MppDemoBot', { chat: groupChat }));
    expect(server.texts()).toEqual([privacy]);
    await channel.bot.handleUpdate(message('/status', { chat: groupChat }));
    await channel.bot.handleUpdate(message('@MppDemoBot antrean saya', { chat: groupChat, entities: [{ type: 'mention', offset: 0, length: 11 }] }));
    await channel.bot.handleUpdate(press('take', groupChat));
    expect(server.texts().slice(1)).toEqual([privacy, privacy, privacy]);
    // The service card's ticket button is hidden, but its label typed out still picks it: the
    // answer (the ticket flow) is replaced by the privacy reply and the group is back at the menu.
    const mention = { chat: groupChat, entities: [{ type: 'mention', offset: 0, length: 11 }] };
    await channel.bot.handleUpdate(message('@MppDemoBot syarat paspor baru', mention));
    server.calls.length = 0;
    await channel.bot.handleUpdate(message('@MppDemoBot Ambil antrean untuk layanan ini', mention));
    expect(server.texts()).toEqual([privacy]);
    await channel.bot.handleUpdate(message('@MppDemoBot 1', mention));
    expect(server.texts().slice(1).join('\n')).not.toMatch(/Nomor antrean|tersisa|Cek dokumen/);
    expect(await queue.activeTickets('telegram', 'g-100555')).toEqual([]);
  });

  it('derives what is personal from `personal: true` in the flows, not from a list', async () => {
    const { engine } = await testEngine();
    const { personal } = engine;
    // Entries from shared pages into ticket and booking flows, and choices only those flows offer.
    for (const id of ['take', 'status', 'book', 'bookings', 'confirm', 'ready', 'issue', 'cancel-ticket', 'yes', 'on-my-way', 'keep', 'check-in']) expect(personal.isPersonalChoice(id), id).toBe(true);
    for (const id of ['take', 'status', 'book', 'bookings']) expect(personal.isInsidePersonalFlow(id), id).toBe(false);
    for (const id of ['menu', 'search', 'browse', 'info', 'open-now', 'lang-en', 'forget-yes']) expect(personal.isPersonalChoice(id), id).toBe(false);
    // Service ids stay usable in groups; days, slots, bookings and tickets do not.
    expect(personal.isPersonalChoice('s.imigrasi-paspor-baru')).toBe(false);
    for (const id of ['d.2026-11-24', 't.0930', 'b.abc', 'x.T123']) expect(personal.isPersonalChoice(id), id).toBe(true);
    expect(personal.isPersonalWord('/antrean@MppDemoBot')).toBe(true);
    expect(personal.isPersonalWord('antrean saya')).toBe(true);
    expect(personal.isPersonalWord('bantuan')).toBe(false);
  });

  it('logs a failed turn once, without the chat id or the text in clear', async () => {
    const lines: string[] = [];
    const logger = createLogger('error', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    const { channel } = await setup((call) => (call.method === 'sendMessage' ? { ok: false, error_code: 400, description: 'Bad Request: something odd' } : undefined), logger);
    await channel.bot.handleUpdate(message('syarat paspor rahasia'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('telegram update failed');
    expect(lines[0]).toContain('sendMessage: 400');
    expect(lines[0]).not.toContain('777');
    expect(lines[0]).not.toContain('rahasia');
  });
});

describe('Telegram channel lifecycle', () => {
  it('reports an unreachable Bot API in status() instead of hanging, and stops cleanly', async () => {
    const { engine, translator, prefix } = await testEngine();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '4242:test-token', TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}` });
    const channel = createTelegramChannel({ config, engine, translator, redis: testRedis(), prefix, logger: silentLogger });
    await channel.start();
    expect(channel.status()).toEqual({ mode: 'polling', state: 'error', error: "Network request for 'getMe' failed!" });
    await channel.stop();
    expect(channel.status().state).toBe('stopped');
  });
});

describe('Telegram notifier', () => {
  it('is registered for channel telegram with Telegram bulk rate', async () => {
    const { notifiers } = await setup();
    expect(notifiers.get('telegram')?.rate).toEqual({ max: 30, durationMs: 1000 });
  });

  it('splits a message over 4,096 characters into several sendMessage calls with valid HTML', async () => {
    const { channel, server } = await setup();
    const lines = Array.from({ length: 250 }, (_, i) => `${i + 1}. Surat pengantar RT/RW & fotokopi <KTP> pemohon`);
    await channel.notifier.send('777', { text: lines.join('\n'), choices: [{ id: 'menu', label: 'Menu' }] });
    const sent = server.sent();
    expect(sent.length).toBeGreaterThan(1);
    for (const call of sent) {
      const html = String(call.payload.text);
      expect(html.length).toBeLessThanOrEqual(4096);
      expect(html).not.toMatch(/[<>]|&(?!amp;|lt;|gt;)/);
      expect(call.payload.parse_mode).toBe('HTML');
    }
    const unescaped = sent.map((c) => String(c.payload.text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    expect(unescaped.join('\n').split('\n')).toEqual(lines);
    expect(sent.map((c) => c.payload.reply_markup === undefined)).toEqual([...sent.slice(1).map(() => true), false]);
  });

  it('turns "bot was blocked", "user is deactivated" and "chat not found" into PermanentDeliveryError', async () => {
    for (const [code, description] of [
      [403, 'Forbidden: bot was blocked by the user'],
      [403, 'Forbidden: user is deactivated'],
      [400, 'Bad Request: chat not found'],
    ] as const) {
      const { channel } = await setup(() => ({ ok: false, error_code: code, description }));
      await expect(channel.notifier.send('777', { text: 'Nomor Anda sebentar lagi' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    }
  });

  it('rethrows other failures for the outbox to retry, and refuses group keys', async () => {
    const { channel } = await setup(() => ({ ok: false, error_code: 400, description: 'Bad Request: message is too long' }));
    const err: unknown = await channel.notifier.send('777', { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    await expect(channel.notifier.send('g-100555', { text: 'x' })).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});
