import { addDays, localTime } from '../catalogue/local-time.js';
import type { Mpp } from '../catalogue/schema.js';
import type { ComplaintRecord } from './complaint.js';

/**
 * Which days count as working days. Holidays (national holidays and cuti bersama, set yearly by
 * SKB 3 Menteri) come from the caller, e.g. content/mpp.yaml's list.
 */
export interface WorkingCalendar {
  readonly timezone: string;
  readonly holidays: ReadonlySet<string>;
  /** Working weekdays, 0 = Sunday … 6 = Saturday; Monday–Friday when not given. */
  readonly weekdays?: readonly number[];
}

/**
 * Government working days (Monday–Friday, whatever days the MPP itself opens) in the MPP's zone,
 * minus the holidays and cuti bersama listed in content/mpp.yaml.
 */
export function workingCalendar(mpp: Pick<Mpp, 'timezone' | 'holidays'>): WorkingCalendar {
  return { timezone: mpp.timezone, holidays: new Set(mpp.holidays.map((h) => h.date)) };
}

/**
 * SP4N-LAPOR!'s published rhythm, used as our own desk's targets: a complaint is verified and
 * forwarded within 3 working days, and followed up within 5 more working days after that.
 */
export const VERIFY_WITHIN_WORKING_DAYS = 3;
export const FOLLOW_UP_WITHIN_WORKING_DAYS = 5;

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (calendar.weekdays ?? [1, 2, 3, 4, 5]).includes(weekday) && !calendar.holidays.has(date);
}

/** The `n`th working day after `date` (the day itself does not count, like a letter's deadline). */
export function addWorkingDays(date: string, n: number, calendar: WorkingCalendar): string {
  let day = date;
  for (let left = n, guard = 0; left > 0; guard++) {
    if (guard > 366) throw new Error('no working day within a year: check the calendar');
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) left--;
  }
  return day;
}

export interface ComplaintTargets {
  /** Last local day to verify or forward it. */
  verifyBy: string;
  /** Last local day for a follow-up: counted from the day it was verified, or from verifyBy if not yet. */
  followUpBy: string;
}

type Timing = Pick<ComplaintRecord, 'createdAt' | 'firstResponseAt'>;

export function complaintTargets(c: Timing, calendar: WorkingCalendar): ComplaintTargets {
  const verifyBy = addWorkingDays(localTime(new Date(c.createdAt), calendar.timezone).date, VERIFY_WITHIN_WORKING_DAYS, calendar);
  const verifiedOn = c.firstResponseAt === undefined ? verifyBy : localTime(new Date(c.firstResponseAt), calendar.timezone).date;
  return { verifyBy, followUpBy: addWorkingDays(verifiedOn, FOLLOW_UP_WITHIN_WORKING_DAYS, calendar) };
}

/**
 * Which target a complaint has missed at `now`: `verify` (still `baru` after its verifyBy day),
 * `follow_up` (no note and not done after its followUpBy day), or undefined.
 */
export function overdue(c: Timing & Pick<ComplaintRecord, 'status' | 'followUpAt'>, now: Date, calendar: WorkingCalendar): 'verify' | 'follow_up' | undefined {
  if (c.status === 'selesai') return undefined;
  const today = localTime(now, calendar.timezone).date;
  const targets = complaintTargets(c, calendar);
  if (c.status === 'baru') return today > targets.verifyBy ? 'verify' : undefined;
  if (c.followUpAt === undefined && today > targets.followUpBy) return 'follow_up';
  return undefined;
}
