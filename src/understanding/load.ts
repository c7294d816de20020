import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { CatalogueError, type ContentIssue } from '../catalogue/loader.js';
import { intentsFileSchema, notHereFileSchema, type IntentsFile, type NotHereFile } from './schema.js';

/** The phrase data of the understanding layer, validated. */
export interface UnderstandingData {
  intents: IntentsFile;
  notHere: NotHereFile;
}

/**
 * Loads `content/intents.yaml` and `content/not-here.yaml`. Every problem of both files is listed
 * in one CatalogueError (the same error the catalogue throws), so an operator fixes all at once.
 * `serviceIds`, when given, checks that `related` names a real service.
 */
export async function loadUnderstandingData(dir: string, serviceIds?: ReadonlySet<string>): Promise<UnderstandingData> {
  const issues: ContentIssue[] = [];
  const intents = await readOne(path.join(dir, 'intents.yaml'), intentsFileSchema, issues);
  const notHere = await readOne(path.join(dir, 'not-here.yaml'), notHereFileSchema, issues);
  if (notHere && serviceIds) {
    notHere.entries.forEach((e, i) => {
      if (e.related && !serviceIds.has(e.related)) issues.push({ file: path.join(dir, 'not-here.yaml'), field: `entries.${i}.related`, message: `unknown service ${e.related}` });
    });
  }
  if (issues.length > 0 || !intents || !notHere) throw new CatalogueError(issues);
  return { intents, notHere };
}

async function readOne<S extends z.ZodType>(file: string, schema: S, issues: ContentIssue[]): Promise<z.infer<S> | undefined> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    issues.push({ file, field: '(file)', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    return undefined;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push({ file, field: issue.path.join('.') || '(root)', message: issue.message });
    return undefined;
  }
  return result.data;
}
