import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Page partials: `{{> head title="{{board.title}}" css=/board/assets/board.css}}` in a template is
 * replaced, when the template is read at startup, by src/pages/head.html with its `[[slot]]`s set
 * from the attributes. A slot's value is template text, so `{{key}}` inside it is still filled and
 * escaped by `fillPage`. A line whose slot is left empty is dropped (a page without a script has
 * no `<script>` line). Unknown partials, unknown or missing attributes throw: a page that would
 * render wrong stops the server from starting instead.
 */
interface Partial {
  file: string;
  /** `undefined`: required; a string: the default ('' leaves its lines out). */
  slots: Record<string, string | undefined>;
}

const PARTIALS: Record<string, Partial> = {
  head: {
    file: 'head.html',
    slots: {
      title: undefined,
      css: undefined,
      viewport: 'width=device-width, initial-scale=1',
      robots: 'noindex',
      refresh: '',
      print: '',
      script: '',
      // The id of the page's `<script type="application/json">` block, filled with `{{{data}}}`.
      data: '',
    },
  },
};

const USE = /\{\{>\s*([a-z_-]*)((?:\s+[^\s=}]+=(?:"[^"]*"|[^\s"}]+))*)\s*\}\}/g;
const ATTRIBUTE = /\s+([^\s=}]+)=(?:"([^"]*)"|([^\s"}]+))/g;

/** Reads a page template beside the calling module and expands its partials. */
export function readPage(dir: string, file: string): string {
  return expandPartials(readFileSync(path.join(dir, file), 'utf8'), file);
}

/** Expands every `{{> name attr=value}}` in `template`; `source` names the page in errors. */
export function expandPartials(template: string, source: string): string {
  const expanded = template.replace(USE, (_m, name: string, attributes: string) => renderPartial(name, attributes, source));
  const left = expanded.indexOf('{{>');
  if (left !== -1) throw new Error(`page ${source}: malformed partial ${JSON.stringify(expanded.slice(left, left + 60))}`);
  return expanded;
}

function renderPartial(name: string, attributes: string, source: string): string {
  const partial = Object.hasOwn(PARTIALS, name) ? PARTIALS[name]! : undefined;
  if (!partial) throw new Error(`page ${source}: unknown partial {{> ${name}}} (known: ${Object.keys(PARTIALS).join(', ')})`);
  const values = new Map<string, string>();
  for (const [, key, quoted, bare] of attributes.matchAll(ATTRIBUTE)) {
    const value = quoted ?? bare!;
    if (!Object.hasOwn(partial.slots, key!)) throw new Error(`page ${source}: {{> ${name}}} has no attribute ${key} (known: ${Object.keys(partial.slots).join(', ')})`);
    if (values.has(key!)) throw new Error(`page ${source}: {{> ${name}}} sets ${key} twice`);
    // Slot values are written into attributes and text: markup here would bypass escaping.
    if (/[<>"]/.test(value)) throw new Error(`page ${source}: {{> ${name}}} ${key} may not contain < > or "`);
    values.set(key!, value);
  }
  for (const [slot, fallback] of Object.entries(partial.slots)) {
    if (values.has(slot)) continue;
    if (fallback === undefined) throw new Error(`page ${source}: {{> ${name}}} needs ${slot}=`);
    values.set(slot, fallback);
  }
  return partialText(partial)
    .split('\n')
    .filter((line) => [...line.matchAll(/\[\[([a-z_]+)\]\]/g)].every(([, slot]) => values.get(slot!) !== ''))
    .map((line) => line.replace(/\[\[([a-z_]+)\]\]/g, (_s, slot: string) => values.get(slot)!))
    .join('\n');
}

const texts = new Map<string, string>();
function partialText(partial: Partial): string {
  let text = texts.get(partial.file);
  if (text === undefined) {
    text = readFileSync(path.join(import.meta.dirname, partial.file), 'utf8').replace(/\n$/, '');
    texts.set(partial.file, text);
  }
  return text;
}
