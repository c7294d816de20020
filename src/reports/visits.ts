import { localTime } from '../catalogue/local-time.js';
import { aggregateVisits, type VisitRecord, type VisitReport, type VisitStepOutcome } from '../visits/report.js';
import type { TicketStatus } from '../queue/ticket.js';

/** What the report reads of the queue (QueueService): the visits of a day and each visit's stored record. */
export interface VisitSource {
  visitsOn(day: string): Promise<string[]>;
  visitRecord(visitId: string): Promise<{ id: string; day: string; steps: Array<{ serviceId: string; outcome: TicketStatus | 'open'; at?: number }> } | undefined>;
}

const OUTCOMES: Partial<Record<TicketStatus | 'open', VisitStepOutcome>> = { done: 'served', 'no-show': 'no_show', cancelled: 'cancelled' };

/**
 * The visit report (issue 13) over real queue data: visits with several services planned on
 * `days` (local dates), per combination, completed the same day or not. Visit records hold no
 * personal data and are kept 400 days, so any day of the past year can be reported.
 */
export async function visitReport(queue: VisitSource, days: readonly string[], timezone: string): Promise<VisitReport> {
  const records: VisitRecord[] = [];
  for (const day of days) {
    for (const id of await queue.visitsOn(day)) {
      const visit = await queue.visitRecord(id);
      if (!visit) continue;
      records.push({
        visitId: visit.id,
        date: visit.day,
        steps: visit.steps.map((s) => {
          const outcome = OUTCOMES[s.outcome] ?? 'open';
          return outcome === 'served' && s.at ? { service: s.serviceId, outcome, servedOn: localTime(new Date(s.at), timezone).date } : { service: s.serviceId, outcome };
        }),
      });
    }
  }
  return aggregateVisits(records);
}

/** CSV rows of the report (header first), for the admin report's download. */
export function visitReportCsv(report: VisitReport): string {
  const rows = [['combination', 'visits', 'completed_same_day', 'completed_later', 'incomplete']];
  for (const c of report.combinations) rows.push([c.combination, String(c.visits), String(c.completedSameDay), String(c.completedLater), String(c.incomplete)]);
  return rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
}
