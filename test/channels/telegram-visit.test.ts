import { describe, expect, it } from 'vitest';
import { buttons, replies, texts, useTelegramEmulator } from './telegram-emulator.js';

/**
 * Issue 13 in Telegram (telegram-test-api emulator, long polling, as telegram-e2e.test.ts): the
 * same visit as on the web chat, the counters driven through the staff API, the notices read
 * from the emulator.
 */
const TOKEN = '123456:emulator-visit-token';
const API_TOKEN = 'visit-token-0123456789abcdef';
const emulator = useTelegramEmulator(TOKEN, { MPP_API_TOKEN: API_TOKEN }, async (app) => {
  await app.reminders.start({ scheduler: true });
});
const text = texts;

async function staff(path: string): Promise<{ status: number; ticket?: { id: string; number: string } }> {
  const res = await fetch(`${emulator.app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}` } });
  return { status: res.status, ...(res.status === 200 ? ((await res.json()) as { ticket: { id: string; number: string } }) : {}) };
}

describe('one visit, two services, in Telegram (issue 13)', () => {
  it('plans, takes both tickets, and the citizen is called at SIM, told "Selanjutnya", then called at Samsat', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 424242, chatId: 424242, firstName: 'Warga', timeout: 3000 });
    await client.sendMessage(client.makeMessage('mau perpanjang sim sama bayar pajak motor sekalian'));
    const plan = await replies(client, /Rencana kunjungan Anda \(2 layanan\)/);
    // Telegram shows HTML: the plan's text arrives escaped but whole.
    expect(text(plan)).toMatch(/1\. Perpanjangan SIM[\s\S]*2\. Pajak kendaraan/);
    expect(buttons(plan).slice(-4)).toEqual(['take-all', 'add', 'one-by-one', 'menu']);

    await client.sendCallback(client.makeCallbackQuery('take-all'));
    const taken = text(await replies(client, /Langkah 2 dari 2/));
    const [, simNumber] = /Langkah 1 dari 2: ([A-Z]-\d{3})/.exec(taken)!;
    const [, taxNumber] = /Langkah 2 dari 2: ([A-Z]-\d{3})/.exec(taken)!;
    expect((await emulator.app.queue.activeTickets('telegram', '424242')).map((t) => t.number)).toEqual([simNumber, taxNumber]);

    expect((await staff('/api/counters/loket-6/call-next')).status).toBe(204);
    const sim = await staff('/api/counters/loket-5/call-next');
    expect(sim.ticket?.number).toBe(simNumber);
    const called = text(await replies(client, new RegExp(`Nomor ${simNumber} dipanggil`), false));
    expect(called).toMatch(/Loket 5 Satpas SIM[\s\S]*Langkah 1 dari 2[\s\S]*Setelah ini: Pajak kendaraan/);

    await staff(`/api/tickets/${sim.ticket!.id}/start`);
    await staff(`/api/tickets/${sim.ticket!.id}/done`);
    const next = text(await replies(client, /Selanjutnya/, false));
    expect(next).toMatch(/Selanjutnya: Pajak kendaraan tahunan \(pengesahan STNK\), Loket 6 Samsat/);

    const tax = await staff('/api/counters/loket-6/call-next');
    expect(tax.ticket?.number).toBe(taxNumber);
    expect(text(await replies(client, new RegExp(`Nomor ${taxNumber} dipanggil`), false))).toContain('Langkah 2 dari 2');
    await staff(`/api/tickets/${tax.ticket!.id}/start`);
    await staff(`/api/tickets/${tax.ticket!.id}/done`);
    expect(await emulator.app.queue.activeTickets('telegram', '424242')).toEqual([]);
  });

  it('cancelling step 1 in Telegram asks about the rest; "ya" cancels it', async () => {
    const client = emulator.server.getClient(TOKEN, { userId: 424243, chatId: 424243, firstName: 'Warga', timeout: 3000 });
    await client.sendMessage(client.makeMessage('skck baru sama surat bebas narkoba'));
    await replies(client, /Rencana kunjungan Anda \(2 layanan\)/);
    await client.sendMessage(client.makeMessage('ambil antrean untuk semua'));
    await replies(client, /Langkah 2 dari 2/);
    await client.sendMessage(client.makeMessage('batalkan antrean'));
    const which = await replies(client, /Antrean mana/);
    const first = which.at(-1)!.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes('SKCK'))!;
    await client.sendCallback(client.makeCallbackQuery('callback_data' in first ? first.callback_data : ''));
    await replies(client, /Yakin ingin membatalkan/);
    await client.sendCallback(client.makeCallbackQuery('yes'));
    const ask = await replies(client, /Batalkan juga langkah berikutnya\?/);
    expect(buttons(ask)).toEqual(['cancel-rest', 'keep-rest', 'menu']);
    await client.sendMessage(client.makeMessage('ya'));
    await replies(client, /juga sudah dibatalkan/);
    expect(await emulator.app.queue.activeTickets('telegram', '424243')).toEqual([]);
  });
});
