import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { hhmmToMinutes } from './local-time.js';
import { agencySchema, lexiconSchema, mppSchema, serviceSchema, type Agency, type Lexicon, type Mpp, type Service } from './schema.js';

/** The MPP as data, validated: every service, agency, the MPP facts and the search lexicon. */
export interface Catalogue {
  mpp: Mpp;
  agencies: Map<string, Agency>;
  services: Map<string, Service>;
  lexicon: Lexicon;
}

/** One problem in one content file, with the field it is about. */
export interface ContentIssue {
  file: string;
  field: string;
  message: string;
}

/** Thrown when content does not validate; lists every problem so an operator fixes all in one go. */
export class CatalogueError extends Error {
  readonly code = 'invalid_catalogue';
  constructor(readonly issues: ContentIssue[]) {
    super(`${issues.length} problem(s) in content:\n` + issues.map((i) => `  ${i.file}: ${i.field}: ${i.message}`).join('\n'));
  }
}

/** Loads and validates `content/`. A broken catalogue throws; it never half-loads. */
export async function loadCatalogue(dir: string): Promise<Catalogue> {
  const issues: ContentIssue[] = [];
  const rel = (f: string) => path.relative(process.cwd(), f) || f;

  async function readOne<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S> | undefined> {
    let raw: unknown;
    try {
      raw = parse(await readFile(file, 'utf8'));
    } catch (err) {
      issues.push({ file: rel(file), field: '(file)', message: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ file: rel(file), field: issue.path.join('.') || '(root)', message: issue.message });
      }
      return undefined;
    }
    return result.data;
  }

  async function readAll<S extends z.ZodType>(sub: string, schema: S): Promise<Array<{ file: string; data: z.infer<S> }>> {
    const folder = path.join(dir, sub);
    let names: string[] = [];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith('.yaml')).sort();
    } catch {
      issues.push({ file: rel(folder), field: '(folder)', message: 'folder is missing' });
    }
    const out: Array<{ file: string; data: z.infer<S> }> = [];
    for (const name of names) {
      const file = path.join(folder, name);
      const data = await readOne(file, schema);
      if (data !== undefined) out.push({ file, data });
    }
    return out;
  }

  const mpp = await readOne(path.join(dir, 'mpp.yaml'), mppSchema);
  const lexicon = await readOne(path.join(dir, 'lexicon.yaml'), lexiconSchema);
  const agencyFiles = await readAll('agencies', agencySchema);
  const serviceFiles = await readAll('services', serviceSchema);

  const agencies = new Map<string, Agency>();
  for (const { file, data } of agencyFiles) {
    if (path.basename(file, '.yaml') !== data.id) issues.push({ file: rel(file), field: 'id', message: `must match the file name (${data.id}.yaml)` });
    if (agencies.has(data.id)) issues.push({ file: rel(file), field: 'id', message: `duplicate agency id ${data.id}` });
    agencies.set(data.id, data);
  }
  const services = new Map<string, Service>();
  for (const { file, data } of serviceFiles) {
    if (path.basename(file, '.yaml') !== data.id) issues.push({ file: rel(file), field: 'id', message: `must match the file name (${data.id}.yaml)` });
    if (services.has(data.id)) issues.push({ file: rel(file), field: 'id', message: `duplicate service id ${data.id}` });
    if (!agencies.has(data.agency)) issues.push({ file: rel(file), field: 'agency', message: `unknown agency ${data.agency}` });
    services.set(data.id, data);
  }
  if (mpp) checkMppReferences(mpp, agencies, services, rel(path.join(dir, 'mpp.yaml')), issues);
  if (mpp) for (const { file, data } of serviceFiles) checkAppointmentSlots(mpp, data, rel(file), issues);

  if (issues.length > 0 || !mpp || !lexicon) throw new CatalogueError(issues);
  return { mpp, agencies, services, lexicon };
}

function checkMppReferences(mpp: Mpp, agencies: Map<string, Agency>, services: Map<string, Service>, file: string, issues: ContentIssue[]): void {
  const grouped = new Map<string, string>();
  mpp.groups.forEach((g, gi) =>
    g.agencies.forEach((a, ai) => {
      if (!agencies.has(a)) issues.push({ file, field: `groups.${gi}.agencies.${ai}`, message: `unknown agency ${a}` });
      if (grouped.has(a)) issues.push({ file, field: `groups.${gi}.agencies.${ai}`, message: `agency ${a} is already in group ${grouped.get(a)}` });
      grouped.set(a, g.id);
    }),
  );
  for (const a of agencies.keys()) {
    if (!grouped.has(a)) issues.push({ file, field: 'groups', message: `agency ${a} is in no queue group` });
  }
  mpp.counters.forEach((c, ci) => {
    if (!agencies.has(c.agency)) issues.push({ file, field: `counters.${ci}.agency`, message: `unknown agency ${c.agency}` });
    c.services?.forEach((s, si) => {
      const svc = services.get(s);
      if (!svc) issues.push({ file, field: `counters.${ci}.services.${si}`, message: `unknown service ${s}` });
      else if (svc.agency !== c.agency) issues.push({ file, field: `counters.${ci}.services.${si}`, message: `service ${s} belongs to ${svc.agency}, not ${c.agency}` });
    });
  });
}

/**
 * A booking slot must start while the MPP is open on at least one weekday (outside breaks); slots
 * closed on a given date (Saturday afternoon, Friday prayer, holidays) are skipped when offered.
 */
function checkAppointmentSlots(mpp: Mpp, service: Service, file: string, issues: ContentIssue[]): void {
  service.appointments?.slots.forEach((slot, i) => {
    const minutes = hhmmToMinutes(slot);
    const open = Object.values(mpp.hours).some((day) => day && minutes >= hhmmToMinutes(day.open) && minutes < hhmmToMinutes(day.close) && !day.breaks.some((b) => minutes >= hhmmToMinutes(b.start) && minutes < hhmmToMinutes(b.end)));
    if (!open) issues.push({ file, field: `appointments.slots.${i}`, message: `${slot} is outside opening hours on every day` });
  });
}
