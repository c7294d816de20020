import { InlineKeyboard } from 'grammy';
import { MAX_CHOICE_ID_BYTES, type Choice, type OutgoingMessage } from '../../message.js';

/** Bot API sendMessage: a text holds at most 4,096 characters. */
export const MAX_MESSAGE_CHARS = 4096;
/** Labels up to this many characters share a row with another short one (half a phone screen). */
export const SHORT_LABEL_CHARS = 20;

/** One sendMessage call: HTML text, and the keyboard when it is the last piece of a message. */
export interface TelegramPiece {
  html: string;
  keyboard?: InlineKeyboard;
}

/** Escapes text for parse_mode HTML: the Bot API needs only &, < and > replaced outside tags. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Length a piece of plain text takes once escaped: the measure pieces are cut by. */
function escapedLength(text: string): number {
  let n = text.length;
  for (const ch of text) {
    if (ch === '&') n += 4;
    else if (ch === '<' || ch === '>') n += 3;
  }
  return n;
}

/**
 * Cuts plain text into pieces that stay within `limit` characters even after escaping, at line
 * boundaries; a single line longer than the limit is cut at its last space (or hard, never inside
 * a surrogate pair). Blank pieces are dropped: Telegram refuses an empty message.
 */
export function splitText(text: string, limit = MAX_MESSAGE_CHARS): string[] {
  const pieces: string[] = [];
  let current: string | undefined;
  let size = 0;
  for (const line of text.split('\n')) {
    for (const part of cutLine(line, limit)) {
      const cost = escapedLength(part);
      if (current !== undefined && size + 1 + cost <= limit) {
        current += '\n' + part;
        size += 1 + cost;
      } else {
        if (current !== undefined) pieces.push(current);
        current = part;
        size = cost;
      }
    }
  }
  if (current !== undefined) pieces.push(current);
  return pieces.map((p) => p.replace(/\s+$/, '')).filter((p) => p.trim() !== '');
}

function cutLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (escapedLength(rest) > limit) {
    let end = 0;
    let cost = 0;
    for (const ch of rest) {
      const w = escapedLength(ch);
      if (cost + w > limit) break;
      cost += w;
      end += ch.length;
    }
    if (end === 0) end = rest.codePointAt(0)! > 0xffff ? 2 : 1;
    const space = rest.lastIndexOf(' ', end);
    const cut = space > end / 2 ? space : end;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut === space ? cut + 1 : cut);
  }
  parts.push(rest);
  return parts;
}

/** Buttons in rows: two short labels side by side, a long label alone. Invalid ids are dropped. */
export function keyboardRows(choices: readonly Choice[]): Choice[][] {
  // callback_data must be 1-64 bytes, or Telegram rejects the whole message.
  const valid = choices.filter((c) => c.id.length > 0 && Buffer.byteLength(c.id) <= MAX_CHOICE_ID_BYTES && c.label.trim() !== '');
  const short = (c: Choice) => [...c.label].length <= SHORT_LABEL_CHARS;
  const rows: Choice[][] = [];
  for (let i = 0; i < valid.length; ) {
    const first = valid[i]!;
    const second = valid[i + 1];
    if (second && short(first) && short(second)) {
      rows.push([first, second]);
      i += 2;
    } else {
      rows.push([first]);
      i += 1;
    }
  }
  return rows;
}

/** An engine message as sendMessage calls: escaped HTML pieces, the keyboard on the last one. */
export function renderMessage(message: OutgoingMessage): TelegramPiece[] {
  const rows = keyboardRows(message.choices ?? []);
  const keyboard = rows.length ? InlineKeyboard.from(rows.map((row) => row.map((c) => InlineKeyboard.text(c.label, c.id)))) : undefined;
  const texts = splitText(message.text);
  // A keyboard needs a message to hang on; the engine always writes text, this is a guard.
  if (texts.length === 0 && keyboard) texts.push('…');
  return texts.map((text, i) => ({ html: escapeHtml(text), ...(keyboard && i === texts.length - 1 ? { keyboard } : {}) }));
}
