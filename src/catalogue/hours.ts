import { addDays, hhmmToMinutes, localTime, zonedTime, type LocalTime } from './local-time.js';
import type { Mpp } from './schema.js';

export type OpenState = 'open' | 'break' | 'before_open' | 'after_close' | 'closed_day' | 'holiday';

export interface OpeningStatus {
  open: boolean;
  state: OpenState;
  local: LocalTime;
  /** Holiday name (Indonesian) when state is `holiday`. */
  holiday?: string;
  /** When the MPP next opens (or reopens after a break); undefined when open. */
  nextOpen?: { at: Date; date: string; minutes: number };
  /** Closing time today (minutes) when open. */
  closesAt?: number;
}

/** Opening hours of the MPP from content/mpp.yaml: weekdays, breaks (Friday prayer), holidays. */
export class OpeningHours {
  private readonly holidays: Map<string, string>;

  constructor(
    private readonly mpp: Pick<Mpp, 'hours' | 'holidays' | 'timezone'>,
    /** `always`: skip the check (demos and automated checks, OPENING_HOURS=always). */
    private readonly mode: 'content' | 'always' = 'content',
  ) {
    this.holidays = new Map(mpp.holidays.map((h) => [h.date, h.name.id]));
  }

  get timezone(): string {
    return this.mpp.timezone;
  }

  status(at: Date): OpeningStatus {
    const local = localTime(at, this.mpp.timezone);
    if (this.mode === 'always') return { open: true, state: 'open', local };
    const holiday = this.holidays.get(local.date);
    const day = this.mpp.hours[local.weekday];
    let state: OpenState;
    if (holiday !== undefined) state = 'holiday';
    else if (!day) state = 'closed_day';
    else if (local.minutes < hhmmToMinutes(day.open)) state = 'before_open';
    else if (local.minutes >= hhmmToMinutes(day.close)) state = 'after_close';
    else if (day.breaks.some((b) => local.minutes >= hhmmToMinutes(b.start) && local.minutes < hhmmToMinutes(b.end))) state = 'break';
    else return { open: true, state: 'open', local, closesAt: hhmmToMinutes(day.close) };
    return { open: false, state, local, ...(holiday === undefined ? {} : { holiday }), nextOpen: this.nextOpening(local) };
  }

  /** First moment after `local` when the doors are open: end of a break, today's opening, or a later day. */
  private nextOpening(local: LocalTime): { at: Date; date: string; minutes: number } {
    for (let offset = 0; offset < 60; offset++) {
      const date = addDays(local.date, offset);
      if (this.holidays.has(date)) continue;
      const weekday = localTime(zonedTime(date, 12 * 60, this.mpp.timezone), this.mpp.timezone).weekday;
      const day = this.mpp.hours[weekday];
      if (!day) continue;
      const starts = [hhmmToMinutes(day.open), ...day.breaks.map((b) => hhmmToMinutes(b.end))].sort((a, b) => a - b);
      const close = hhmmToMinutes(day.close);
      const start = offset === 0 ? starts.find((s) => s > local.minutes && s < close) : starts[0];
      if (start !== undefined) return { at: zonedTime(date, start, this.mpp.timezone), date, minutes: start };
    }
    throw new Error('no opening day in the next 60 days: check content/mpp.yaml hours and holidays');
  }
}
