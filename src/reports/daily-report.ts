import type { Catalogue } from '../catalogue/loader.js';
import type { ServiceDayCounts } from '../queue/queue-service.js';
import { ikmFromTotals, type IkmResult } from '../survey/ikm.js';
import { addSkmDays, emptySkmDay, type SkmDay, type SurveyStore } from '../survey/store.js';

/** One service's (or the whole MPP's) figures for one day: counts and sums, no personal data. */
export interface DayFigures extends ServiceDayCounts {
  /** Average wait from taking the ticket to being called, over the tickets served (ms). */
  avgWaitMs?: number;
  /** Average time at the counter, over the tickets served (ms). */
  avgServiceMs?: number;
  skm: SkmDay;
  /** Present once every element has answers. */
  ikm?: IkmResult;
}

export interface ServiceDayFigures extends DayFigures {
  serviceId: string;
}

export interface DayReport {
  day: string;
  /** Services with anything to report that day, in catalogue order. */
  services: ServiceDayFigures[];
  total: DayFigures;
}

const COUNTS = ['issued', 'served', 'noshow', 'cancelled', 'waitMs', 'serviceMs'] as const;

/**
 * The operator report's figures, read through the queue's `dayCounts` read model and the survey
 * totals; both outlive the tickets by a year.
 */
export class DailyReports {
  constructor(
    private readonly queue: { dayCounts(serviceIds: readonly string[], day: string): Promise<Map<string, ServiceDayCounts>> },
    private readonly survey: SurveyStore,
    private readonly catalogue: Catalogue,
  ) {}

  async day(day: string): Promise<DayReport> {
    const ids = [...this.catalogue.services.keys()];
    const [counted, skm] = await Promise.all([this.queue.dayCounts(ids, day), this.survey.days(ids, day)]);
    const services: ServiceDayFigures[] = [];
    ids.forEach((serviceId) => {
      const counts = counted.get(serviceId) ?? { issued: 0, served: 0, noshow: 0, cancelled: 0, waitMs: 0, serviceMs: 0 };
      const figures = { serviceId, ...withAverages(counts, skm.get(serviceId) ?? emptySkmDay()) };
      if (figures.issued + figures.served + figures.noshow + figures.cancelled + figures.skm.responses > 0) services.push(figures);
    });
    return { day, services, total: totalOf(services) };
  }
}

function withAverages(counts: Record<(typeof COUNTS)[number], number>, skm: SkmDay): DayFigures {
  const ikm = ikmFromTotals(skm.elements);
  return {
    ...counts,
    ...(counts.served > 0 ? { avgWaitMs: counts.waitMs / counts.served, avgServiceMs: counts.serviceMs / counts.served } : {}),
    skm,
    ...(ikm ? { ikm } : {}),
  };
}

/** Sums counts and survey totals; the MPP's IKM comes from all answers pooled, not from service grades. */
function totalOf(services: readonly ServiceDayFigures[]): DayFigures {
  const counts = Object.fromEntries(COUNTS.map((c) => [c, services.reduce((sum, s) => sum + s[c], 0)])) as Record<(typeof COUNTS)[number], number>;
  return withAverages(counts, services.reduce((sum, s) => addSkmDays(sum, s.skm), emptySkmDay()));
}
