import type { OutgoingMessage } from '../../message.js';
import { numberedText, type ReplyHint } from '../whatsapp-web/render.js';

/** Limits of the Cloud API's messages (Meta's interactive-message and text docs). */
export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  listButton: 20,
  templateParameter: 1024,
};

export type GraphMessage =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | {
      type: 'interactive';
      interactive:
        | { type: 'button'; body: { text: string }; action: { buttons: Array<{ type: 'reply'; reply: { id: string; title: string } }> } }
        | { type: 'list'; body: { text: string }; action: { button: string; sections: Array<{ rows: Array<{ id: string; title: string; description?: string }> }> } };
    }
  | { type: 'template'; template: { name: string; language: { code: string }; components: Array<{ type: 'body'; parameters: Array<{ type: 'text'; text: string }> }> } };

export interface RenderLabels {
  hint: ReplyHint;
  /** Text of the button that opens a list ("Lihat pilihan"). */
  listButton: string;
}

/**
 * A turn as Cloud API messages. The last message's choices become reply buttons (up to 3 short
 * labels), a list (up to 10), or a numbered text (more, or a body too long for interactive);
 * earlier messages are plain text, since the engine only accepts the choices it offered last.
 */
export function renderTurn(messages: OutgoingMessage[], labels: RenderLabels): GraphMessage[] {
  return messages.flatMap((m, i) => (i === messages.length - 1 ? renderMessage(m, labels) : textMessages(m.text)));
}

export function renderMessage(message: OutgoingMessage, labels: RenderLabels): GraphMessage[] {
  const choices = message.choices ?? [];
  const body = message.text;
  if (choices.length === 0) return textMessages(body);
  const fitsInteractive = body.trim().length > 0 && length(body) <= LIMITS.interactiveBody;
  if (fitsInteractive && choices.length <= LIMITS.buttons && choices.every((c) => length(c.label) <= LIMITS.buttonTitle)) {
    return [{ type: 'interactive', interactive: { type: 'button', body: { text: body }, action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.label } })) } } }];
  }
  if (fitsInteractive && choices.length <= LIMITS.rows) {
    const rows = choices.map((c) => ({
      id: c.id,
      title: cut(c.label, LIMITS.rowTitle),
      // A label longer than a row title is shown in full (up to 72) underneath.
      ...(length(c.label) > LIMITS.rowTitle ? { description: cut(c.label, LIMITS.rowDescription) } : {}),
    }));
    return [{ type: 'interactive', interactive: { type: 'list', body: { text: body }, action: { button: cut(labels.listButton, LIMITS.listButton), sections: [{ rows }] } } }];
  }
  return textMessages(numberedText(message, labels.hint));
}

/** Plain text, split into messages of at most 4,096 characters at line or word breaks. */
export function textMessages(text: string): GraphMessage[] {
  return splitText(text, LIMITS.text).map((body) => ({ type: 'text', text: { body, preview_url: false } }));
}

export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    // A line break in the second half, else a space, else a hard cut.
    const line = window.lastIndexOf('\n');
    const space = window.lastIndexOf(' ');
    const end = line > max / 2 ? line : space > max / 2 ? space : max;
    parts.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * A template message whose one body parameter carries the notice. Meta rejects parameters with
 * line breaks, tabs or runs of spaces, so the text (and its numbered options) is put on one line.
 */
export function templateMessage(name: string, language: string, message: OutgoingMessage, hint: ReplyHint): GraphMessage {
  const oneLine = numberedText(message, hint)
    .split(/\s*\n+\s*/)
    .filter(Boolean)
    .join(' · ')
    .replace(/[\t ]{2,}/g, ' ');
  return { type: 'template', template: { name, language: { code: language }, components: [{ type: 'body', parameters: [{ type: 'text', text: cut(oneLine, LIMITS.templateParameter) }] }] } };
}

/** Characters as WhatsApp counts them (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
