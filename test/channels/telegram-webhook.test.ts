import type { Transformer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startTestApp, type TestApp } from '../helpers.js';

const SECRET = 'mpp_webhook-Secret_42';
let app: TestApp;
const calls: Array<{ method: string; payload: Record<string, unknown> }> = [];

/** Records the bot's outgoing calls and answers as the Bot API would; setMyCommands is refused like on an emulator. */
const capture: Transformer = (_prev, method, payload) => {
  const fields = { ...(payload as Record<string, unknown>) };
  calls.push({ method, payload: fields });
  const answer = (response: unknown) => Promise.resolve(response as never);
  if (method === 'getMe') return answer({ ok: true, result: { id: 4242, is_bot: true, first_name: 'Asisten MPP', username: 'MppDemoBot' } });
  if (method === 'setMyCommands') return answer({ ok: false, error_code: 404, description: 'Not Found: method not found' });
  if (method === 'sendMessage') return answer({ ok: true, result: { message_id: calls.length, date: 1_800_000_000, chat: { id: fields.chat_id, type: 'private' }, text: '' } });
  return answer({ ok: true, result: true });
};

beforeAll(async () => {
  app = await startTestApp({
    TELEGRAM_BOT_TOKEN: '4242:test-token',
    TELEGRAM_WEBHOOK_URL: 'https://mpp.example.go.id/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
  });
  app.telegram!.bot.api.config.use(capture);
  await app.telegram!.start();
});
afterAll(async () => {
  await app.close();
});

let updateId = 500;
function post(headers: Record<string, string>, text = '/start', id = updateId++) {
  const update = { update_id: id, message: { message_id: id, date: 1_800_000_000, chat: { id: 901, type: 'private' }, from: { id: 901, is_bot: false, first_name: 'Warga' }, text } };
  return fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(update) });
}
const sent = () => calls.filter((c) => c.method === 'sendMessage');

describe('Telegram webhook mode through the Express app', () => {
  it('registers the webhook with its secret at start, going on without a command menu', () => {
    const setWebhook = calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.payload).toMatchObject({ url: 'https://mpp.example.go.id/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    expect(calls.some((c) => c.method === 'setMyCommands')).toBe(true);
    expect(app.telegram!.status()).toEqual({ mode: 'webhook', state: 'running' });
  });

  it('handles an update with the right secret, then answers 200', async () => {
    const before = sent().length;
    const res = await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    expect(res.status).toBe(200);
    // Handled before the answer: the replies were already sent.
    expect(sent().length).toBeGreaterThan(before);
    expect(sent().at(-1)!.payload.chat_id).toBe(901);
  });

  it('refuses a wrong or missing secret with 401 and handles nothing', async () => {
    const before = calls.length;
    for (const headers of [{ 'X-Telegram-Bot-Api-Secret-Token': SECRET + 'x' }, { 'X-Telegram-Bot-Api-Secret-Token': '' }, {}] as Array<Record<string, string>>) {
      const res = await post(headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect(calls.length).toBe(before);
  });

  it('checks the secret before reading the body', async () => {
    const res = await fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(401);
    const good = await fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': SECRET }, body: '{"hello":1}' });
    expect(good.status).toBe(400);
  });

  it('answers a re-delivered update 200 without handling it again', async () => {
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': SECRET };
    expect((await post(headers, 'syarat paspor baru', 7777)).status).toBe(200);
    const before = sent().length;
    expect((await post(headers, 'syarat paspor baru', 7777)).status).toBe(200);
    expect(sent().length).toBe(before);
  });
});

describe('Telegram configuration', () => {
  it('requires TELEGRAM_WEBHOOK_SECRET with TELEGRAM_WEBHOOK_URL, and a valid one', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.example/webhooks/telegram' })).toThrow(/TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.example/', TELEGRAM_WEBHOOK_SECRET: 'has space' })).toThrow(ConfigError);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.example/', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(257) })).toThrow(ConfigError);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'not a token' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('defaults to the official Bot API root and drops a trailing slash', () => {
    expect(loadConfig({}).TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(loadConfig({ TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' }).TELEGRAM_API_ROOT).toBe('http://127.0.0.1:8081');
  });

  it('leaves the channel out when no token is set', async () => {
    const plain = await startTestApp();
    try {
      expect(plain.telegram).toBeUndefined();
      expect(plain.notifiers.get('telegram')).toBeUndefined();
      expect((await fetch(`${plain.url}/webhooks/telegram`, { method: 'POST' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
