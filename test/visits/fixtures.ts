import { loadCatalogue, type Catalogue } from '../../src/catalogue/loader.js';
import { DocumentMatcher, loadDocumentTable } from '../../src/visits/documents.js';
import type { DayHours, LiveFigures, PlanConditions, PlanContext } from '../../src/visits/types.js';

let ctx: Promise<PlanContext> | undefined;
/** The real content/ catalogue and document table, loaded once per file. */
export function planContext(): Promise<PlanContext> {
  return (ctx ??= (async () => {
    const catalogue: Catalogue = await loadCatalogue('content');
    return { catalogue, documents: new DocumentMatcher(await loadDocumentTable('content')) };
  })());
}

/** Tuesday 1 December 2026 at the given WIB time (UTC+7). */
export function wib(hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(Date.UTC(2026, 11, 1, h - 7, m));
}

export const tuesday: DayHours = { open: '08:00', close: '15:00', breaks: [{ start: '12:00', end: '13:00' }] };

export function live(figures: Record<string, Partial<LiveFigures>>): PlanConditions['live'] {
  return (id) => (figures[id] ? { waiting: 0, etaMinutes: 0, remainingQuota: 50, offeredToday: true, ...figures[id] } : undefined);
}

export function conditions(at: string, figures: Record<string, Partial<LiveFigures>> = {}, hoursToday: DayHours | null = tuesday): PlanConditions {
  return { now: wib(at), hoursToday, live: live(figures) };
}
