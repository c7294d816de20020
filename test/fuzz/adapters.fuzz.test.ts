import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { Transformer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

const TG_SECRET = 'fuzz_secret-42';
const WA_SECRET = 'fuzz-app-secret';
let app: TestApp;

/** The Bot API "server" answers everything with ok: the fuzz is about what comes in. */
const fakeTelegram: Transformer = (_prev, method, payload) => {
  const p = payload as Record<string, unknown>;
  if (method === 'getMe') return Promise.resolve({ ok: true, result: { id: 4242, is_bot: true, first_name: 'Asisten', username: 'MppFuzzBot' } } as never);
  if (method === 'sendMessage') return Promise.resolve({ ok: true, result: { message_id: 1, date: 1, chat: { id: p.chat_id, type: 'private' }, text: '' } } as never);
  return Promise.resolve({ ok: true, result: true } as never);
};

beforeAll(async () => {
  app = await startTestApp({
    TELEGRAM_BOT_TOKEN: '4242:fuzz-token',
    TELEGRAM_WEBHOOK_URL: 'https://mpp.example.go.id/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'fuzz-access-token',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_CLOUD_APP_SECRET: WA_SECRET,
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'fuzz-verify',
    WHATSAPP_CLOUD_API_BASE: 'http://127.0.0.1:9/v21.0',
    CHAT_RATE_PER_MINUTE: '600',
    HTTP_RATE_PER_MINUTE: '100000',
  });
  app.telegram!.bot.api.config.use(fakeTelegram);
  await app.telegram!.start();
});
afterAll(async () => {
  await app.close();
});

/** Any JSON-ish value, including the shapes adapters expect with wrong types inside. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 })),
})).value;

const telegramish = fc.oneof(
  jsonish,
  fc.record({ update_id: fc.oneof(fc.integer(), fc.string()), message: fc.oneof(jsonish, fc.record({ message_id: fc.integer(), date: fc.integer(), chat: fc.oneof(jsonish, fc.record({ id: fc.oneof(fc.integer(), fc.string()), type: fc.constantFrom('private', 'group', 'supergroup', 'channel', 'x') })), text: fc.oneof(fc.string(), fc.integer()) })) }, { requiredKeys: [] }),
  fc.record({ update_id: fc.integer(), callback_query: fc.record({ id: fc.string(), data: fc.string(), from: fc.record({ id: fc.integer(), is_bot: fc.boolean(), first_name: fc.string() }), message: jsonish }, { requiredKeys: [] }) }, { requiredKeys: [] }),
);

const whatsappish = fc.oneof(
  jsonish,
  fc.record({
    object: fc.constantFrom('whatsapp_business_account', 'page', ''),
    entry: fc.array(fc.record({ id: fc.string(), changes: fc.array(fc.record({ field: fc.constantFrom('messages', 'x'), value: fc.record({ messages: fc.array(fc.record({ from: fc.oneof(fc.string(), fc.integer()), id: fc.string(), type: fc.constantFrom('text', 'interactive', 'image', 'weird'), text: fc.oneof(jsonish, fc.record({ body: fc.oneof(fc.string(), fc.integer()) })), interactive: jsonish }, { requiredKeys: [] }), { maxLength: 3 }), statuses: jsonish }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }),
  }, { requiredKeys: [] }),
);

const webchatish = fc.oneof(jsonish, fc.record({ sessionId: fc.oneof(fc.string(), fc.integer()), text: fc.oneof(fc.string({ maxLength: 3000 }), fc.integer(), fc.constant(null)), choice: fc.oneof(fc.string(), fc.array(fc.string())), locale: fc.oneof(fc.constantFrom('id', 'en'), fc.string()) }, { requiredKeys: [] }));

const clientOrOk = (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500);

describe('adapters under random and malformed input', () => {
  it('web chat: always 2xx or 4xx with a JSON error, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(webchatish.map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 })), async (body) => {
        const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(clientOrOk(res.status), `${res.status} for ${body.slice(0, 80)}`).toBe(true);
        const json = (await res.json()) as { error?: { code: string }; messages?: unknown[] };
        expect(json.error !== undefined || Array.isArray(json.messages)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('Telegram webhook: random updates with the right secret never give a 5xx; without it, 401', async () => {
    await fc.assert(
      fc.asyncProperty(telegramish, fc.boolean(), async (update, withSecret) => {
        const res = await fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...(withSecret ? { 'X-Telegram-Bot-Api-Secret-Token': TG_SECRET } : {}) }, body: JSON.stringify(update) });
        expect(clientOrOk(res.status), `${res.status}`).toBe(true);
        if (!withSecret) expect(res.status).toBe(401);
      }),
      { numRuns: 150 },
    );
  });

  it('WhatsApp Cloud webhook: random bodies, signed or not, never give a 5xx; unsigned ones 403', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(whatsappish.map((v) => JSON.stringify(v)), fc.string({ maxLength: 300 })), fc.boolean(), async (body, signed) => {
        const signature = 'sha256=' + createHmac('sha256', WA_SECRET).update(body).digest('hex');
        const res = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signed ? { 'x-hub-signature-256': signature } : {}) }, body });
        expect(clientOrOk(res.status), `${res.status} for ${body.slice(0, 80)}`).toBe(true);
        if (!signed) expect(res.status).toBe(403);
      }),
      { numRuns: 150 },
    );
  });
});
