import type { EngineServices } from './action.js';

/**
 * What a turn's actions see at one MPP site: its catalogue view (`mpp` is the site, services carry
 * its overrides), hours, queue, survey, bookings and incidents. Search and understanding stay
 * shared. Without sites, with one site, or with none chosen, the deployment's own services.
 */
export class SiteServices {
  private readonly bySite = new Map<string, EngineServices>();

  constructor(private readonly base: EngineServices) {}

  at(siteId: string | undefined): EngineServices {
    const sites = this.base.sites;
    const site = sites?.several ? sites.get(siteId) : undefined;
    if (!site) return this.base;
    let services = this.bySite.get(site.id);
    if (!services) {
      services = { ...this.base, catalogue: site.catalogue, hours: site.hours, queue: site.queue, survey: site.survey, appointments: site.appointments, incidents: site.incidentStore };
      this.bySite.set(site.id, services);
    }
    return services;
  }
}
