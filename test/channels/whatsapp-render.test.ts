import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderMessage, renderTurn as renderCloudTurn, splitText, templateMessage, LIMITS } from '../../src/channels/whatsapp-cloud/render.js';
import { sameSecret, validSignature } from '../../src/channels/whatsapp-cloud/signature.js';
import { backoffDelay } from '../../src/channels/whatsapp-web/backoff.js';
import { numberedText, renderTurn, replyHint } from '../../src/channels/whatsapp-web/render.js';
import { SendPacer } from '../../src/channels/whatsapp-web/send-pacer.js';
import { fromCitizen } from '../../src/channels/whatsapp-web/index.js';
import { Translator } from '../../src/i18n.js';
import type { Choice } from '../../src/message.js';
import { incoming } from './fake-wweb-client.js';

const translator = await Translator.load('locales');
const hint = replyHint(translator, 'id');
const choices = (n: number, label = (i: number) => `Pilihan ${i}`): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: label(i + 1) }));

describe('WhatsApp Web rendering: numbered plain text', () => {
  it('numbers the choices and says how to answer', () => {
    const text = numberedText({ text: 'Mana yang Anda maksud?', choices: [{ id: 's.a', label: 'Cari persyaratan' }, { id: 's.b', label: 'Ambil antrean' }] }, hint);
    expect(text).toBe('Mana yang Anda maksud?\n\n1. Cari persyaratan\n2. Ambil antrean\n\nBalas dengan angka 1–2.');
    expect(numberedText({ text: 'x', choices: choices(1) }, hint)).toMatch(/Balas dengan angka 1\.$/);
    expect(numberedText({ text: 'x', choices: choices(5) }, replyHint(translator, 'en'))).toMatch(/Reply with a number 1–5\.$/);
  });

  it('adds no markup and escapes nothing: labels reach WhatsApp as written', () => {
    const text = numberedText({ text: 'Biaya Rp30.000 *PNBP* _resmi_', choices: [{ id: 'a', label: 'KTP-el <baru> & "rusak"' }] }, hint);
    expect(text).toContain('Biaya Rp30.000 *PNBP* _resmi_');
    expect(text).toContain('1. KTP-el <baru> & "rusak"');
    expect(text.replace('*PNBP*', '').replace('_resmi_', '')).not.toMatch(/[*_~`]/);
  });

  it('joins a turn into one message and numbers only the last message\'s choices', () => {
    const text = renderTurn([{ text: 'Halo!', choices: choices(2) }, { text: 'Pilih layanan:', choices: choices(3) }], hint);
    expect(text).toBe('Halo!\n\nPilih layanan:\n\n1. Pilihan 1\n2. Pilihan 2\n3. Pilihan 3\n\nBalas dengan angka 1–3.');
    expect(renderTurn([{ text: 'Selesai.' }], hint)).toBe('Selesai.');
  });

  it('takes messages only from one-to-one chats with someone else', () => {
    expect(fromCitizen(incoming({ from: '6281234567890@c.us' }))).toBe(true);
    expect(fromCitizen(incoming({ from: '123456789012345@lid' }))).toBe(true);
    expect(fromCitizen(incoming({ from: '120363000000000001@g.us' }))).toBe(false);
    expect(fromCitizen(incoming({ from: 'status@broadcast' }))).toBe(false);
    expect(fromCitizen(incoming({ from: '120363000000000002@newsletter' }))).toBe(false);
    expect(fromCitizen(incoming({ from: '6281234567890@c.us', fromMe: true }))).toBe(false);
  });
});

describe('WhatsApp Cloud rendering: buttons, list, or numbered text', () => {
  const labels = { hint, listButton: translator.t('id', 'whatsapp.list_button') };

  it('uses reply buttons for up to 3 short choices', () => {
    const [m] = renderMessage({ text: 'Yakin?', choices: [{ id: 'yes', label: 'Ya, batalkan' }, { id: 'no', label: 'Tidak jadi' }, { id: 'menu', label: 'Menu utama' }] }, labels);
    expect(m).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Yakin?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Ya, batalkan' } }, { type: 'reply', reply: { id: 'no', title: 'Tidak jadi' } }, { type: 'reply', reply: { id: 'menu', title: 'Menu utama' } }] },
      },
    });
  });

  it('uses a list when a button title would be over 20 characters, or for 4 to 10 choices', () => {
    const long = renderMessage({ text: 'Ambil?', choices: [{ id: 'take', label: 'Ambil antrean untuk layanan ini' }] }, labels)[0]!;
    expect(long.type === 'interactive' && long.interactive.type).toBe('list');
    const ten = renderMessage({ text: 'Pilih:', choices: choices(10, (i) => (i === 1 ? 'Info MPP (jam buka, alamat, fasilitas, kontak)' : `Pilihan ${i}`)) }, labels)[0]!;
    if (ten.type !== 'interactive' || ten.interactive.type !== 'list') throw new Error('expected a list');
    const rows = ten.interactive.action.sections[0]!.rows;
    expect(rows).toHaveLength(10);
    expect(ten.interactive.action.button).toBe('Lihat pilihan');
    expect(rows[0]).toEqual({ id: 'c1', title: 'Info MPP (jam buka, ala…', description: 'Info MPP (jam buka, alamat, fasilitas, kontak)' });
    expect(rows[1]).toEqual({ id: 'c2', title: 'Pilihan 2' });
    for (const r of rows) expect([...r.title].length).toBeLessThanOrEqual(LIMITS.rowTitle);
  });

  it('falls back to numbered text for more than 10 choices or a body over 1,024 characters', () => {
    const [many] = renderMessage({ text: 'Instansi:', choices: choices(11) }, labels);
    expect(many).toEqual({ type: 'text', text: { body: expect.stringContaining('11. Pilihan 11\n\nBalas dengan angka 1–11.'), preview_url: false } });
    const [long] = renderMessage({ text: 'x'.repeat(1025), choices: choices(2) }, labels);
    expect(long!.type).toBe('text');
    expect(renderMessage({ text: 'y'.repeat(1024), choices: choices(2) }, labels)[0]!.type).toBe('interactive');
  });

  it('splits text over 4,096 characters at line breaks', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Baris ${i} ${'isi '.repeat(5).trim()}`).join('\n');
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(text);
    expect(splitText('a'.repeat(5000), 4096).map((p) => p.length)).toEqual([4096, 904]);
  });

  it('keeps choices only on the last message of a turn', () => {
    const out = renderCloudTurn([{ text: 'Halo!', choices: choices(2) }, { text: 'Pilih:', choices: choices(2) }], labels);
    expect(out.map((m) => m.type)).toEqual(['text', 'interactive']);
  });

  it('puts a notice on one line in a template parameter', () => {
    const t = templateMessage('pengingat_antrean', 'id', { text: '📢 Nomor A-001 dipanggil!\nSilakan ke Loket 1.', choices: [{ id: 'on-my-way', label: 'Saya menuju loket' }] }, hint);
    expect(t).toEqual({
      type: 'template',
      template: { name: 'pengingat_antrean', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '📢 Nomor A-001 dipanggil! · Silakan ke Loket 1. · 1. Saya menuju loket · Balas dengan angka 1.' }] }] },
    });
  });
});

describe('webhook signature', () => {
  const secret = 'test-app-secret';
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[],"emoji":"😀"}');
  const sign = (b: Buffer, s = secret) => `sha256=${createHmac('sha256', s).update(b).digest('hex')}`;

  it('accepts the HMAC of the raw bytes and nothing else', () => {
    expect(validSignature(body, sign(body), secret)).toBe(true);
    expect(validSignature(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
    expect(validSignature(body, sign(body, 'other-secret'), secret)).toBe(false);
    expect(validSignature(Buffer.from(JSON.stringify(JSON.parse(body.toString()))), sign(body), secret)).toBe(true);
    expect(validSignature(Buffer.concat([body, Buffer.from(' ')]), sign(body), secret)).toBe(false);
    expect(validSignature(body, undefined, secret)).toBe(false);
    expect(validSignature(body, 'sha256=abc', secret)).toBe(false);
    expect(validSignature(body, sign(body).replace('sha256=', 'sha1='), secret)).toBe(false);
  });

  it('compares verify tokens of any length', () => {
    expect(sameSecret('token', 'token')).toBe(true);
    expect(sameSecret('token', 'token2')).toBe(false);
    expect(sameSecret('', 'token')).toBe(false);
  });
});

describe('pacing and backoff', () => {
  it('sends at most N per window, in order, waiting instead of dropping', async () => {
    const pacer = new SendPacer(3, 200);
    const done: Array<{ i: number; at: number }> = [];
    const start = Date.now();
    await Promise.all(Array.from({ length: 7 }, (_, i) => pacer.run(() => Promise.resolve(void done.push({ i, at: Date.now() - start })))));
    expect(done.map((d) => d.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Any 200 ms window holds at most 3 sends.
    for (let k = 3; k < done.length; k++) expect(done[k]!.at - done[k - 3]!.at).toBeGreaterThanOrEqual(195);
  });

  it('keeps going after a failed send', async () => {
    const pacer = new SendPacer(10, 1000);
    await expect(pacer.run(() => Promise.reject(new Error('Session closed')))).rejects.toThrow('Session closed');
    await expect(pacer.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('doubles waits up to the cap, with jitter down to half', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 5000, 300_000, () => 1))).toEqual([5000, 10_000, 20_000, 40_000, 300_000]);
    expect(backoffDelay(0, 5000, 300_000, () => 0)).toBe(2500);
    expect(backoffDelay(1000, 5000, 300_000, () => 1)).toBe(300_000);
  });
});
