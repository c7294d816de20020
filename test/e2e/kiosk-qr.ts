/**
 * A small, independent QR reader for the kiosk test: reads the text (byte, alphanumeric and numeric segments) from a clean module
 * matrix (versions 1-6, error correction level M, as the tracking QR uses). It shares no code with
 * the `qrcode` package that draws the QR, so a match proves what the printed code says.
 */

/** Data blocks at level M: [blocks, data codewords per block] (ISO/IEC 18004, table 9). */
const LEVEL_M: Record<number, [number, number]> = { 1: [1, 16], 2: [1, 28], 3: [1, 44], 4: [2, 32], 5: [2, 43], 6: [4, 27] };
const MASKS: Array<(i: number, j: number) => boolean> = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** `dark[row][col]`, without the quiet zone. */
export function readQr(dark: boolean[][]): string {
  const size = dark.length;
  const version = (size - 17) / 4;
  const blocks = LEVEL_M[version];
  if (!Number.isInteger(version) || !blocks) throw new Error(`unsupported QR size ${size}`);
  const reserved = (r: number, c: number): boolean => {
    const inFinder = (r0: number, c0: number) => r >= r0 && r < r0 + 8 && c >= c0 && c < c0 + 8;
    if (inFinder(0, 0) || inFinder(0, size - 8) || inFinder(size - 8, 0)) return true;
    if (r === 6 || c === 6) return true;
    if ((r === 8 && (c <= 8 || c >= size - 8)) || (c === 8 && (r <= 8 || r >= size - 8))) return true;
    const p = 4 * version + 10;
    return version >= 2 && Math.abs(r - p) <= 2 && Math.abs(c - p) <= 2;
  };
  // Format: 15 bits down column 8, XOR 0x5412; the top 5 are level (2) and mask (3).
  let format = 0;
  for (let i = 0; i < 15; i++) {
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    if (dark[row]![8]) format |= 1 << i;
  }
  format ^= 0x5412;
  const level = format >> 13;
  if (level !== 0) throw new Error(`expected error correction level M, got indicator ${level}`);
  const mask = MASKS[(format >> 10) & 7]!;
  const bits: number[] = [];
  let up = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let n = 0; n < size; n++) {
      const row = up ? size - 1 - n : n;
      for (const c of [col, col - 1]) if (!reserved(row, c)) bits.push(Number(dark[row]![c]! !== mask(row, c)));
    }
    up = !up;
  }
  const codewords: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) codewords.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  const [count, per] = blocks;
  const data: number[] = [];
  for (let b = 0; b < count; b++) for (let k = 0; k < per; k++) data.push(codewords[k * count + b]!);
  const stream = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >> (7 - i)) & 1));
  const take = (from: number, n: number) => stream.slice(from, from + n).reduce((a, b) => (a << 1) | b, 0);
  // Segments (versions 1-9 count lengths): byte 0100 / 8 bits, alphanumeric 0010 / 9, numeric 0001 / 10; 0000 ends.
  let text = '';
  let at = 0;
  while (at + 4 <= stream.length) {
    const mode = take(at, 4);
    at += 4;
    if (mode === 0) break;
    if (mode === 0b0100) {
      const length = take(at, 8);
      at += 8;
      text += Buffer.from(Array.from({ length }, (_, i) => take(at + 8 * i, 8))).toString('latin1');
      at += 8 * length;
    } else if (mode === 0b0010) {
      let length = take(at, 9);
      at += 9;
      for (; length >= 2; length -= 2, at += 11) text += ALNUM[Math.floor(take(at, 11) / 45)]! + ALNUM[take(at, 11) % 45]!;
      if (length === 1) {
        text += ALNUM[take(at, 6)]!;
        at += 6;
      }
    } else if (mode === 0b0001) {
      let length = take(at, 10);
      at += 10;
      for (; length >= 3; length -= 3, at += 10) text += String(take(at, 10)).padStart(3, '0');
      if (length === 2) {
        text += String(take(at, 7)).padStart(2, '0');
        at += 7;
      } else if (length === 1) {
        text += String(take(at, 4));
        at += 4;
      }
    } else {
      throw new Error(`unsupported segment mode ${mode}`);
    }
  }
  return text;
}
