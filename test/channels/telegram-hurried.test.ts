import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buttons, replies, texts, useTelegramEmulator } from './telegram-emulator.js';

/**
 * A hurried citizen on Telegram (the emulator of telegram-emulator.ts): chat words instead of
 * buttons, emoji, markup characters and an over-long message.
 */
const TOKEN = '123456:emulator-token';
const API_TOKEN = 'kiosk-token-0123456789abcdef';
const emulator = useTelegramEmulator(TOKEN, { MPP_API_TOKEN: API_TOKEN });

describe('a hurried citizen on Telegram types instead of tapping', () => {
  it('takes a ticket with "ambil nomor antrian ...", confirms with a thumbs-up, asks "udah nomor brp", and gets plain answers for markup and a huge message', async () => {
    for (let i = 0; i < 100 && emulator.app.telegram!.status().state !== 'running'; i++) await sleep(50);
    const client = emulator.server.getClient(TOKEN, { userId: 4242, chatId: 4242, firstName: 'Buru', timeout: 3000 });

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
    const client = emulator.server.getClient(TOKEN, { userId: 4343, chatId: 4343, firstName: 'Dua', timeout: 3000 });
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
