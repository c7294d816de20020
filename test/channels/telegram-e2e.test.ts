import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buttons, replies, useTelegramEmulator, type BotMessage } from './telegram-emulator.js';

/** Telegram end to end over HTTP against the emulator (telegram-emulator.ts: telegram-test-api, long polling). */
const TOKEN = '123456:emulator-token';
const API_TOKEN = 'kiosk-token-0123456789abcdef';
const emulator = useTelegramEmulator(TOKEN, { MPP_API_TOKEN: API_TOKEN });

describe('Telegram end to end (telegram-test-api emulator, long polling)', () => {
  it('runs in polling mode although the emulator refuses setMyCommands', async () => {
    for (let i = 0; i < 100 && emulator.app.telegram!.status().state !== 'running'; i++) await sleep(50);
    expect(emulator.app.telegram!.status()).toEqual({ mode: 'polling', state: 'running' });
  });

  it('walks a citizen from /start to a ticket and cancels it with /batal', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 31337, chatId: 31337, firstName: 'Warga', timeout: 3000 });

    await client.sendCommand(client.makeCommand('/start'));
    const menu = await replies(client, /Saya asisten virtual/);
    expect(menu.every((m) => m.parse_mode === 'HTML' && String(m.chat_id) === '31337')).toBe(true);
    expect(buttons(menu)).toEqual(expect.arrayContaining(['search', 'take', 'status']));

    await client.sendMessage(client.makeMessage('syarat paspor baru'));
    const card = await replies(client, /Persyaratan/);
    expect(card.map((m) => m.text).join('\n')).toMatch(/Paspor/i);
    expect(buttons(card)).toContain('take');

    await client.sendCallback(client.makeCallbackQuery('take'));
    expect(buttons(await replies(client, /tersisa \d+ dari \d+/))).toContain('confirm');
    await client.sendCallback(client.makeCallbackQuery('confirm'));
    expect(buttons(await replies(client, /Cek dokumen 1 dari/))).toContain('all-ready');
    await client.sendCallback(client.makeCallbackQuery('all-ready'));
    const ticket = await replies(client, /Nomor antrean: [A-Z]-001/);
    const number = /Nomor antrean: ([A-Z]-001)/.exec(ticket.map((m) => m.text).join('\n'))![1]!;
    expect(await emulator.app.queue.activeTickets('telegram', '31337')).toHaveLength(1);

    await client.sendCommand(client.makeCommand('/batal'));
    const ask = await replies(client, new RegExp(`membatalkan antrean ${number}`));
    expect(buttons(ask)).toContain('yes');
    await client.sendCallback(client.makeCallbackQuery('yes'));
    await replies(client, /sudah dibatalkan/);
    expect(await emulator.app.queue.activeTickets('telegram', '31337')).toEqual([]);
  });

  it('tells the citizen "silakan ke loket" in Telegram when a counter calls their ticket through the staff API', async () => {
    await emulator.app.reminders.start({ scheduler: true });
    const client = emulator.server.getClient(TOKEN, { userId: 777001, chatId: 777001, firstName: 'Warga', timeout: 3000 });
    await client.sendMessage(client.makeMessage('paspor hilang'));
    await replies(client, /Persyaratan/);
    await client.sendCallback(client.makeCallbackQuery('take'));
    await replies(client, /tersisa \d+ dari \d+/);
    await client.sendCallback(client.makeCallbackQuery('confirm'));
    await replies(client, /Cek dokumen 1 dari/);
    await client.sendCallback(client.makeCallbackQuery('all-ready'));
    const card = await replies(client, /Nomor antrean: B-\d{3}/);
    const number = /Nomor antrean: (B-\d{3})/.exec(card.map((m) => m.text).join('\n'))![1]!;

    const res = await fetch(`${emulator.app.url}/api/counters/loket-3/call-next`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ticket: { number: string } }).ticket.number).toBe(number);
    const called = await replies(client, new RegExp(`Nomor ${number} dipanggil`));
    expect(called.map((m) => m.text).join('\n')).toContain('Loket 3 Imigrasi');
  });

  it('answers /antrean in a group with the privacy reply, never a ticket', async () => {
    const group = emulator.server.getClient(TOKEN, { userId: 4001, chatId: -4001, type: 'group', chatTitle: 'Warga RT 05', timeout: 3000 });
    await group.sendCommand(group.makeCommand('/antrean'));
    const res = (await group.getUpdates()) as { result: Array<{ message: BotMessage }> };
    expect(res.result.map((u) => u.message.text)).toEqual(['Antrean bersifat pribadi, silakan chat saya langsung: https://t.me/TestNameBot']);
  });

  it('delivers a notifier message to the citizen through the registry', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 31337, chatId: 31337, timeout: 3000 });
    await emulator.app.notifiers.get('telegram')!.send('31337', { text: 'Nomor B-001 sebentar lagi dipanggil <loket 3>', choices: [{ id: 'menu', label: 'Menu' }] });
    const [notice] = await replies(client, /sebentar lagi dipanggil/);
    expect(notice!.text).toBe('Nomor B-001 sebentar lagi dipanggil &lt;loket 3&gt;');
    expect(buttons([notice!])).toEqual(['menu']);
  });
});
