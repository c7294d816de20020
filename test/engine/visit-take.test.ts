import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { allText, choiceIds, testEngine } from '../helpers.js';

const user = () => ({ channel: 'test', userKey: `warga-${Math.random()}` });
const SIM = 'polri-sim-perpanjangan';
const TAX = 'samsat-pajak-tahunan';

async function planned(text = 'mau perpanjang sim sama bayar pajak motor sekalian') {
  const t = await testEngine();
  const u = user();
  const reply = await t.engine.handle({ ...u, text });
  return { ...t, u, reply };
}

describe('taking every ticket of a visit from the plan (issue 13)', () => {
  it('"Ambil antrean untuk semua" takes chained tickets: step 1 waits now, step 2 follows with its place kept', async () => {
    const { engine, queue, u, reply } = await planned();
    expect(choiceIds(reply).slice(-4)).toEqual(['take-all', 'add', 'one-by-one', 'menu']);
    const taken = await engine.handle({ ...u, choice: 'take-all' });
    const text = allText(taken);
    expect(text).toMatch(/Langkah 1 dari 2: [A-Z]-\d{3} · Perpanjangan SIM/);
    expect(text).toMatch(/Langkah 2 dari 2: [A-Z]-\d{3} · Pajak kendaraan/);
    expect(text).toContain('Menyusul setelah langkah 1');
    expect(choiceIds(taken)).toEqual(['status', 'cancel-ticket', 'menu']);
    const tickets = await queue!.activeTickets(u.channel, u.userKey);
    expect(tickets.map((t) => [t.serviceId, t.visit?.step, t.visit?.held])).toEqual([
      [SIM, 1, false],
      [TAX, 2, true],
    ]);
    const status = allText(await engine.handle({ ...u, choice: 'status' }));
    expect(status).toContain('Langkah 2 dari 2');
  });

  it('typed words and a plain "ya" at the plan take them too; asking twice gives the same visit', async () => {
    const { engine, queue, u } = await planned();
    const typed = allText(await engine.handle({ ...u, text: 'ambil semua ya' }));
    expect(typed).toContain('Langkah 1 dari 2');
    await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const again = allText(await engine.handle({ ...u, text: 'ya' }));
    expect(again).toContain('sudah terdaftar sebelumnya');
    expect(await queue!.activeTickets(u.channel, u.userKey)).toHaveLength(2);
  });

  it('the global words "ambil antrean" with a plan in context take the plan\'s tickets', async () => {
    const { engine, u } = await planned();
    const taken = allText(await engine.handle({ ...u, text: 'ambil antrean' }));
    expect(taken).toContain('Langkah 2 dari 2');
  });

  it('a full quota refuses the whole visit, names the service and offers each card', async () => {
    const { engine, queue } = await testEngine();
    for (let i = 0; i < 40; i++) await queue!.take({ serviceId: 'bnn-skhpn', citizen: { channel: 'test', userKey: `q-${i}` }, source: 'test' });
    const u = user();
    await engine.handle({ ...u, text: 'skck baru dan surat bebas narkoba' });
    const refused = await engine.handle({ ...u, choice: 'take-all' });
    expect(allText(refused)).toMatch(/kuota Surat Keterangan Hasil Pemeriksaan Narkotika \(SKHPN\) hari ini sudah habis/);
    expect(choiceIds(refused)).toEqual(['plan', 'one-by-one', 'menu']);
    expect(await queue!.activeTickets(u.channel, u.userKey)).toEqual([]);
  });

  it('when the MPP is closed it says when it opens again', async () => {
    const { engine } = await testEngine({ clock: new ManualClock(new Date('2026-11-22T03:00:00Z')) }); // Sunday
    const u = user();
    await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const refused = allText(await engine.handle({ ...u, choice: 'take-all' }));
    expect(refused).toMatch(/MPP sedang tutup\. MPP buka kembali/);
  });

  it('holding a ticket for one of the services already: says so and leads to it', async () => {
    const { engine, queue, u } = await planned();
    await queue!.take({ serviceId: TAX, citizen: u, source: 'test' });
    const refused = await engine.handle({ ...u, choice: 'take-all' });
    expect(allText(refused)).toContain('sudah memegang antrean untuk Pajak kendaraan tahunan');
    expect(choiceIds(refused)).toContain('status-held');
  });

  it('cancelling step 1 asks "Batalkan juga langkah berikutnya?"; yes cancels the rest', async () => {
    const { engine, queue, u } = await planned();
    await engine.handle({ ...u, choice: 'take-all' });
    const which = await engine.handle({ ...u, text: 'batalkan antrean' });
    const first = which.messages.at(-1)!.choices!.find((c) => c.label.includes('Perpanjangan SIM'))!;
    await engine.handle({ ...u, choice: first.id });
    const ask = await engine.handle({ ...u, choice: 'yes' });
    expect(allText(ask)).toMatch(/sudah dibatalkan[\s\S]*Batalkan juga langkah berikutnya\?[\s\S]*Pajak kendaraan/);
    expect(choiceIds(ask)).toEqual(['cancel-rest', 'keep-rest', 'menu']);
    const done = allText(await engine.handle({ ...u, text: 'ya' }));
    expect(done).toContain('Langkah berikutnya juga sudah dibatalkan (1 antrean)');
    expect(await queue!.activeTickets(u.channel, u.userKey)).toEqual([]);
  });

  it('"tidak" keeps the rest, and the next step is callable at once', async () => {
    const { engine, queue, u } = await planned();
    await engine.handle({ ...u, choice: 'take-all' });
    const which = await engine.handle({ ...u, text: 'batalkan antrean' });
    const first = which.messages.at(-1)!.choices!.find((c) => c.label.includes('Perpanjangan SIM'))!;
    await engine.handle({ ...u, choice: first.id });
    await engine.handle({ ...u, choice: 'yes' });
    const kept = allText(await engine.handle({ ...u, text: 'tidak' }));
    expect(kept).toContain('Pajak kendaraan');
    const [tax] = await queue!.activeTickets(u.channel, u.userKey);
    expect(tax).toMatchObject({ serviceId: TAX, visit: { held: false } });
  });

  it('a "Selanjutnya" notice released by that cancel says where to go and asks about the rest again; after "tidak" it is a plain notice', async () => {
    const { engine, queue, u } = await planned();
    await engine.handle({ ...u, choice: 'take-all' });
    const [sim, tax] = await queue!.activeTickets(u.channel, u.userKey);
    const which = await engine.handle({ ...u, text: 'batalkan antrean' });
    await engine.handle({ ...u, choice: which.messages.at(-1)!.choices!.find((c) => c.label.includes(sim!.number))!.id });
    await engine.handle({ ...u, choice: 'yes' });
    const pushed = await engine.push(u.channel, u.userKey, 'ticket_near', { ticket: tax!.id, notice: 'next-step' });
    const text = pushed.map((m) => m.text).join('\n');
    expect(text).toMatch(/Selanjutnya: Pajak kendaraan tahunan \(pengesahan STNK\), Loket 6 Samsat/);
    expect(text).toContain('Batalkan juga langkah berikutnya?');
    await engine.handle({ ...u, text: 'tidak' });
    const plain = await engine.push(u.channel, u.userKey, 'ticket_near', { ticket: tax!.id, notice: 'next-step' });
    expect(plain.map((m) => m.text).join('\n')).toMatch(/Selanjutnya[\s\S]*Langkah 2 dari 2/);
    expect(plain.at(-1)!.choices!.map((c) => c.id)).toContain('on-my-way');
  });

  it('the move: cancelling the KK step names the KTP-el step that needs it', async () => {
    const { engine, u } = await planned('pindah datang, kk, ktp');
    // Three steps count three of the daily limit (policy maxPerDay 3).
    const taken = allText(await engine.handle({ ...u, choice: 'take-all' }));
    expect(taken).toContain('Langkah 3 dari 3');
    // All three at the Dukcapil counters: the citizen's own earlier steps are not "people ahead".
    expect(taken.match(/\(0 orang lain di depan saat ini\)/g)).toHaveLength(2);
    const which = await engine.handle({ ...u, text: 'batalkan antrean' });
    const kk = which.messages.at(-1)!.choices!.find((c) => /Kartu Keluarga|KK/.test(c.label))!;
    await engine.handle({ ...u, choice: kk.id });
    const ask = allText(await engine.handle({ ...u, choice: 'yes' }));
    expect(ask).toMatch(/Catatan: [^\n]*KTP-el[^\n]*sebaiknya ikut dibatalkan/);
  });
});
