import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { hhmmToMinutes } from './local-time.js';
import { agencySchema, lexiconSchema, mppSchema, serviceSchema, type Agency, type Lexicon, type Mpp, type Service } from './schema.js';

/** The MPP as data, validated: every service, agency, the MPP facts and the search lexicon. */
export interface Catalogue {
  /** The site this view is of: the main site (content/mpp.yaml) unless made by `siteCatalogue`. */
  mpp: Mpp;
  /** Every MPP site of the deployment, the main one (content/mpp.yaml) first, then content/sites/. */
  sites: Mpp[];
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

  // More MPP sites in one deployment (optional folder): each a whole site document of its own.
  const siteFiles = await readOptional('sites', mppSchema);
  const sites: Mpp[] = mpp ? [mpp] : [];
  for (const { file, data } of siteFiles) {
    const f = rel(file);
    if (path.basename(file, '.yaml') !== data.site) issues.push({ file: f, field: 'site', message: `must match the file name (${data.site}.yaml)` });
    if (sites.some((s) => s.site === data.site)) issues.push({ file: f, field: 'site', message: `duplicate site id ${data.site}` });
    checkMppReferences(data, agencies, services, f, issues);
    sites.push(data);
  }
  if (mpp) checkSiteOffers(mpp, services, rel(path.join(dir, 'mpp.yaml')), issues);
  for (const { file, data } of siteFiles) checkSiteOffers(data, services, rel(file), issues);

  if (issues.length > 0 || !mpp || !lexicon) throw new CatalogueError(issues);
  return { mpp, sites, agencies, services, lexicon };

  async function readOptional<S extends z.ZodType>(sub: string, schema: S): Promise<Array<{ file: string; data: z.infer<S> }>> {
    try {
      await readdir(path.join(dir, sub));
    } catch {
      return [];
    }
    return readAll(sub, schema);
  }
}

/** What a site offers exists, its overrides are of services it offers, and every offered service has a queue group there. */
function checkSiteOffers(site: Mpp, services: Map<string, Service>, file: string, issues: ContentIssue[]): void {
  const offered = site.offers === 'all' ? [...services.keys()] : site.offers;
  if (site.offers !== 'all') {
    site.offers.forEach((s, i) => {
      if (!services.has(s)) issues.push({ file, field: `offers.${i}`, message: `unknown service ${s}` });
    });
  }
  for (const s of Object.keys(site.overrides)) {
    if (!offered.includes(s)) issues.push({ file, field: `overrides.${s}`, message: `service ${s} is not offered at this site` });
  }
  const grouped = new Set(site.groups.flatMap((g) => g.agencies));
  const countered = new Set(site.counters.map((c) => c.agency));
  for (const s of offered) {
    const agency = services.get(s)?.agency;
    if (!agency) continue;
    if (!grouped.has(agency)) issues.push({ file, field: 'groups', message: `service ${s} is offered but its agency ${agency} is in no queue group` });
    if (!countered.has(agency)) issues.push({ file, field: 'counters', message: `service ${s} is offered but no counter serves ${agency}` });
  }
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
