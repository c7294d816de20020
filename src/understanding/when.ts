import { addDays, localTime } from '../catalogue/local-time.js';
import type { Weekday } from '../catalogue/schema.js';
import type { DateWords } from './schema.js';

/** A day and/or time the citizen named, resolved against `now` in the MPP's zone. */
export interface When {
  /** YYYY-MM-DD in the zone. */
  date?: string;
  /** Weekday of `date`, when a date was named. */
  weekday?: Weekday;
  /** HH:MM, 24 h. */
  time?: string;
  /** "10 menit lagi", "in 2 hours": minutes from now. */
  inMinutes?: number;
}

const MONDAY_FIRST: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DEFAULT_ZONE = 'Asia/Jakarta';

/**
 * Indonesian and English days and times in words, driven by `content/intents.yaml` `dates`:
 * "besok", "lusa", "rabu", "rabu depan", "tgl 5", "5 desember", "jam 9", "jam 2 siang",
 * "pukul 09.30", "setengah 10", "tomorrow", "next monday", "on the 5th at 9am", "10 menit lagi".
 * A bare weekday is the coming one (today included); "depan"/"next" is that day of next week.
 * A day of the month already past is next month's; a date already past this year is next year's.
 */
export class WhenParser {
  private readonly weekdays = new Map<string, Weekday>();
  private readonly months = new Map<string, number>();
  private readonly relative: Array<[string[], number]>;
  private readonly sets: Record<'nextWeek' | 'dayMarkers' | 'timeMarkers' | 'afternoon' | 'morning' | 'minutes' | 'hours' | 'half', Set<string>>;
  private readonly weekdayPhrases: Array<[string[], Weekday]> = [];

  constructor(words: DateWords) {
    for (const [day, names] of Object.entries(words.weekdays) as Array<[Weekday, string[]]>) {
      for (const name of names) {
        const toks = tokenize(name);
        if (toks.length === 1) this.weekdays.set(toks[0]!, day);
        else this.weekdayPhrases.push([toks, day]);
      }
    }
    words.months.forEach((names, i) => names.forEach((n) => this.months.set(tokenize(n).join(' '), i + 1)));
    this.relative = Object.entries(words.relative)
      .map(([k, v]) => [tokenize(k), v] as [string[], number])
      .sort((a, b) => b[0].length - a[0].length);
    const set = (list: string[]) => new Set(list.map((w) => tokenize(w).join(' ')));
    this.sets = {
      nextWeek: set(words.next_week),
      dayMarkers: set(words.day_markers),
      timeMarkers: set(words.time_markers),
      afternoon: set(words.afternoon),
      morning: set(words.morning),
      minutes: set(words.minutes),
      hours: set(words.hours),
      half: set(words.half),
    };
  }

  /** What the text says about when, or undefined when it names no day, time or delay. */
  parse(text: string, now: Date, timeZone: string = DEFAULT_ZONE): When | undefined {
    let toks = tokenize(text);
    for (const [phrase, day] of this.weekdayPhrases) toks = replaceSeq(toks, phrase, [`@${day}`]);
    const today = localTime(now, timeZone);
    const out: When = {};
    let offset: number | undefined;
    let nextWeek = false;
    // "minggu depan" is "next week", not "Sunday": take it out before looking for weekdays.
    for (const phrase of this.sets.nextWeek) {
      const seq = phrase.split(' ');
      if (seq.length > 1 && indexOfSeq(toks, seq) >= 0) {
        toks = replaceSeq(toks, seq, ['@next']);
        nextWeek = true;
      }
    }
    for (const [phrase, days] of this.relative) {
      if (indexOfSeq(toks, phrase) >= 0) {
        offset = days;
        toks = replaceSeq(toks, phrase, ['@rel']);
        break;
      }
    }
    let dayOfMonth: { day: number; month?: number } | undefined;
    const used = new Set<number>();
    toks.forEach((tok, i) => {
      const weekday = tok.startsWith('@') && tok !== '@next' && tok !== '@rel' ? (tok.slice(1) as Weekday) : this.weekdays.get(tok);
      if (weekday && offset === undefined) {
        const next = (toks[i + 1] !== undefined && this.sets.nextWeek.has(toks[i + 1]!)) || (toks[i - 1] !== undefined && this.sets.nextWeek.has(toks[i - 1]!)) || nextWeek;
        offset = weekdayOffset(today.weekday, weekday, next);
        used.add(i);
      }
      const month = this.months.get(tok);
      if (month !== undefined && dayOfMonth === undefined) {
        const before = dayNumber(toks[i - 1]);
        const after = dayNumber(toks[i + 1]);
        if (before !== undefined) {
          dayOfMonth = { day: before, month };
          used.add(i - 1);
        } else if (after !== undefined) {
          dayOfMonth = { day: after, month };
          used.add(i + 1);
        }
      }
      if (this.sets.dayMarkers.has(tok) && dayOfMonth === undefined) {
        const day = dayNumber(toks[i + 1]);
        // "the 9 am" is a time, "tgl 5 jam 10" a day and a time.
        if (day !== undefined && !isTimeWord(toks[i + 2], this.sets)) {
          dayOfMonth = { day };
          used.add(i + 1);
        }
      }
      const slash = /^(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?$/.exec(tok);
      if (slash && dayOfMonth === undefined) dayOfMonth = { day: Number(slash[1]), month: Number(slash[2]) };
    });
    if (dayOfMonth && dayOfMonth.day >= 1 && dayOfMonth.day <= 31) out.date = resolveDayOfMonth(today.date, dayOfMonth.day, dayOfMonth.month);
    else if (offset !== undefined) out.date = addDays(today.date, offset);
    if (out.date) out.weekday = MONDAY_FIRST[(new Date(`${out.date}T00:00:00Z`).getUTCDay() + 6) % 7]!;

    const time = this.findTime(toks, used);
    if (time) out.time = time;
    const delay = this.findDelay(toks);
    if (delay !== undefined) out.inMinutes = delay;
    return out.date || out.time || out.inMinutes !== undefined ? out : undefined;
  }

  private findTime(toks: string[], used: Set<number>): string | undefined {
    for (let i = 0; i < toks.length; i++) {
      const found = this.timeAt(toks, i, used);
      if (!found) continue;
      const { end } = found;
      let h = found.hm[0];
      const m = found.hm[1];
      const part = toks[end + 1];
      if (part && this.sets.afternoon.has(part) && h < 12) h += 12;
      else if (part && this.sets.morning.has(part) && h === 12) h = 0;
      if (h < 0 || h > 23 || m > 59) continue;
      return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
    }
    return undefined;
  }

  /** A clock time starting at token i: "jam 9", "pukul 09.30", "jam setengah 10", "14:30", "9 pagi". */
  private timeAt(toks: string[], i: number, used: Set<number>): { hm: [number, number]; end: number } | undefined {
    const tok = toks[i]!;
    if (this.sets.timeMarkers.has(tok)) {
      if (this.sets.half.has(toks[i + 1] ?? '')) {
        const h = clockNumber(toks[i + 2]);
        return h ? { hm: [(h[0] + 23) % 24, 30], end: i + 2 } : undefined;
      }
      const h = clockNumber(toks[i + 1]);
      return h ? { hm: h, end: i + 1 } : undefined;
    }
    if (used.has(i)) return undefined;
    if (/^\d{1,2}[:.]\d{2}$/.test(tok) || (/^\d{1,2}$/.test(tok) && isTimeWord(toks[i + 1], this.sets))) {
      const h = clockNumber(tok);
      return h ? { hm: h, end: i } : undefined;
    }
    return undefined;
  }

  private findDelay(toks: string[]): number | undefined {
    for (let i = 0; i < toks.length; i++) {
      const tok = toks[i]!;
      const next = toks[i + 1] ?? '';
      const n = /^\d{1,3}$/.test(tok) ? Number(tok) : this.sets.half.has(tok) ? 0.5 : undefined;
      if (n === undefined) continue;
      if (this.sets.minutes.has(next) && n >= 1) return n;
      // "2 jam lagi" / "in 2 hours"; "jam 2" (a clock time) has the marker first and is not a delay.
      if (this.sets.hours.has(next) && !this.sets.timeMarkers.has(toks[i - 1] ?? '')) {
        if (n === 0.5 || toks[i + 2] === 'lagi' || toks[i - 1] === 'in') return Math.round(n * 60);
      }
      if (this.sets.half.has(tok) && (next === 'an' || next === 'a') && this.sets.hours.has(toks[i + 2] ?? '')) return 30;
    }
    return undefined;
  }
}

/** Lower case, accents off, "9am" -> "9 am", "5th" -> "5", "jam9" -> "jam 9"; keeps 09.30, 09:30, 5/12. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
    .replace(/(\d)(am|pm|an)\b/g, '$1 $2')
    .replace(/\b([a-z]+)(\d)/g, '$1 $2')
    .replace(/[^a-z0-9:./]+/g, ' ')
    .split(' ')
    .map((t) => t.replace(/^[.:/]+|[.:/]+$/g, ''))
    .filter(Boolean);
}

function isTimeWord(tok: string | undefined, sets: { afternoon: Set<string>; morning: Set<string> }): boolean {
  return tok !== undefined && (sets.afternoon.has(tok) || sets.morning.has(tok));
}

function dayNumber(tok: string | undefined): number | undefined {
  if (!tok || !/^\d{1,2}$/.test(tok)) return undefined;
  const n = Number(tok);
  return n >= 1 && n <= 31 ? n : undefined;
}

function clockNumber(tok: string | undefined): [number, number] | undefined {
  const m = tok ? /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(tok) : null;
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = m[2] ? Number(m[2]) : 0;
  return h <= 24 && min <= 59 ? [h % 24, min] : undefined;
}

function weekdayOffset(today: Weekday, target: Weekday, nextWeek: boolean): number {
  const t = MONDAY_FIRST.indexOf(today);
  const d = MONDAY_FIRST.indexOf(target);
  if (!nextWeek) return (d - t + 7) % 7;
  // The same weekday in the Monday-to-Sunday week after this one.
  return 7 - t + d;
}

function resolveDayOfMonth(today: string, day: number, month?: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  let year = y;
  let mon = month ?? m;
  if (month === undefined && day < d) mon = m + 1;
  if (month !== undefined && (month < m || (month === m && day < d))) year = y + 1;
  if (mon > 12) {
    mon = 1;
    year += 1;
  }
  const last = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return `${year}-${String(mon).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

function indexOfSeq(toks: string[], seq: string[]): number {
  outer: for (let i = 0; i + seq.length <= toks.length; i++) {
    for (let j = 0; j < seq.length; j++) if (toks[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

function replaceSeq(toks: string[], seq: string[], by: string[]): string[] {
  const i = indexOfSeq(toks, seq);
  return i < 0 ? toks : [...toks.slice(0, i), ...by, ...toks.slice(i + seq.length)];
}
