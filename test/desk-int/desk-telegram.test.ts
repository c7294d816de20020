import { setTimeout as sleep } from 'node:timers/promises';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/local-server.js';
import { staffSession, startTestApp, type TestApp } from '../helpers.js';


/** The hand-over through telegram-test-api, the Bot API emulator of test/channels/telegram-e2e.test.ts. */
const TOKEN = '123456:emulator-token';
let server: TelegramServer;
let app: TestApp;

beforeAll(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  app = await startTestApp({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL });
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

/** The bot's messages to this client until one matches `until`, within 5 s. */
async function replies(client: TelegramClient, until: RegExp): Promise<string[]> {
  const got: string[] = [];
  const deadline = Date.now() + 5000;
  while (!got.some((t) => until.test(t))) {
    if (Date.now() > deadline) throw new Error(`no reply matching ${String(until)}; got: ${got.join(' | ')}`);
    const res = (await client.getUpdates().catch(() => ({ result: [] }))) as { result: Array<{ message: { text: string } }> };
    got.push(...res.result.map((u) => u.message.text));
  }
  return got;
}

async function api(who: Awaited<ReturnType<typeof staffSession>>, path: string, body?: unknown) {
  const res = await fetch(`${app.url}/desk/api${path}`, {
    method: body === undefined && !path.includes('/claim') && !path.includes('/hand-back') ? 'GET' : 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('help desk over Telegram (emulator)', () => {
  it('hands a Telegram chat to an officer, keeps the bot silent, and gives it back', async () => {
    for (let i = 0; i < 100 && app.telegram!.status().state !== 'running'; i++) await sleep(50);
    const client = server.getClient(TOKEN, { userId: 55501, chatId: 55501, firstName: 'Warga', timeout: 3000 });
    await client.sendCommand(client.makeCommand('/start'));
    await replies(client, /Saya asisten virtual/);

    await client.sendMessage(client.makeMessage('mau bicara dengan petugas'));
    await replies(client, /sambungkan Anda dengan petugas/);

    const officer = await staffSession(app, 'petugas.tg', 'helpdesk');
    const { waiting } = (await api(officer, '/conversations')) as { waiting: Array<{ id: string; channel: string }> };
    const id = waiting.find((h) => h.channel === 'telegram')!.id;
    await api(officer, `/conversations/${id}/claim`, {});
    const reply = (await api(officer, `/conversations/${id}/reply`, { text: 'Halo, saya petugas MPP. Ada yang bisa dibantu?' })) as { message: { delivery: string } };
    expect(reply.message.delivery).toBe('sent');
    await replies(client, /saya petugas MPP/);

    // The citizen writes: it reaches the officer, and the bot says nothing (proven by the event and the next reply).
    await client.sendMessage(client.makeMessage('syarat paspor anak apa saja?'));
    await expect
      .poll(async () => ((await api(officer, `/conversations/${id}`)) as { messages: Array<{ text: string }> }).messages.map((m) => m.text), { timeout: 5000 })
      .toContain('syarat paspor anak apa saja?');
    await api(officer, `/conversations/${id}/hand-back`, {});
    const after = await replies(client, /kembali terhubung dengan asisten/);
    expect(after).toHaveLength(1);

    await client.sendMessage(client.makeMessage('syarat paspor baru'));
    await replies(client, /Persyaratan/);
  }, 30_000);
});
