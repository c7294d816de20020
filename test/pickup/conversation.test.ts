import { describe, expect, it } from 'vitest';
import { OpeningHours } from '../../src/catalogue/hours.js';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { createEngine } from '../../src/engine/create.js';
import { read } from '../understanding/fixture.js';
import { allText, choiceIds, silentLogger } from '../helpers.js';
import { KTP, PASSPORT, pickupSetup } from './support.js';

/** A real engine on the demo flows and locales, with the queue and pickups of `pickupSetup`. */
async function setup() {
  const s = await pickupSetup();
  const { engine } = await createEngine({
    redis: s.redis,
    prefix: s.prefix,
    services: { catalogue: s.catalogue, search: new ServiceSearch(s.catalogue), hours: new OpeningHours(s.catalogue.mpp, 'content'), queue: s.queue, pickups: s.pickups },
    clock: s.clock,
    logger: silentLogger,
    ratePerMinute: 1000,
  });
  const say = (userKey: string, text: string) => engine.handle({ channel: 'telegram', userKey, text });
  const pick = (userKey: string, choice: string) => engine.handle({ channel: 'telegram', userKey, choice });
  const applied = async (userKey: string, serviceId: string, counter: string) => (await s.pickups.recordDone(await s.serve(serviceId, counter, { channel: 'telegram', userKey })))!;
  return { ...s, engine, say, pick, applied };
}

describe('"is my document ready?" in the chat', () => {
  it('understands the question in the ways citizens ask it, and not a question about how long it takes', async () => {
    for (const text of ['paspor saya sudah jadi?', 'cek status paspor no A-002-20261123', 'ktp saya udah bisa diambil belum', 'is my passport ready', 'kapan bisa diambil ktp nya', 'sertifikat saya sdh jadi blm', 'can i collect my passport']) {
      expect((await read(text)).intents[0].kind, text).toBe('pickup_status');
    }
    for (const text of ['berapa lama paspor jadi', 'syarat paspor baru', 'antrian saya nomor brp']) {
      expect((await read(text)).intents[0].kind, text).not.toBe('pickup_status');
    }
  });

  it('explains when nothing is on record, and offers a check by number or a person', async () => {
    const { say } = await setup();
    const reply = await say('c-none', 'paspor saya sudah jadi?');
    expect(allText(reply)).toContain('belum menemukan dokumen');
    expect(choiceIds(reply)).toEqual(expect.arrayContaining(['by-ref', 'person', 'menu']));
  });

  it('says a passport is not ready yet, with the expected day', async () => {
    const { say, applied } = await setup();
    await applied('c-wait', PASSPORT, 'loket-3');
    const text = allText(await say('c-wait', 'paspor saya sudah jadi?'));
    expect(text).toContain('Belum jadi');
    expect(text).toContain('Kamis, 26 November');
    expect(text).not.toContain('Jam layanan');
  });

  it('says a KTP-el depends on blank cards when no day can be given', async () => {
    const { say, applied } = await setup();
    await applied('c-ktp', KTP, 'loket-1');
    const text = allText(await say('c-ktp', 'ktp saya udah bisa diambil belum'));
    expect(text).toContain('belum bisa dipastikan');
    expect(text).toContain('blangko');
  });

  it('says where and when to collect a ready passport, in English when asked in English', async () => {
    const { say, applied, pickups } = await setup();
    const p = await applied('c-ready', PASSPORT, 'loket-3');
    await pickups.markReady(p.reference);
    const text = allText(await say('c-ready', 'is my passport ready?'));
    expect(text).toContain('Ready to collect');
    expect(text).toContain('Immigration counter at the MPP');
    expect(text).toContain('MPP service hours');
  });

  it('answers about the document named when the citizen has several', async () => {
    const { say, applied } = await setup();
    await applied('c-two', PASSPORT, 'loket-3');
    await applied('c-two', KTP, 'loket-1');
    const text = allText(await say('c-two', 'ktp saya sudah jadi belum?'));
    expect(text).toContain('KTP-el');
    expect(text).not.toContain('Paspor baru');
  });

  it('checks by a receipt or reference number, and says so when the number is unreadable or unknown', async () => {
    const { say, pick, applied, pickups } = await setup();
    const p = await applied('someone-else', PASSPORT, 'loket-3');
    await pickups.noteReceipt(p.reference, 'TT-777');
    await say('c-ref', 'paspor saya sudah jadi?');
    expect(allText(await pick('c-ref', 'by-ref'))).toContain('A-001-20261123');
    expect(allText(await say('c-ref', '1?'))).toContain('belum bisa saya baca');
    expect(allText(await say('c-ref', 'ZZ-123'))).toContain('tidak ditemukan');
    const found = allText(await say('c-ref', 'tt 777'));
    expect(found).toContain('Belum jadi');
    expect(found).toContain('TT-777');
    // A question instead of a number is answered as anywhere else.
    await pick('c-ref', 'by-ref');
    expect(allText(await say('c-ref', 'syarat skck baru'))).toContain('SKCK');
  });

  it('reads the number inside the question, or typed straight after "nothing found", before and after staff mark it ready', async () => {
    const { say, applied, pickups } = await setup();
    const p = await applied('someone-far', PASSPORT, 'loket-3');
    await pickups.noteReceipt(p.reference, 'TT-4455');
    // In the question itself: the words around the number are no part of it.
    const before = allText(await say('c-inline', `paspor saya sudah jadi? nomornya ${p.reference}`));
    expect(before).toContain('Belum jadi');
    expect(before).not.toContain('belum menemukan dokumen');
    await pickups.markReady(p.reference);
    // Right after the "nothing on record for this chat" answer, without pressing "Cek dengan nomor".
    expect(allText(await say('c-after', 'paspor saya udah jadi blm'))).toContain('belum menemukan dokumen');
    const after = allText(await say('c-after', 'no resi TT-4455'));
    expect(after).toContain('bisa diambil');
    expect(after).not.toContain('Ada beberapa layanan');
    // A wrong number says so and keeps a way back; a bare queue number asks for its day.
    expect(allText(await say('c-after', 'nomornya 99999999'))).toContain('99999999 tidak ditemukan');
    const bare = await say('c-after', 'A-001');
    expect(allText(bare)).toContain('tanggal layanannya');
    expect(choiceIds(bare)).toContain('menu');
    // A small number in a question is a day or a count, not a receipt.
    expect(allText(await say('c-day', 'paspor saya sudah jadi? saya daftar tgl 5'))).toContain('belum menemukan dokumen');
  });

  it('speaks the ready notice while the document waits, and falls back to the status once it is collected', async () => {
    const { engine, applied, pickups } = await setup();
    const p = await applied('c-notice', PASSPORT, 'loket-3');
    await pickups.markReady(p.reference);
    const notice = (await engine.push('telegram', 'c-notice', 'pickup_ready', { pickup: p.id, notice: 'pickup-ready' })).map((m) => m.text).join('\n');
    expect(notice).toContain('sudah jadi dan bisa diambil');
    expect(notice).toContain('Loket Imigrasi di MPP');
    expect(notice).toContain('Jam layanan MPP');
    const reminder = (await engine.push('telegram', 'c-notice', 'pickup_ready', { pickup: p.id, notice: 'pickup-uncollected' })).map((m) => m.text).join('\n');
    expect(reminder).toContain('belum diambil');
    await pickups.markCollected(p.reference);
    const late = (await engine.push('telegram', 'c-notice', 'pickup_ready', { pickup: p.id, notice: 'pickup-ready' })).map((m) => m.text).join('\n');
    expect(late).not.toContain('bisa diambil');
    expect(late).toContain('Sudah diambil');
  });
});
