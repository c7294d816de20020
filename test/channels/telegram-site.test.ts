import { describe, expect, it } from 'vitest';
import { buttons, replies, useTelegramEmulator } from './telegram-emulator.js';

/** A site's poster links t.me/<bot>?start=site-kec-utara: the chat starts at that MPP. */
const TOKEN = '123456:emulator-site-token';
const emulator = useTelegramEmulator(TOKEN);

describe('Telegram deep link to an MPP site', () => {
  it('/start site-kec-utara greets by that site, answers its hours, and lets the citizen change MPP', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 4242, chatId: 4242, firstName: 'Warga', timeout: 3000 });
    await client.sendCommand(client.makeCommand('/start site-kec-utara'));
    const menu = await replies(client, /Saya asisten virtual/);
    expect(menu.map((m) => m.text).join('\n')).toContain('Kecamatan Contoh Utara');
    expect(buttons(menu)).toContain('change-site');

    await client.sendMessage(client.makeMessage('jam buka hari ini'));
    const hours = await replies(client, /Jam layanan/);
    expect(hours.map((m) => m.text).join('\n')).toContain('08.00–14.00');

    await client.sendCallback(client.makeCallbackQuery('change-site'));
    expect(buttons(await replies(client, /Sekarang Anda memilih MPP Kec\. Utara/))).toEqual(expect.arrayContaining(['m.main', 'm.kec-utara']));
    await client.sendCallback(client.makeCallbackQuery('m.main'));
    expect((await replies(client, /Sekarang: MPP Kota Contoh/)).length).toBeGreaterThan(0);
  }, 30_000);

  it('an unknown site in the link is ignored: the usual greeting', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 4343, chatId: 4343, firstName: 'Warga', timeout: 3000 });
    await client.sendCommand(client.makeCommand('/start site-tidak-ada'));
    const menu = await replies(client, /Saya asisten virtual/);
    expect(menu.map((m) => m.text).join('\n')).toContain('Kota Contoh');
    expect(menu.map((m) => m.text).join('\n')).not.toContain('Kecamatan Contoh Utara');
  }, 30_000);
});
