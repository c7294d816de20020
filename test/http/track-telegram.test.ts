import type { Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
const BOT = { id: 4242, is_bot: true, first_name: 'Asisten MPP', username: 'MppDemoBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } as UserFromGetMe;
let app: TestApp;
const sent: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN, TELEGRAM_BOT_TOKEN: '4242:test-token', TELEGRAM_BOT_USERNAME: 'MppDemoBot' }, new ManualClock(MONDAY_9AM));
  // The Bot API server, played by a transformer (grammY's testing technique), as in the Telegram tests.
  const fake: Transformer = (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    if (method === 'sendMessage') sent.push(String(p.text));
    const result = method === 'sendMessage' ? { message_id: sent.length, date: 1_800_000_000, chat: { id: Number(p.chat_id), type: 'private' }, text: p.text } : true;
    return Promise.resolve({ ok: true, result } as never);
  };
  app.telegram!.bot.botInfo = BOT;
  app.telegram!.bot.api.config.use(fake);
});
afterAll(() => app.close());

let updateId = 5000;
function start(payload: string, chatId = 777): Update {
  const text = `/start ${payload}`;
  return {
    update_id: updateId++,
    message: { message_id: updateId, date: 1_800_000_000, chat: { id: chatId, type: 'private', first_name: 'Warga' }, from: { id: chatId, is_bot: false, first_name: 'Warga', language_code: 'id' }, text, entities: [{ type: 'bot_command', offset: 0, length: 6 }] },
  };
}

describe('continuing from a tracking page on Telegram', () => {
  it('links to t.me with a one-time token, and /start <token> gives the kiosk ticket to that chat', async () => {
    const res = await fetch(`${app.url}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 'polri-skck-baru' }) });
    const { ticket, trackUrl } = (await res.json()) as { ticket: { id: string; number: string }; trackUrl: string };
    const page = await (await fetch(app.url + trackUrl)).text();
    expect(page).toContain(`href="${trackUrl}/telegram"`);
    expect(page).toContain('Lanjut di Telegram');
    const link = await fetch(`${app.url}${trackUrl}/telegram`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    const location = link.headers.get('location')!;
    expect(location).toMatch(/^https:\/\/t\.me\/MppDemoBot\?start=[A-Za-z0-9_-]{22}$/);
    const token = location.split('start=')[1]!;

    await app.telegram!.bot.handleUpdate(start(token));
    expect(sent[0]).toContain(`Nomor antrean ${ticket.number} sekarang tersambung ke chat ini`);
    // Then the usual /start answer.
    expect(sent.length).toBeGreaterThan(1);
    expect(await app.queue.get(ticket.id)).toMatchObject({ channel: 'telegram', to: '777' });
    expect((await app.queue.activeTickets('telegram', '777')).map((t) => t.id)).toEqual([ticket.id]);

    sent.length = 0;
    await app.telegram!.bot.handleUpdate(start(token, 888));
    expect(sent[0]).toContain('sudah dipakai atau kedaluwarsa');
    expect((await app.queue.get(ticket.id))!.to).toBe('777');

    // A /start with any other payload is just /start.
    sent.length = 0;
    await app.telegram!.bot.handleUpdate(start('hello', 999));
    expect(sent.join('\n')).not.toContain('tersambung');
    expect(sent.join('\n')).not.toContain('kedaluwarsa');
  });
});
