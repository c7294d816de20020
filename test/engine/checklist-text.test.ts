import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { allText, choiceIds } from '../helpers.js';
import { citizen, intentEngine } from './intent-engine.js';

/** Question, "take", confirm: the first checklist item is shown. */
async function atChecklist(engine: Engine, u: { channel: string; userKey: string }, question: string) {
  await engine.handle({ ...u, text: question });
  await engine.handle({ ...u, choice: 'take' });
  const step = await engine.handle({ ...u, choice: 'confirm' });
  expect(allText(step)).toContain('Cek dokumen 1 dari');
}

describe('typing in the documents checklist', () => {
  it('"udah semua" is the all-ready choice: the ticket is issued', async () => {
    const { engine, queue, catalogue } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'paspor baru');
    const card = await engine.handle({ ...u, text: 'udah semua' });
    expect(allText(card)).toContain('Nomor antrean: B-001');
    const n = catalogue.services.get('imigrasi-paspor-baru')!.requirements.length;
    expect((await queue.activeTickets(u.channel, u.userKey))[0]!.checklist).toMatchObject({ ready: Array.from({ length: n }, (_, i) => i), missing: [] });
  });

  it('"yg kk belum" marks the KK missing, the rest ready, and shows the review', async () => {
    const { engine, queue, catalogue } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'paspor baru');
    const review = await engine.handle({ ...u, text: 'yg kk belum' });
    const requirements = catalogue.services.get('imigrasi-paspor-baru')!.requirements;
    expect(allText(review)).toContain('belum siap');
    expect(allText(review)).toContain(requirements[1]!.id);
    expect(allText(review)).not.toContain(requirements[0]!.id);
    expect(choiceIds(review)).toEqual(['issue', 'menu']);
    await engine.handle({ ...u, choice: 'issue' });
    const [ticket] = await queue.activeTickets(u.channel, u.userKey);
    expect(ticket!.checklist!.missing).toEqual([1]);
    expect(ticket!.checklist!.ready).toEqual(requirements.map((_, i) => i).filter((i) => i !== 1));
  });

  it('keeps an answer already given when a document is named later', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'skck baru');
    await engine.handle({ ...u, text: 'belum' }); // item 1 (KTP) missing
    await engine.handle({ ...u, text: 'kurang pas foto' });
    await engine.handle({ ...u, choice: 'issue' });
    expect((await queue.activeTickets(u.channel, u.userKey))[0]!.checklist!.missing).toEqual([0, 3]);
  });

  it('"belum semua" goes on one document at a time', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'ktp baru');
    const out = await engine.handle({ ...u, text: 'belum semua' });
    expect(out.messages.map((m) => m.text)[0]).toBe('Baik, kita cek satu per satu.');
    expect(allText(out)).toContain('Cek dokumen 1 dari');
    expect(choiceIds(out)).toEqual(['ready', 'missing', 'all-ready', 'menu']);
  });

  it('says so when the document named is not on the list, and stays on the item', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'paspor baru');
    const out = await engine.handle({ ...u, text: 'yg sertifikat tanah belum' });
    expect(allText(out)).toContain('belum tahu dokumen mana');
    expect(allText(out)).toContain('Cek dokumen 1 dari');
  });

  it('works in English', async () => {
    const { engine, catalogue } = await intentEngine();
    const u = await citizen(engine, 'en');
    await engine.handle({ ...u, text: 'new passport' });
    await engine.handle({ ...u, choice: 'take' });
    await engine.handle({ ...u, choice: 'confirm' });
    const review = await engine.handle({ ...u, text: 'the family card is missing' });
    expect(allText(review)).toContain(catalogue.services.get('imigrasi-paspor-baru')!.requirements[1]!.en);
  });

  it('leaves any other text to the default text action (a question mid-checklist gets an answer)', async () => {
    const { engine, queue } = await intentEngine();
    const u = await citizen(engine);
    await atChecklist(engine, u, 'paspor baru');
    const out = await engine.handle({ ...u, text: 'syarat perpanjang skck' });
    expect(allText(out)).toContain('Perpanjangan SKCK');
    expect(allText(out)).not.toContain('Cek dokumen');
    expect(await queue.activeTickets(u.channel, u.userKey)).toEqual([]);
  });
});
