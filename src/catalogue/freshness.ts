/**
 * Facts age: fees and requirements changed several times in 2024–2025 (passport fees, JHT app
 * limits, BBNKB). A service not checked against its sources for this long is listed for review.
 */
export const MAX_AGE_MONTHS = 12;

export interface StaleService {
  id: string;
  /** YYYY-MM-DD, or undefined when the service was never marked as checked. */
  verified: string | undefined;
}

/** A field that states a fact about the citizen's case without a source to back it. */
export interface UnsourcedField {
  id: string;
  field: 'eligibility' | 'representation';
}

export interface FreshnessReport {
  /** The date the ages were measured from (YYYY-MM-DD, in the MPP's time zone). */
  today: string;
  /** Services whose `verified` date lies more than MAX_AGE_MONTHS before `today`. */
  stale: StaleService[];
  /** Eligibility or representation blocks with no source: the card must never show them. */
  unsourced: UnsourcedField[];
}

/**
 * The fields the check reads. Looser than `Service` on purpose: the check must also catch content
 * that never went through the schema (a fixture, a hand-built service in a test or a tool).
 */
interface Checked {
  id: string;
  verified?: string | undefined;
  eligibility?: { sources?: readonly string[] } | undefined;
  representation?: { sources?: readonly string[] } | undefined;
}

/** Lists stale services and unsourced eligibility/representation facts as of `today` (YYYY-MM-DD). */
export function checkFreshness(services: Iterable<Checked>, today: string, maxAgeMonths = MAX_AGE_MONTHS): FreshnessReport {
  const cutoff = monthsBefore(today, maxAgeMonths);
  const report: FreshnessReport = { today, stale: [], unsourced: [] };
  for (const s of services) {
    if (!s.verified || s.verified < cutoff) report.stale.push({ id: s.id, verified: s.verified });
    if (s.eligibility && !s.eligibility.sources?.length) report.unsourced.push({ id: s.id, field: 'eligibility' });
    if (s.representation && !s.representation.sources?.length) report.unsourced.push({ id: s.id, field: 'representation' });
  }
  report.stale.sort((a, b) => (a.verified ?? '').localeCompare(b.verified ?? '') || a.id.localeCompare(b.id));
  return report;
}

/** The same calendar day `months` earlier; a day the earlier month lacks (31st, 29 Feb) becomes its last day. */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
