import type { Catalogue } from '../catalogue/loader.js';
import { offers, siteLabel } from '../catalogue/sites.js';
import type { OutOfOrderCall } from '../queue/counters.js';
import type { ServiceDayDetail } from '../queue/queue-service.js';
import type { Site } from '../sites/sites.js';
import { addSkmDays, type SkmDay } from '../survey/store.js';
import type { RangeSources } from './range-report.js';
import type { VisitSource } from './visits.js';

/**
 * The report over every site of a deployment (`?site=all`): each site's durable per-day figures,
 * read from its own queue and survey and summed per service. Counter ids repeat between sites
 * (`loket-1` at each), so here a counter is `<site>/<counter>`, never two sites' counters as one.
 */

/** A counter of a site, as the all-sites report names it. */
export function siteCounterId(site: Pick<Site, 'id'>, counterId: string): string {
  return `${site.id}/${counterId}`;
}

/** The sources of the all-sites report: reads go to the sites that offer each service. */
export function allSitesSources(sites: readonly Site[]): RangeSources {
  const offered = (site: Site, ids: readonly string[]) => ids.filter((id) => offers(site.mpp, id));
  return {
    queue: {
      dayDetails: async (ids, days) => {
        const perSite = await Promise.all(sites.map(async (site) => {
          const mine = offered(site, ids);
          const details = mine.length ? await site.queue.dayDetails(mine, days) : [];
          return details.map((d): ServiceDayDetail => ({ ...d, counters: Object.fromEntries(Object.entries(d.counters).map(([id, c]) => [siteCounterId(site, id), c])) }));
        }));
        return perSite.flat();
      },
    },
    survey: {
      days: async (ids, day) => {
        const sum = new Map<string, SkmDay>();
        for (const perSite of await Promise.all(sites.map((site) => site.survey.days(offered(site, ids), day)))) {
          for (const [id, skm] of perSite) {
            const had = sum.get(id);
            sum.set(id, had ? addSkmDays(had, skm) : skm);
          }
        }
        return sum;
      },
      comments: async (serviceId, day) => (await Promise.all(sites.filter((s) => offers(s.mpp, serviceId)).map((s) => s.survey.comments(serviceId, day)))).flat(),
    },
  };
}

/**
 * The catalogue the all-sites report is drawn with: every service, and every site's counters as
 * `<site>/<counter>` named "<site short name> · <counter name>".
 */
export function allSitesCatalogue(catalogue: Catalogue, sites: readonly Site[]): Catalogue {
  const counters = sites.flatMap((site) =>
    site.mpp.counters.map((c) => ({ ...c, id: siteCounterId(site, c.id), name: { id: `${siteLabel(site.mpp)} · ${c.name.id}`, en: `${siteLabel(site.mpp)} · ${c.name.en}` } })),
  );
  return { ...catalogue, mpp: { ...catalogue.mpp, counters } };
}

/** Tickets called out of order at every site, each counter named `<site>/<counter>`. */
export async function allSitesOutOfOrder(sites: readonly Site[], days: readonly string[]): Promise<OutOfOrderCall[]> {
  const all = await Promise.all(sites.flatMap((site) => days.map(async (day) => (await site.queue.outOfOrderCalls(day)).map((c) => ({ ...c, counter: siteCounterId(site, c.counter) })))));
  return all.flat().sort((a, b) => a.at - b.at);
}

/** Visit records of every site (a visit stays at one site: its steps are that site's tickets). */
export function allSitesVisits(sites: readonly Site[]): VisitSource {
  return {
    visitsOn: async (day) => (await Promise.all(sites.map((s) => s.queue.visitsOn(day)))).flat(),
    visitRecord: async (id) => {
      for (const site of sites) {
        const record = await site.queue.visitRecord(id);
        if (record) return record;
      }
      return undefined;
    },
  };
}
