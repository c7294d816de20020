import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';

export interface KioskService {
  id: string;
  name: string;
  agency: string;
  requirements: string[];
}

export interface KioskAgency {
  id: string;
  name: string;
  short: string;
  location: string;
  services: KioskService[];
}

/** What the kiosk offers: agencies that have a queue group, each with its services, in one language. */
export interface KioskMenu {
  agencies: KioskAgency[];
  /** Every offered service by id (the take route checks against it). */
  services: Map<string, KioskService>;
}

export function kioskMenu(catalogue: Catalogue, locale: Locale): KioskMenu {
  const queued = new Set(catalogue.mpp.groups.flatMap((g) => g.agencies));
  const services = new Map<string, KioskService>();
  const agencies: KioskAgency[] = [];
  for (const agency of catalogue.agencies.values()) {
    if (!queued.has(agency.id)) continue;
    const list = [...catalogue.services.values()]
      .filter((s) => s.agency === agency.id)
      .map((s) => ({ id: s.id, name: s.name[locale], agency: agency.name[locale], requirements: s.requirements.map((r) => r[locale]) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
    if (list.length === 0) continue;
    for (const s of list) services.set(s.id, s);
    agencies.push({ id: agency.id, name: agency.name[locale], short: agency.short, location: agency.location[locale] ?? agency.location.id, services: list });
  }
  agencies.sort((a, b) => a.short.localeCompare(b.short, locale));
  return { agencies, services };
}
