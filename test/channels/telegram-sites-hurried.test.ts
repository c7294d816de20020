import { describe, expect, it } from 'vitest';
import { replies, texts, useTelegramEmulator, type BotMessage } from './telegram-emulator.js';

/**
 * A hurried citizen of the district site on Telegram: arrives from its poster, takes a ticket in
 * words, switches to the city MPP mid-conversation, then answers a notice about the district
 * ticket in words ("otw", "batal antrean"): the answers act on the ticket's own site.
 */
const TOKEN = '123456:emulator-sites-hurried-token';
const emulator = useTelegramEmulator(TOKEN);

/** The callback data of the last keyboard's button whose label matches. */
function button(messages: BotMessage[], label: RegExp): string {
  const found = messages.at(-1)!.reply_markup!.inline_keyboard.flat().find((b) => label.test(b.text));
  if (!found || !('callback_data' in found)) throw new Error(`no button ${String(label)} in ${texts(messages)}`);
  return found.callback_data;
}

describe('Telegram: a kec-utara citizen in a hurry', () => {
  it('takes a ticket there in words, switches to the city, and answers the district notice with "otw" and "batal antrean"', async () => {
    const chat = 4545;
    const client = emulator.server.getClient(TOKEN, { userId: chat, chatId: chat, firstName: 'Warga', timeout: 3000 });
    await client.sendCommand(client.makeCommand('/start site-kec-utara'));
    await replies(client, /Saya asisten virtual/);

    await client.sendMessage(client.makeMessage('antri kk baru'));
    const offer = await replies(client, /Ambil antrean untuk layanan Penerbitan Kartu Keluarga baru/);
    expect(texts(offer)).not.toMatch(/Di MPP mana/);
    await client.sendMessage(client.makeMessage('ya'));
    const check = await replies(client, /Cek dokumen/);
    await client.sendCallback(client.makeCallbackQuery(button(check, /Semua dokumen/)));
    const issued = texts(await replies(client, /Nomor antrean: A-\d{3}/));
    expect(issued).toMatch(/Di MPP Kec\. Utara/);

    await client.sendMessage(client.makeMessage('eh di kota aja deh'));
    expect(texts(await replies(client, /Sekarang: MPP Kota Contoh/))).not.toMatch(/belum menemukan/);

    const utara = emulator.app.sites.get('kec-utara')!.queue;
    const [ticket] = await utara.activeTickets('telegram', String(chat));
    expect(ticket).toBeDefined();
    const [notice] = await emulator.app.engine.push('telegram', String(chat), 'ticket_near', { ticket: ticket!.id, notice: 'near', site: 'kec-utara' });
    await emulator.app.notifiers.get('telegram')!.send(String(chat), notice!);
    expect(texts(await replies(client, new RegExp(ticket!.number)))).toContain(ticket!.number);

    await client.sendMessage(client.makeMessage('otw'));
    const otw = texts(await replies(client, /menuju|antrean|Maaf/, false));
    expect(otw).toMatch(new RegExp(`menuju[\\s\\S]*${ticket!.number}`));
    expect(otw).not.toMatch(/belum punya antrean|tidak punya antrean|belum menemukan/i);

    await client.sendMessage(client.makeMessage('batal antrean'));
    const ask = await replies(client, new RegExp(`${ticket!.number}`));
    await client.sendMessage(client.makeMessage('ya'));
    expect(texts(await replies(client, /dibatalkan/))).toContain(ticket!.number);
    expect(texts(ask)).toContain(ticket!.number);
    expect(await utara.activeTickets('telegram', String(chat))).toEqual([]);
  }, 40_000);
});
