import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { allText, choiceIds, testEngine, takeTicketInChat, testRedis } from '../helpers.js';

const user = () => ({ channel: 'test', userKey: `warga-${Math.random()}` });

describe('tickets in the conversation', () => {
  it('keeps the typed question in the session with NIK, phone and e-mail masked', async () => {
    const { engine, prefix } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'syarat skck NIK 3201234567890001 hp 081234567890 budi@contoh.id' });
    const stored = (await testRedis().get(`${prefix}:sess:{${SessionStore.subject(u.channel, u.userKey)}}`)) ?? '';
    expect(stored).toContain('[nik]');
    expect(stored).not.toMatch(/3201234567890001|081234567890|budi@contoh\.id/);
  });

  it('takes a ticket from the service card: confirm, checklist, ticket card', async () => {
    const { engine, queue, catalogue } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'syarat perpanjang skck' });
    const confirm = await engine.handle({ ...u, choice: 'take' });
    expect(allText(confirm)).toMatch(/tersisa \d+ dari \d+/);
    expect(choiceIds(confirm)).toEqual(['confirm', 'confirm-priority', 'menu']);
    let step = await engine.handle({ ...u, choice: 'confirm' });
    const requirements = catalogue.services.get('polri-skck-perpanjangan')!.requirements;
    expect(allText(step)).toContain(`Cek dokumen 1 dari ${requirements.length}`);
    expect(allText(step)).toContain(requirements[0]!.id);
    step = await engine.handle({ ...u, choice: 'missing' });
    expect(allText(step)).toContain(`Cek dokumen 2 dari ${requirements.length}`);
    step = await engine.handle({ ...u, choice: 'all-ready' });
    expect(allText(step)).toContain('belum siap');
    expect(allText(step)).toContain(requirements[0]!.id);
    const card = await engine.handle({ ...u, choice: 'issue' });
    expect(allText(card)).toContain('Nomor antrean: C-001');
    expect(allText(card)).toContain('Loket 4 Polres');
    expect(card.messages.at(-1)!.card).toMatchObject({ kind: 'ticket' });
    const [ticket] = await queue!.activeTickets(u.channel, u.userKey);
    expect(ticket!.checklist).toEqual({ serviceId: 'polri-skck-perpanjangan', ready: requirements.slice(1).map((_, i) => i + 1), missing: [0] });
    expect(ticket!.question).toBe('syarat perpanjang skck');
  });

  it('shows people ahead and the estimate, and the status later', async () => {
    const { engine, queue } = await testEngine();
    await queue!.take({ serviceId: 'djp-npwp', citizen: { channel: 'test', userKey: 'someone-else' }, source: 'test' });
    const u = user();
    const card = await takeTicketInChat(engine, u, 'npwp');
    expect(allText(card)).toMatch(/Di depan Anda: 1 orang \(perkiraan \d+ menit\)/);
    const status = await engine.handle({ ...u, text: 'antrean saya' });
    expect(allText(status)).toContain('Antrean Anda hari ini');
    expect(allText(status)).toContain('D-002');
  });

  it('declares priority and gets a priority ticket', async () => {
    const { engine, queue } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'paspor baru' });
    await engine.handle({ ...u, choice: 'take' });
    await engine.handle({ ...u, choice: 'confirm-priority' });
    const card = await engine.handle({ ...u, choice: 'all-ready' });
    expect(allText(card)).toContain('Antrean prioritas');
    expect((await queue!.activeTickets(u.channel, u.userKey))[0]!.priority).toBe(true);
  });

  it('cancels with confirmation, from "batal antrean" anywhere', async () => {
    const { engine, queue } = await testEngine();
    const u = user();
    await takeTicketInChat(engine, u, 'kk baru');
    const ask = await engine.handle({ ...u, text: 'batal antrean' });
    expect(allText(ask)).toContain('Yakin ingin membatalkan antrean A-001');
    expect(choiceIds(ask)).toEqual(['yes', 'no', 'menu']);
    const done = await engine.handle({ ...u, choice: 'yes' });
    expect(allText(done)).toContain('sudah dibatalkan');
    expect(await queue!.activeTickets(u.channel, u.userKey)).toEqual([]);
    const none = await engine.handle({ ...u, text: '/batal' });
    expect(allText(none)).toContain('Tidak ada antrean aktif');
  });

  it('"batal" in the middle of the checklist stops without taking a ticket', async () => {
    const { engine, queue } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'kk baru' });
    await engine.handle({ ...u, choice: 'take' });
    await engine.handle({ ...u, choice: 'confirm' });
    const stopped = await engine.handle({ ...u, text: 'batal' });
    expect(allText(stopped)).toContain('dibatalkan');
    expect(choiceIds(stopped)).toContain('take');
    expect(await queue!.activeTickets(u.channel, u.userKey)).toEqual([]);
  });

  it('shows the same ticket instead of a second one for the same service', async () => {
    const { engine } = await testEngine();
    const u = user();
    await takeTicketInChat(engine, u, 'kk baru');
    await engine.handle({ ...u, text: 'kk baru' });
    const again = await engine.handle({ ...u, choice: 'take' });
    expect(allText(again)).toContain('sudah punya antrean');
    expect(choiceIds(again)).toEqual(['status', 'cancel-ticket', 'menu']);
  });

  it('says when the MPP opens next instead of issuing a ticket while closed', async () => {
    const { engine } = await testEngine({ clock: new ManualClock(new Date('2026-11-29T03:00:00Z')) });
    const u = user();
    await engine.handle({ ...u, text: 'kk baru' });
    const closed = await engine.handle({ ...u, choice: 'take' });
    expect(allText(closed)).toContain('MPP sedang tutup');
    expect(allText(closed)).toContain('Senin');
    expect(choiceIds(closed)).toEqual(['menu']);
  });

  it('asks which service first when "ambil antrean" comes from the menu', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'menu' });
    const r = await engine.handle({ ...u, choice: 'take' });
    expect(allText(r)).toContain('Untuk layanan apa');
    expect(choiceIds(r)).toContain('browse');
  });

  it('says honestly that tickets are not available when no queue is wired in', async () => {
    const { engine } = await testEngine({ queue: false });
    const u = user();
    await engine.handle({ ...u, text: 'kk baru' });
    const r = await engine.handle({ ...u, choice: 'take' });
    expect(allText(r)).toContain('belum tersedia');
    expect(choiceIds(r)).toEqual(['menu']);
  });
});
