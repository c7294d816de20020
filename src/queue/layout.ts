import type { Catalogue } from '../catalogue/loader.js';
import { localTime } from '../catalogue/local-time.js';
import type { Clock } from '../clock.js';
import { QueueError } from './ticket.js';

/** The queue as the content draws it: the MPP's day, which counters serve what, which group numbers an agency. */
export class QueueLayout {
  private readonly groupOf = new Map<string, { id: string; prefix: string }>();

  constructor(
    readonly catalogue: Catalogue,
    private readonly clock: Clock,
  ) {
    for (const group of catalogue.mpp.groups) for (const agency of group.agencies) this.groupOf.set(agency, group);
  }

  today(at = this.clock.now()): string {
    return localTime(at, this.catalogue.mpp.timezone).date;
  }

  /** Counters (from content) that serve a service. */
  countersFor(serviceId: string) {
    const service = this.catalogue.services.get(serviceId);
    if (!service) return [];
    return this.catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(serviceId)));
  }

  servicesOf(counterId: string): string[] {
    const counter = this.catalogue.mpp.counters.find((c) => c.id === counterId);
    if (!counter) return [];
    return counter.services ?? [...this.catalogue.services.values()].filter((s) => s.agency === counter.agency).map((s) => s.id);
  }

  /** The numbering group of an agency's services (each agency sits in one group). */
  group(agency: string): { id: string; prefix: string } | undefined {
    return this.groupOf.get(agency);
  }

  requireService(serviceId: string) {
    const service = this.catalogue.services.get(serviceId);
    if (!service) throw new QueueError('unknown_service', `unknown service ${serviceId.slice(0, 80)}`);
    return service;
  }
}
