import type { Catalogue } from '../catalogue/loader.js';
import { localTime } from '../catalogue/local-time.js';
import type { Clock } from '../clock.js';
import { QueueError } from './ticket.js';

/**
 * Counters that serve exactly the same services share one call order: one line per service, one
 * "priority after every N regular" count. Its services are sorted, so every counter of the pool
 * reads the lines in the same order (ties go to the earlier line).
 */
export interface Pool {
  id: string;
  services: readonly string[];
}

/** The queue as the content draws it: the MPP's day, which counters serve what, which group numbers an agency. */
export class QueueLayout {
  private readonly groupOf = new Map<string, { id: string; prefix: string }>();
  private readonly pools = new Map<string, Pool>();
  private readonly poolOfCounter = new Map<string, Pool>();

  constructor(
    readonly catalogue: Catalogue,
    private readonly clock: Clock,
  ) {
    for (const group of catalogue.mpp.groups) for (const agency of group.agencies) this.groupOf.set(agency, group);
    const bySet = new Map<string, string[]>();
    for (const c of catalogue.mpp.counters) {
      const set = [...this.servicesOf(c.id)].sort().join(' ');
      bySet.set(set, [...(bySet.get(set) ?? []), c.id]);
    }
    for (const [set, counters] of bySet) {
      const pool: Pool = { id: [...counters].sort().join('+'), services: set ? set.split(' ') : [] };
      this.pools.set(pool.id, pool);
      for (const c of counters) this.poolOfCounter.set(c, pool);
    }
  }

  /** The pool a counter calls from. */
  poolOf(counterId: string): Pool | undefined {
    return this.poolOfCounter.get(counterId);
  }

  /** The pools whose call order holds a service's tickets (a service no counter serves has a pool of its own). */
  poolsFor(serviceId: string): Pool[] {
    const pools = [...this.pools.values()].filter((p) => p.services.includes(serviceId));
    return pools.length > 0 ? pools : [{ id: `none-${serviceId}`, services: [serviceId] }];
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
