import type { Catalogue } from './loader.js';
import type { Mpp, Service } from './schema.js';

/**
 * Several MPP sites in one deployment share one catalogue of services (their facts: requirements,
 * fees, procedure). A site is data (content/mpp.yaml, content/sites/<id>.yaml): its hours,
 * counters, groups, which services it offers, and per service its own quota and local note.
 */

/** Whether `site` offers the service. */
export function offers(site: Mpp, serviceId: string): boolean {
  return site.offers === 'all' || site.offers.includes(serviceId);
}

/** The sites that offer a service, in content order (the main site first). */
export function sitesOffering(catalogue: Catalogue, serviceId: string): Mpp[] {
  return catalogue.sites.filter((s) => offers(s, serviceId));
}

/** A site's short name for choices ("MPP Utara"), its full name when it has none. */
export function siteLabel(site: Mpp): string {
  return site.short ?? site.name;
}

/** The service as this site offers it: its own daily quota, and its local note after the shared notes. */
export function serviceAt(site: Mpp, service: Service): Service {
  const o = site.overrides[service.id];
  if (!o) return service;
  const notes = o.note
    ? { id: [...(service.notes?.id ?? []), o.note.id], ...(service.notes?.en || o.note.en ? { en: [...(service.notes?.en ?? service.notes?.id ?? []), o.note.en ?? o.note.id] } : {}) }
    : service.notes;
  return { ...service, ...(o.daily_quota ? { daily_quota: o.daily_quota } : {}), ...(notes ? { notes } : {}) };
}

/**
 * The catalogue as one site sees it: `mpp` is the site; services carry its overrides.
 * `offeredOnly` (the queue's view) leaves out the services the site does not offer, so nobody
 * takes a ticket for them there; the conversation's view keeps them all (their facts are shared
 * and the card says where they are offered).
 */
export function siteCatalogue(catalogue: Catalogue, siteId: string, { offeredOnly }: { offeredOnly: boolean }): Catalogue {
  const site = catalogue.sites.find((s) => s.site === siteId);
  if (!site) throw new Error(`unknown site ${siteId}`);
  const services = new Map<string, Service>();
  for (const [id, service] of catalogue.services) {
    if (offers(site, id)) services.set(id, serviceAt(site, service));
    else if (!offeredOnly) services.set(id, service);
  }
  // An agency's `location` ("Lantai 2, loket 4") is a place in the main MPP's building; at another
  // site it would send the citizen to a floor that is not there, so it names the site instead
  // (the site's own counters are listed beside it).
  if (site === catalogue.mpp || site.site === catalogue.mpp.site) return { ...catalogue, mpp: site, services };
  const here = { id: siteLabel(site), en: siteLabel(site) };
  const agencies = new Map([...catalogue.agencies].map(([id, agency]) => [id, { ...agency, location: here }]));
  return { ...catalogue, mpp: site, services, agencies };
}
