/**
 * Makes the board's fallback voice clips once, offline, with espeak-ng (`apt-get install espeak-ng`):
 * `npm run board:voice`. The words come from locales/id/board.json (`js.voice`), the letters from
 * the queue group prefixes in content/mpp.yaml, so a new group or counter needs a re-run. Writes
 * 16 kHz mono 16-bit WAV files, silence trimmed, and `clips.json` (key -> file) that the board's
 * player reads, into src/http/board/public/voice/. The clips are committed: TVs never need espeak.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalogue } from '../catalogue/loader.js';
import { counterNumber } from '../http/board/snapshot.js';
import { runCli } from './run.js';

const OUT = path.join(import.meta.dirname, '..', 'http', 'board', 'public', 'voice');
const RATE = 16_000;
/** Slower than espeak's 175 words a minute: a hall echoes, and the listener may be far away. */
const WORDS_PER_MINUTE = '135';

interface VoiceWords {
  intro: string;
  go: string;
  digits: string;
  letters: string;
  ten: string;
  eleven: string;
  teen: string;
  tens: string;
}

/** The clips: `intro`, `go`, `d0`..`d9`, `n10`, `n11`, `teen`, `tens` and `letter-<x>` per group prefix. */
function clipTexts(words: VoiceWords, prefixes: string[]): Map<string, string> {
  const clips = new Map<string, string>([
    ['intro', words.intro],
    ['go', words.go],
    ['n10', words.ten],
    ['n11', words.eleven],
    ['teen', words.teen],
    ['tens', words.tens],
  ]);
  words.digits.split(/\s+/).forEach((word, digit) => clips.set(`d${digit}`, word));
  const letters = words.letters.split(/\s+/);
  for (const prefix of prefixes) {
    for (const ch of prefix.toLowerCase()) {
      const index = ch.charCodeAt(0) - 97;
      if (index >= 0 && index < 26) clips.set(`letter-${ch}`, letters[index] ?? ch);
      else if (/\d/.test(ch)) continue; // digits already have clips
      else throw new Error(`group prefix ${prefix}: no clip for "${ch}"`);
    }
  }
  return clips;
}

/** The PCM samples of a 16-bit mono WAV file (espeak-ng writes 22,050 Hz). */
function readWav(buf: Buffer): { rate: number; samples: Int16Array } {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let rate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    // espeak-ng writing to a file leaves the data size at 0x7fffffff when it cannot seek back.
    const size = Math.min(buf.readUInt32LE(offset + 4), buf.length - offset - 8);
    if (id === 'fmt ') {
      if (buf.readUInt16LE(offset + 8) !== 1 || buf.readUInt16LE(offset + 10) !== 1 || buf.readUInt16LE(offset + 22) !== 16) throw new Error('expected 16-bit mono PCM');
      rate = buf.readUInt32LE(offset + 12);
    } else if (id === 'data') {
      const data = buf.subarray(offset + 8, offset + 8 + size - (size % 2));
      return { rate, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('WAV without data');
}

/** Cuts leading and trailing silence (keeping 40 ms) and resamples linearly to `RATE`. */
function tidy(rate: number, samples: Int16Array): Int16Array {
  const loud = (s: number) => Math.abs(s) > 400;
  let start = samples.findIndex(loud);
  let end = samples.length - 1;
  while (end > 0 && !loud(samples[end]!)) end--;
  if (start < 0) throw new Error('silent clip');
  const margin = Math.round(rate * 0.04);
  start = Math.max(0, start - margin);
  end = Math.min(samples.length - 1, end + margin);
  const out = new Int16Array(Math.floor(((end - start) * RATE) / rate));
  for (let i = 0; i < out.length; i++) {
    const at = start + (i * rate) / RATE;
    const j = Math.floor(at);
    const k = Math.min(j + 1, end);
    out[i] = Math.round(samples[j]! + (samples[k]! - samples[j]!) * (at - j));
  }
  return out;
}

function writeWav(samples: Int16Array): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length * 2, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

async function main(): Promise<void> {
  const locale = JSON.parse(readFileSync('locales/id/board.json', 'utf8')) as { js: { voice: VoiceWords } };
  const catalogue = await loadCatalogue('content');
  const clips = clipTexts(
    locale.js.voice,
    catalogue.mpp.groups.map((g) => g.prefix),
  );
  const highest = Math.max(0, ...catalogue.mpp.counters.map((c) => counterNumber(c) ?? 0));
  const tmp = mkdtempSync(path.join(tmpdir(), 'board-voice-'));
  mkdirSync(OUT, { recursive: true });
  for (const file of readdirSync(OUT)) if (file.endsWith('.wav')) rmSync(path.join(OUT, file));
  const manifest: Record<string, string> = {};
  let bytes = 0;
  try {
    for (const [key, text] of clips) {
      const raw = path.join(tmp, `${key}.wav`);
      execFileSync('espeak-ng', ['-v', 'id', '-s', WORDS_PER_MINUTE, '-w', raw, text]);
      const { rate, samples } = readWav(readFileSync(raw));
      const wav = writeWav(tidy(rate, samples));
      writeFileSync(path.join(OUT, `${key}.wav`), wav);
      manifest[key] = `${key}.wav`;
      bytes += wav.length;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(path.join(OUT, 'clips.json'), JSON.stringify({ lang: 'id-ID', clips: manifest }, null, 2) + '\n');
  process.stdout.write(`${clips.size} clips, ${Math.round(bytes / 1024)} KiB in ${path.relative(process.cwd(), OUT)}\n`);
  // The player composes counter numbers from digits, "sepuluh", "sebelas", "belas", "puluh": 1 to 99.
  if (highest > 99) process.stderr.write(`counter ${highest}: numbers above 99 are read digit by digit\n`);
}

await runCli(main);
