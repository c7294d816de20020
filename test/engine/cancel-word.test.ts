import { describe, expect, it } from 'vitest';
import { allText, choiceIds, takeTicketInChat } from '../helpers.js';
import { citizen, intentEngine } from './intent-engine.js';

const MENU = ['search', 'take', 'status', 'info', 'bookings', 'language'];

describe('"batal" while holding a ticket', () => {
  it('says the ticket stays active and how to cancel it, and leaves it waiting', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    await takeTicketInChat(engine, u, 'kk baru');
    const out = await engine.handle({ ...u, text: 'batal' });
    expect(allText(out)).toBe('Antrean A-001 Anda tetap aktif. Kalau ingin membatalkan antrean, pilih Batalkan antrean.');
    expect(choiceIds(out)).toEqual(['cancel-ticket', 'status', 'menu']);
    expect((await queue.activeTickets(u.channel, u.userKey))[0]!.status).toBe('waiting');
    const confirm = await engine.handle({ ...u, choice: 'cancel-ticket' });
    expect(allText(confirm)).toContain('Yakin ingin membatalkan antrean A-001');
  });

  it('still says the process was cancelled when "batal" stops a step', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    await takeTicketInChat(engine, u, 'kk baru');
    await engine.handle({ ...u, text: 'paspor baru' });
    await engine.handle({ ...u, choice: 'take' });
    const out = await engine.handle({ ...u, text: 'batal' });
    expect(out.messages.map((m) => m.text)).toEqual(['Baik, proses tadi dibatalkan. Tidak ada yang berubah.', 'Antrean A-001 Anda tetap aktif. Kalau ingin membatalkan antrean, pilih Batalkan antrean.']);
    // "kembali" does not lead back into the step just cancelled.
    const back = await engine.handle({ ...u, text: 'kembali' });
    expect(allText(back)).not.toContain('tersisa');
  });

  it('names every active ticket, in English too', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine, 'en');
    await takeTicketInChat(engine, u, 'kk baru');
    await takeTicketInChat(engine, u, 'npwp');
    const out = await engine.handle({ ...u, text: 'cancel' });
    expect(allText(out)).toBe('Your tickets A-001, D-001 are still active. To cancel one, choose Cancel my ticket.');
  });

  it('without a ticket goes to the menu as before, inside a step or not', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const menu = await engine.handle({ ...u, text: 'batal' });
    expect(choiceIds(menu)).toEqual(MENU);
    await engine.handle({ ...u, text: 'paspor baru' });
    await engine.handle({ ...u, choice: 'take' });
    const stopped = await engine.handle({ ...u, text: 'batal' });
    expect(stopped.messages[0]!.text).toBe('Baik, proses tadi dibatalkan. Tidak ada yang berubah.');
    expect(choiceIds(stopped)).toEqual(MENU);
    const back = await engine.handle({ ...u, text: 'kembali' });
    expect(choiceIds(back)).toEqual(MENU);
  });
});
