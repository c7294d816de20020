import { z } from 'zod';
import { addDays } from '../catalogue/local-time.js';

/** The periods an MPP head reports on; `custom` takes `from` and `to`. */
export const rangeKinds = ['day', 'week', 'month', 'quarter', 'semester', 'custom'] as const;
export type RangeKind = (typeof rangeKinds)[number];

/** Local days, both ends included. */
export interface DayRange {
  kind: RangeKind;
  from: string;
  to: string;
  days: string[];
}

/** Why a range was refused; each has a locale key `report.range_error.<code>`. */
export type RangeProblem = 'bad_kind' | 'bad_date' | 'missing_dates' | 'from_after_to' | 'too_long';

/** The API's words for each problem (JSON errors of the exports); pages use the locale keys. */
export const rangeProblemMessages: Record<RangeProblem, string> = {
  bad_kind: 'range must be one of day, week, month, quarter, semester, custom',
  bad_date: 'dates must be real calendar dates written YYYY-MM-DD (2000-01-01 to 2100-12-31)',
  missing_dates: 'range=custom needs both from and to (YYYY-MM-DD)',
  from_after_to: 'from must not be after to',
  too_long: 'a custom range covers at most 366 days',
};

/** The longest custom range: a year and a day (a leap year), so a yearly report fits and a typo like 1026 does not scan 1,000 years. */
export const MAX_RANGE_DAYS = 366;

const date = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2100-12-31');

/**
 * A report period from query parameters: `range` (default `day`), `day` (any day inside the
 * period; default today, the MPP's local day) or, for `custom`, `from` and `to`.
 * Weeks run Monday–Sunday (ISO 8601, as Indonesian office weeks do); quarters and semesters
 * are calendar ones (Januari–Juni, Juli–Desember), the periods SKM reports are published for.
 */
export function parseRange(query: Record<string, unknown>, today: string): { ok: true; range: DayRange } | { ok: false; error: RangeProblem } {
  const kind = query.range ?? 'day';
  if (typeof kind !== 'string' || !(rangeKinds as readonly string[]).includes(kind)) return { ok: false, error: 'bad_kind' };
  if (kind === 'custom') {
    if (query.from === undefined || query.to === undefined || query.from === '' || query.to === '') return { ok: false, error: 'missing_dates' };
    const from = date.safeParse(query.from);
    const to = date.safeParse(query.to);
    if (!from.success || !to.success) return { ok: false, error: 'bad_date' };
    if (from.data > to.data) return { ok: false, error: 'from_after_to' };
    if (daysBetween(from.data, to.data) + 1 > MAX_RANGE_DAYS) return { ok: false, error: 'too_long' };
    return { ok: true, range: make('custom', from.data, to.data) };
  }
  const asked = query.day === undefined || query.day === '' ? today : query.day;
  const anchor = date.safeParse(asked);
  if (!anchor.success) return { ok: false, error: 'bad_date' };
  const [from, to] = bounds(kind as Exclude<RangeKind, 'custom'>, anchor.data);
  return { ok: true, range: make(kind as RangeKind, from, to) };
}

/** The same kind of period just before or after (custom: the same length). */
export function shiftRange(range: DayRange, direction: -1 | 1): DayRange {
  if (range.kind === 'custom') {
    const len = range.days.length;
    return make('custom', addDays(range.from, direction * len), addDays(range.to, direction * len));
  }
  const anchor = direction < 0 ? addDays(range.from, -1) : addDays(range.to, 1);
  const [from, to] = bounds(range.kind, anchor);
  return make(range.kind, from, to);
}

function bounds(kind: Exclude<RangeKind, 'custom'>, day: string): [string, string] {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const monthStart = (month: number) => `${y}-${String(month).padStart(2, '0')}-01`;
  const monthEnd = (month: number) => addDays(month === 12 ? `${y + 1}-01-01` : monthStart(month + 1), -1);
  switch (kind) {
    case 'day':
      return [day, day];
    case 'week': {
      const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      const from = addDays(day, -weekday);
      return [from, addDays(from, 6)];
    }
    case 'month':
      return [monthStart(m), monthEnd(m)];
    case 'quarter': {
      const first = Math.floor((m - 1) / 3) * 3 + 1;
      return [monthStart(first), monthEnd(first + 2)];
    }
    case 'semester':
      return m <= 6 ? [monthStart(1), monthEnd(6)] : [monthStart(7), monthEnd(12)];
  }
}

function make(kind: RangeKind, from: string, to: string): DayRange {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return { kind, from, to, days };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
