/**
 * The visit report (issue 13): visits with several services, per combination, completed in one day
 * or not. Pure over records so the storage (queue read model, later) only has to produce them.
 */
export type VisitStepOutcome = 'served' | 'no_show' | 'cancelled' | 'open';

export interface VisitRecord {
  visitId: string;
  /** Local date the visit was planned for (YYYY-MM-DD). */
  date: string;
  steps: Array<{ service: string; outcome: VisitStepOutcome; /** Local date served, when served. */ servedOn?: string }>;
}

export interface CombinationRow {
  /** Service ids sorted and joined with "+", so the same errand counts once whatever the order. */
  combination: string;
  services: string[];
  visits: number;
  /** Every step served on the visit's own date: the MPP's "satu kali hadir". */
  completedSameDay: number;
  /** Every step served, some on a later day. */
  completedLater: number;
  /** At least one step never served (no-show, cancelled, still open). */
  incomplete: number;
}

export interface VisitReport {
  visits: number;
  completedSameDay: number;
  combinations: CombinationRow[];
}

/** Aggregates visits with two or more services; single-service visits are ordinary tickets. */
export function aggregateVisits(records: Iterable<VisitRecord>): VisitReport {
  const rows = new Map<string, CombinationRow>();
  let visits = 0;
  let sameDay = 0;
  for (const r of records) {
    const services = [...new Set(r.steps.map((s) => s.service))].sort();
    if (services.length < 2) continue;
    const key = services.join('+');
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { combination: key, services, visits: 0, completedSameDay: 0, completedLater: 0, incomplete: 0 }));
    row.visits++;
    visits++;
    const allServed = r.steps.every((s) => s.outcome === 'served');
    if (!allServed) row.incomplete++;
    else if (r.steps.every((s) => s.servedOn === r.date)) {
      row.completedSameDay++;
      sameDay++;
    } else row.completedLater++;
  }
  const combinations = [...rows.values()].sort((a, b) => b.visits - a.visits || a.combination.localeCompare(b.combination));
  return { visits, completedSameDay: sameDay, combinations };
}
