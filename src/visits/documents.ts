import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { bilingualText } from '../catalogue/schema.js';

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case');
const phrase = z.string().trim().min(1);

/** content/documents.yaml: which documents requirement texts name, and how to tell them apart. */
export const documentTableSchema = z.strictObject({
  documents: z.array(z.strictObject({ id, name: bilingualText, patterns: z.array(phrase).min(1) })).min(1),
  forms: z.strictObject({ original: z.array(phrase).min(1), copy: z.array(phrase).min(1) }),
  qualifiers: z.array(phrase).default([]),
  conditionals: z.array(phrase).default([]),
});
export type DocumentTable = z.infer<typeof documentTableSchema>;
export type DocumentEntry = DocumentTable['documents'][number];

/** What one requirement text asks for. */
export interface DocumentMatch {
  /** Document ids in the order the text names them; empty when the text names none we know. */
  documents: string[];
  original: boolean;
  copy: boolean;
  /** Only in some cases ("bila diwakilkan", "Numpang KK: ..."). */
  conditional: boolean;
}

export const DOCUMENTS_FILE = 'documents.yaml';

/** Reads and validates `<contentDir>/documents.yaml`; throws with every problem listed. */
export async function loadDocumentTable(contentDir: string): Promise<DocumentTable> {
  const file = path.join(contentDir, DOCUMENTS_FILE);
  const result = documentTableSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!result.success) {
    throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const ids = result.data.documents.map((d) => d.id);
  const dup = ids.find((d, i) => ids.indexOf(d) !== i);
  if (dup) throw new Error(`${file}: duplicate document id ${dup}`);
  return result.data;
}

/**
 * Recognises documents in requirement texts. Services word the same document differently
 * ("KTP-el (asli dan fotokopi)", "Fotokopi KTP-el (bawa aslinya)", "KTP-el asli pemilik kendaraan"),
 * so matching is on normalised words from the table, never on exact text.
 */
export class DocumentMatcher {
  private readonly patterns: Array<{ doc: string; words: string }>;

  constructor(readonly table: DocumentTable) {
    this.patterns = table.documents
      .flatMap((d) => d.patterns.map((p) => ({ doc: d.id, words: normalise(p) })))
      .sort((a, b) => b.words.length - a.words.length);
  }

  document(id: string): DocumentEntry | undefined {
    return this.table.documents.find((d) => d.id === id);
  }

  match(requirement: string): DocumentMatch {
    const full = normalise(requirement);
    const { text, casePrefix } = this.core(requirement);
    return {
      documents: this.find(text),
      conditional: casePrefix || this.table.conditionals.some((w) => hasWords(full, normalise(w))),
      original: this.table.forms.original.some((w) => hasWords(full, normalise(w))),
      copy: this.table.forms.copy.some((w) => hasWords(full, normalise(w))),
    };
  }

  /** The part of a requirement that names what to bring: no asides, no case prefix, no qualifier. */
  private core(requirement: string): { text: string; casePrefix: boolean } {
    let text = normalise(requirement.replace(/\([^)]*\)/g, ' '));
    let casePrefix = false;
    const colon = text.indexOf(':');
    // "Numpang KK: surat keterangan pindah" names a case, then the document; "BPJS: tergantung
    // daerah" names the document, then explains. Prefer the tail when it names one.
    if (colon >= 0) {
      const [head, tail] = [text.slice(0, colon), text.slice(colon + 1)];
      const tailNames = this.find(tail).length > 0;
      casePrefix = tailNames || this.find(head).length === 0;
      text = tailNames ? tail : head;
    }
    let cut = text.length;
    for (const q of this.table.qualifiers) {
      const at = wordIndex(text, normalise(q));
      if (at > 0 && at < cut) cut = at;
    }
    return { text: text.slice(0, cut), casePrefix };
  }

  private find(text: string): string[] {
    const taken: Array<[number, number]> = [];
    const found: Array<{ at: number; doc: string }> = [];
    for (const p of this.patterns) {
      let from = 0;
      for (;;) {
        const at = wordIndex(text, p.words, from);
        if (at < 0) break;
        const end = at + p.words.length;
        if (!taken.some(([s, e]) => at < e && end > s)) {
          taken.push([at, end]);
          found.push({ at, doc: p.doc });
        }
        from = end;
      }
    }
    return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.doc))];
  }
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[-/;,.]/g, (c) => (c === '-' || c === '/' ? ' ' : ` ${c} `)).replace(/\s+/g, ' ').trim();
}

const isWordChar = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);

function wordIndex(text: string, words: string, from = 0): number {
  for (let at = text.indexOf(words, from); at >= 0; at = text.indexOf(words, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + words.length])) return at;
  }
  return -1;
}

function hasWords(text: string, words: string): boolean {
  return wordIndex(text, words) >= 0;
}
