import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { numberedText } from '../../src/channels/whatsapp-web/render.js';
import { renderMessage } from '../../src/channels/whatsapp-cloud/render.js';
import { allText, choiceIds, MONDAY_9AM, testEngine, testRedis } from '../helpers.js';

/** The session as stored (JSON of the engine's session). */
const stored = async (key: string) => JSON.parse((await testRedis().get(key)) ?? '{}') as { vars: Record<string, unknown> };
const user = () => ({ channel: 'test', userKey: `warga-${Math.random()}` });
const plan = (text: string) => text.slice(text.indexOf('Rencana kunjungan'));

describe('a visit plan in the conversation (issue 13)', () => {
  it('turns "perpanjang sim sama bayar pajak motor sekalian" into one plan: steps, one checklist, time, choices', async () => {
    const { engine } = await testEngine();
    const u = user();
    const reply = await engine.handle({ ...u, text: 'mau perpanjang sim sama bayar pajak motor sekalian' });
    const text = plan(allText(reply));
    expect(text).toContain('Rencana kunjungan Anda (2 layanan)');
    expect(text).toMatch(/1\. Perpanjangan SIM[\s\S]*Loket 5 Satpas SIM[\s\S]*2\. Pajak kendaraan tahunan[\s\S]*Loket 6 Samsat/);
    // KTP-el once, for both services.
    expect(text.match(/^- KTP-el.*$/gm)).toEqual(['- KTP-el asli + fotokopi: Perpanjangan SIM A dan C, Pajak kendaraan tahunan (pengesahan STNK)']);
    expect(text).toMatch(/Perkiraan selesai pukul \d\d\.\d\d/);
    // The note's prerequisite (balik nama for a used vehicle) is one tap away, then the fixed choices.
    expect(choiceIds(reply)).toEqual(['s.samsat-balik-nama', 'take-all', 'add', 'one-by-one', 'menu']);
  });

  it('reads the waits from the live queue: people already waiting push the finishing time', async () => {
    const { engine, queue } = await testEngine();
    const u = user();
    const empty = allText(await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' }));
    for (let i = 0; i < 4; i++) await queue!.take({ serviceId: 'polri-sim-perpanjangan', citizen: { channel: 'test', userKey: `before-${i}` }, source: 'test' });
    const busy = allText(await engine.handle({ ...user(), text: 'perpanjang sim dan bayar pajak motor' }));
    expect(empty).toContain('Antre ±0 menit (0 orang)');
    expect(busy).toMatch(/Antre ±\d+ menit \(4 orang\)/);
    const finish = (t: string) => t.match(/selesai pukul (\d\d)\.(\d\d)/)!.slice(1).join(':');
    expect(finish(busy) > finish(empty)).toBe(true);
  });

  it('warns when a quota is nearly gone and when the MPP closes before the last step', async () => {
    const clock = new ManualClock(new Date('2026-11-23T07:30:00Z')); // Monday 14:30 WIB, closes 15:00
    const { engine, queue } = await testEngine({ clock });
    for (let i = 0; i < 37; i++) await queue!.take({ serviceId: 'bnn-skhpn', citizen: { channel: 'test', userKey: `q-${i}` }, source: 'test' });
    const text = allText(await engine.handle({ ...user(), text: 'skck baru dan surat bebas narkoba' }));
    expect(text).toContain('Kuota Surat Keterangan Hasil Pemeriksaan Narkotika (SKHPN) tinggal 3');
    expect(text).toMatch(/MPP tutup pukul 15\.00/);
  });

  it('plans the move in order: SKPWNI, then the changed KK, then the KTP-el, the KK marked as made on the way', async () => {
    const { engine } = await testEngine();
    const text = plan(allText(await engine.handle({ ...user(), text: 'pindah datang, kk, ktp' })));
    expect(text).toMatch(/1\. Surat pindah[\s\S]*2\. Perubahan[^\n]*KK|1\. Surat pindah[\s\S]*2\. [^\n]*Kartu Keluarga/);
    expect(text).toMatch(/3\. [^\n]*KTP-el/);
    expect(text).toMatch(/Setelah langkah 1[\s\S]*Setelah langkah 2/);
    expect(text).toContain('Didapat selama kunjungan');
    expect(text).toMatch(/KK yang sudah diperbarui: dari langkah 2, untuk langkah 3/);
  });

  it('adds a service after a card ("sekalian ... juga"), and a variant picked after "tambah skck"', async () => {
    const { engine } = await testEngine();
    const u = user();
    const card = await engine.handle({ ...u, text: 'syarat perpanjang sim' });
    expect(allText(card)).not.toContain('Rencana kunjungan');
    const two = allText(await engine.handle({ ...u, text: 'sekalian bayar pajak motor juga' }));
    expect(two).toContain('Rencana kunjungan Anda (2 layanan)');
    const which = await engine.handle({ ...u, text: 'tambah skck' });
    expect(allText(which)).toContain('Yang mana');
    const skckBaru = which.messages.at(-1)!.choices!.find((c) => c.label === 'SKCK baru')!;
    const three = allText(await engine.handle({ ...u, choice: skckBaru.id }));
    expect(three).toContain('Rencana kunjungan Anda (3 layanan)');
    expect(three).toMatch(/\d\. SKCK baru/);
    const again = allText(await engine.handle({ ...u, text: 'sekalian bayar pajak motor' }));
    expect(again).toContain('sudah ada di rencana');
    expect(again).toContain('Rencana kunjungan Anda (3 layanan)');
  });

  it('a service the notes name is added with one tap', async () => {
    const { engine } = await testEngine();
    const u = user();
    const reply = await engine.handle({ ...u, text: 'skck baru dan npwp' });
    const bnn = reply.messages.at(-1)!.choices!.find((c) => c.label.startsWith('Tambah: Surat Keterangan Hasil Pemeriksaan Narkotika'))!;
    const three = allText(await engine.handle({ ...u, choice: bnn.id }));
    expect(three).toContain('Rencana kunjungan Anda (3 layanan)');
    expect(three).not.toContain('Sering sekalian');
  });

  it('keeps the requested ids in the session (visitServices) and forgets them at the menu', async () => {
    const { engine, prefix } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const key = `${prefix}:sess:${SessionStore.subject(u.channel, u.userKey)}`;
    expect((await stored(key)).vars.visitServices).toEqual(['polri-sim-perpanjangan', 'samsat-pajak-tahunan']);
    await engine.handle({ ...u, text: 'menu' });
    expect((await stored(key)).vars.visitServices).toBeUndefined();
    // A fresh card after the menu is not added to the old plan.
    await engine.handle({ ...u, text: 'syarat npwp' });
    const single = allText(await engine.handle({ ...u, text: 'syarat nib' }));
    expect(single).not.toContain('Rencana kunjungan');
  });

  it('an add word inside a service name is no add: "tambah daya listrik" after the SIM card opens PLN', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'syarat perpanjang sim' });
    const reply = allText(await engine.handle({ ...u, text: 'tambah daya listrik' }));
    expect(reply).not.toContain('Rencana kunjungan');
    expect(reply).toContain('daya');
  });

  it('"Tambah layanan": asks, says so when nothing matches, adds what is typed next', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'skck dan surat bebas narkoba' });
    const ask = await engine.handle({ ...u, choice: 'add' });
    expect(allText(ask)).toContain('Layanan apa yang ingin ditambahkan');
    expect(choiceIds(ask)).toEqual(['plan', 'menu']);
    const nothing = await engine.handle({ ...u, text: 'qwzx plorp' });
    expect(allText(nothing)).toContain('belum menemukan layanan');
    expect(choiceIds(nothing)).toEqual(['plan', 'menu']);
    const three = allText(await engine.handle({ ...u, text: 'npwp' }));
    expect(three).toContain('Rencana kunjungan Anda (3 layanan)');
    expect(three).toContain('NPWP');
  });

  it('"Lihat satu per satu" lists each service; a card opened from it leads back to the plan', async () => {
    const { engine } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const list = await engine.handle({ ...u, choice: 'one-by-one' });
    const sim = list.messages.at(-1)!.choices!.find((c) => c.label.startsWith('Perpanjangan SIM'))!;
    const card = await engine.handle({ ...u, choice: sim.id });
    expect(allText(card)).toContain('Persyaratan');
    expect(choiceIds(card)).toContain('plan');
    const back = allText(await engine.handle({ ...u, choice: 'plan' }));
    expect(back).toContain('Rencana kunjungan Anda (2 layanan)');
  });

  it('on WhatsApp the choices become numbered text, and a typed number picks one', async () => {
    const { engine } = await testEngine();
    const u = user();
    const reply = await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const whatsapp = numberedText(reply.messages.at(-1)!, (n) => `Balas dengan angka 1-${n}.`);
    expect(whatsapp).toMatch(/1\. Tambah: Balik nama[^\n]*\n2\. Ambil antrean untuk semua\n3\. Tambah layanan\n4\. Lihat satu per satu\n5\. Menu utama/);
    // The Cloud API: a plan is longer than an interactive body, so it goes as text with the numbers too.
    const cloud = renderMessage(reply.messages.at(-1)!, { hint: (n) => `Balas 1-${n}.`, listButton: 'Pilihan' });
    expect(cloud.every((m) => m.type === 'text')).toBe(true);
    expect(JSON.stringify(cloud)).toContain('2. Ambil antrean untuk semua');
    const list = allText(await engine.handle({ ...u, text: '4' }));
    expect(list).toContain('Perpanjangan SIM');
  });

  it('a plan with services the catalogue no longer knows starts again from the search', async () => {
    const { engine, prefix } = await testEngine();
    const u = user();
    await engine.handle({ ...u, text: 'perpanjang sim dan bayar pajak motor' });
    const key = `${prefix}:sess:${SessionStore.subject(u.channel, u.userKey)}`;
    const session = await stored(key);
    session.vars.visitServices = ['no-such-service', 'gone-too'];
    await testRedis().set(key, JSON.stringify(session));
    const reply = allText(await engine.handle({ ...u, choice: 'one-by-one' }));
    expect(reply).not.toContain('Rencana kunjungan');
  });

  it('English: the plan in English words', async () => {
    const { engine } = await testEngine({ clock: new ManualClock(MONDAY_9AM) });
    const reply = await engine.handle({ ...user(), text: 'renew my driving licence and pay my car tax' });
    expect(allText(reply)).toMatch(/1\. [^\n]*[Dd]riving/);
    expect(reply.messages.at(-1)!.choices!.map((c) => c.label)).toContain('Add a service');
  });
});
