import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, escapeHtml, keyboardRows, renderMessage, splitText } from '../../src/channels/telegram/render.js';

const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** Parse-mode HTML accepts only these entities and no raw < or >: our text has no tags at all. */
const validHtml = (html: string) => !/[<>]/.test(html) && !/&(?!amp;|lt;|gt;)/.test(html);

describe('Telegram rendering', () => {
  it('escapes &, < and > for parse_mode HTML', () => {
    expect(escapeHtml('KTP & KK <asli> > 1')).toBe('KTP &amp; KK &lt;asli&gt; &gt; 1');
  });

  it('keeps a short text in one piece', () => {
    expect(splitText('Halo\nApa kabar?')).toEqual(['Halo\nApa kabar?']);
  });

  it('splits a long text on line boundaries, each piece within 4,096 characters once escaped', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i + 1}. Fotokopi KTP & KK <wajib> untuk pemohon nomor ${i + 1}`);
    const text = lines.join('\n');
    const pieces = splitText(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(escapeHtml(piece).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      // Every piece is made of whole lines.
      for (const line of piece.split('\n')) expect(lines).toContain(line);
    }
    expect(pieces.join('\n')).toBe(text);
  });

  it('cuts a single line longer than the limit at a space, and hard when there is none', () => {
    const words = 'persyaratan '.repeat(500).trim();
    const pieces = splitText(words, 100);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(100);
    expect(pieces.join(' ')).toBe(words);
    const solid = 'x'.repeat(250);
    expect(splitText(solid, 100)).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(50)]);
  });

  it('never cuts an emoji in half', () => {
    const pieces = splitText('😀'.repeat(60), 11);
    for (const p of pieces) expect(p).toMatch(/^(😀)+$/u);
    expect(pieces.join('')).toBe('😀'.repeat(60));
  });

  it('drops blank pieces (Telegram refuses empty messages)', () => {
    expect(splitText('\n\n  \n')).toEqual([]);
    expect(splitText('a\n\n\n')).toEqual(['a']);
  });

  it('puts two short labels in a row and a long label alone', () => {
    const rows = keyboardRows([
      { id: 'search', label: 'Cari layanan' },
      { id: 'take', label: 'Ambil antrean' },
      { id: 's.dukcapil-kk', label: 'Kartu Keluarga (KK) baru karena pindah datang' },
      { id: 'info', label: 'Info MPP' },
      { id: 'menu', label: 'Menu' },
      { id: 'language', label: 'Bahasa' },
    ]);
    expect(rows.map((r) => r.map((c) => c.id))).toEqual([['search', 'take'], ['s.dukcapil-kk'], ['info', 'menu'], ['language']]);
  });

  it('drops a button whose callback data Telegram would refuse (over 64 bytes)', () => {
    const rows = keyboardRows([
      { id: 'x'.repeat(65), label: 'Too long' },
      { id: 'menu', label: 'Menu' },
    ]);
    expect(rows).toEqual([[{ id: 'menu', label: 'Menu' }]]);
  });

  it('renders escaped pieces with the keyboard on the last one only', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Baris ${i} <b>tebal?</b> & "kutip"`).join('\n');
    const pieces = renderMessage({ text, choices: [{ id: 'menu', label: 'Menu' }] });
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(validHtml(p.html)).toBe(true);
    expect(pieces.map((p) => unescape(p.html)).join('\n')).toBe(text);
    expect(pieces.slice(0, -1).every((p) => p.keyboard === undefined)).toBe(true);
    expect(pieces.at(-1)!.keyboard!.inline_keyboard).toEqual([[{ text: 'Menu', callback_data: 'menu' }]]);
  });
});
