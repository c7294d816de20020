import type { Catalogue } from '../catalogue/loader.js';
import { zonedTime } from '../catalogue/local-time.js';
import type { ServiceDayCounts, ServiceDayDetail } from '../queue/queue-service.js';
import { ikmFromTotals, type IkmResult } from '../survey/ikm.js';
import { COMMENTS_KEPT, addSkmDays, emptySkmDay, type SkmDay, type SurveyStore } from '../survey/store.js';
import type { DayRange } from './range.js';
import { addHistograms, krejcieMorganSample, waitStats, type WaitStats } from './wait-stats.js';

/** How a ticket came in: the chat channels, the kiosk, a walk-in issued at the counter, or anything else (the Bearer API). */
export const intakeKinds = ['chat', 'kiosk', 'counter', 'other'] as const;
export type IntakeKind = (typeof intakeKinds)[number];

/** Counts over a range: the queue's per-day counts summed. */
export type Counts = ServiceDayCounts;

export interface ServiceRangeFigures extends Counts {
  serviceId: string;
  agencyId: string;
  transfersIn: number;
  transfersOut: number;
  skm: SkmDay;
  ikm?: IkmResult;
}

export interface RangeReport {
  range: DayRange;
  total: Counts & { transfersIn: number; transfersOut: number };
  /** Services with anything in the period, in catalogue order. */
  services: ServiceRangeFigures[];
  agencies: Array<Counts & { agencyId: string }>;
  counters: Array<{ counterId: string; served: number; noshow: number }>;
  officers: Array<{ officer: string; served: number }>;
  /** Tickets served whose officer was not recorded (called through the API, or before officers were kept). */
  servedWithoutOfficer: number;
  /** Local hours 0–23: tickets taken, tickets served and their average wait, by the hour they were taken. */
  hours: Array<{ hour: number; arrivals: number; served: number; avgWaitMs?: number }>;
  waits: WaitStats & { maxMs?: number; targetMinutes: number };
  /** No-shows over tickets called (served + no-show), 0–1. */
  noshowShare?: number;
  channels: Record<IntakeKind, number>;
  transfers: { out: number; in: number; reconciled: boolean; pairs: Array<{ from: string; to: string; count: number }> };
  survey: {
    responses: number;
    comments: number;
    /** Pooled over every answer in the period (sums of scores over all answers), not an average of daily indexes. */
    ikm?: IkmResult;
    /** The sample the period needs (see `minSample`), and whether the answers fall short of it. */
    minSample: number;
    belowMinimum: boolean;
  };
  /** Days in the period with tickets but recorded before the hourly/counter/channel detail existed. */
  daysWithoutDetail: string[];
}

export interface RangeReportOptions {
  /** The wait an MPP aims at (minutes); the share at or over it is reported. */
  waitTargetMinutes: number;
  /** A fixed minimum of survey answers; when absent, the Krejcie & Morgan sample for the citizens served. */
  minSample?: number;
}

/** The durable per-day reads the report is built from. */
export interface RangeSources {
  queue: { dayDetails(serviceIds: readonly string[], days: readonly string[]): Promise<ServiceDayDetail[]> };
  survey: Pick<SurveyStore, 'days' | 'comments'>;
}

export interface CommentPage {
  total: number;
  page: number;
  perPage: number;
  pages: number;
  items: Array<{ day: string; serviceId: string; text: string }>;
}

const COUNT_KEYS = ['issued', 'served', 'noshow', 'cancelled', 'waitMs', 'serviceMs'] as const;
const zero = (): Counts => ({ issued: 0, served: 0, noshow: 0, cancelled: 0, waitMs: 0, serviceMs: 0 });
function addCounts(into: Counts, from: Counts): void {
  for (const k of COUNT_KEYS) into[k] += from[k];
}

/**
 * The MPP head's report over a period, from durable per-day aggregates only: the queue's stats
 * hash per service and day and the survey's totals per service and day (both kept 400 days).
 * Tickets themselves expire after the retention period and are never read here.
 */
export class RangeReports {
  constructor(
    private readonly sources: RangeSources,
    private readonly catalogue: Catalogue,
    private readonly options: RangeReportOptions,
  ) {}

  async report(range: DayRange): Promise<RangeReport> {
    const ids = [...this.catalogue.services.keys()];
    const [details, skmDays] = await Promise.all([this.sources.queue.dayDetails(ids, range.days), Promise.all(range.days.map((d) => this.sources.survey.days(ids, d)))]);
    const tz = this.catalogue.mpp.timezone;
    const perService = new Map(ids.map((id) => [id, { counts: zero(), skm: emptySkmDay(), in: 0, out: 0 }]));
    const counters = new Map<string, { served: number; noshow: number }>();
    const officers = new Map<string, number>();
    const pairs = new Map<string, number>();
    const channels: Record<IntakeKind, number> = { chat: 0, kiosk: 0, counter: 0, other: 0 };
    const hours = Array.from({ length: 24 }, () => ({ arrivals: 0, served: 0, waitMs: 0 }));
    let histogram: number[] = [];
    let maxMs: number | undefined;
    const undetailed = new Set<string>();
    const offsets = new Map(range.days.map((d) => [d, utcOffsetHours(d, tz)]));

    for (const d of details) {
      const s = perService.get(d.serviceId)!;
      addCounts(s.counts, d);
      if (d.issued + d.served + d.noshow + d.cancelled > 0 && !d.detailed) undetailed.add(d.day);
      const offset = offsets.get(d.day) ?? 0;
      for (let h = 0; h < 24; h++) {
        const local = hours[(((h + offset) % 24) + 24) % 24]!;
        local.arrivals += d.arrivalsByUtcHour[h]!;
        local.served += d.servedByUtcHour[h]!;
        local.waitMs += d.waitMsByUtcHour[h]!;
      }
      histogram = addHistograms(histogram, d.waitMinutes);
      if (d.waitMaxMs !== undefined) maxMs = Math.max(maxMs ?? 0, d.waitMaxMs);
      for (const [id, c] of Object.entries(d.counters)) {
        const into = counters.get(id) ?? { served: 0, noshow: 0 };
        counters.set(id, { served: into.served + c.served, noshow: into.noshow + c.noshow });
      }
      for (const [who, n] of Object.entries(d.officers)) officers.set(who, (officers.get(who) ?? 0) + n);
      for (const [key, n] of Object.entries(d.intake)) channels[intakeOf(key)] += n;
      s.out += d.transfersOut;
      for (const [to, n] of Object.entries(d.transfersTo)) {
        pairs.set(`${d.serviceId}\u0000${to}`, (pairs.get(`${d.serviceId}\u0000${to}`) ?? 0) + n);
        const target = perService.get(to);
        if (target) target.in += n;
      }
    }
    for (const day of skmDays) {
      for (const [id, skm] of day) {
        const s = perService.get(id);
        if (s) s.skm = addSkmDays(s.skm, skm);
      }
    }

    const services: ServiceRangeFigures[] = [];
    for (const [serviceId, s] of perService) {
      const c = s.counts;
      if (c.issued + c.served + c.noshow + c.cancelled + s.skm.responses + s.in + s.out === 0) continue;
      const ikm = ikmFromTotals(s.skm.elements);
      services.push({ serviceId, agencyId: this.catalogue.services.get(serviceId)?.agency ?? '', ...c, transfersIn: s.in, transfersOut: s.out, skm: s.skm, ...(ikm ? { ikm } : {}) });
    }
    const total = { ...zero(), transfersIn: 0, transfersOut: 0 };
    let skm = emptySkmDay();
    const agencies = new Map<string, Counts>();
    for (const s of services) {
      addCounts(total, s);
      total.transfersIn += s.transfersIn;
      total.transfersOut += s.transfersOut;
      skm = addSkmDays(skm, s.skm);
      const a = agencies.get(s.agencyId) ?? zero();
      addCounts(a, s);
      agencies.set(s.agencyId, a);
    }
    const ikm = ikmFromTotals(skm.elements);
    const minSample = this.options.minSample ?? krejcieMorganSample(total.served);
    const servedByOfficer = [...officers.values()].reduce((a, b) => a + b, 0);
    const called = total.served + total.noshow;
    const counterOrder = this.catalogue.mpp.counters.map((c) => c.id);
    return {
      range,
      total,
      services,
      agencies: [...agencies].map(([agencyId, c]) => ({ agencyId, ...c })),
      counters: [...counters]
        .map(([counterId, c]) => ({ counterId, ...c }))
        .sort((a, b) => rank(counterOrder, a.counterId) - rank(counterOrder, b.counterId) || a.counterId.localeCompare(b.counterId)),
      officers: [...officers].map(([officer, served]) => ({ officer, served })).sort((a, b) => b.served - a.served || a.officer.localeCompare(b.officer)),
      servedWithoutOfficer: Math.max(0, total.served - servedByOfficer),
      hours: hours.map((h, hour) => ({ hour, arrivals: h.arrivals, served: h.served, ...(h.served > 0 ? { avgWaitMs: h.waitMs / h.served } : {}) })),
      waits: { ...waitStats(histogram, this.options.waitTargetMinutes), ...(maxMs !== undefined ? { maxMs } : {}), targetMinutes: this.options.waitTargetMinutes },
      ...(called > 0 ? { noshowShare: total.noshow / called } : {}),
      channels,
      transfers: {
        out: total.transfersOut,
        in: total.transfersIn,
        reconciled: total.transfersOut === total.transfersIn,
        pairs: [...pairs].map(([key, count]) => {
          const [from, to] = key.split('\u0000') as [string, string];
          return { from, to, count };
        }),
      },
      survey: { responses: skm.responses, comments: skm.comments, ...(ikm ? { ikm } : {}), minSample, belowMinimum: skm.responses < minSample },
      daysWithoutDetail: [...undetailed].sort(),
    };
  }

  /**
   * One page of the survey comments of the period, newest day first. Comments were masked when
   * stored (`cleanComment`); the page masks them again, since older ones predate that.
   */
  async comments(range: DayRange, page: number, perPage: number): Promise<CommentPage> {
    const ids = [...this.catalogue.services.keys()];
    const days = [...range.days].reverse();
    const skmDays = await Promise.all(days.map((d) => this.sources.survey.days(ids, d)));
    const lists: Array<{ day: string; serviceId: string; count: number }> = [];
    days.forEach((day, i) => ids.forEach((serviceId) => {
      const count = Math.min(skmDays[i]!.get(serviceId)?.comments ?? 0, COMMENTS_KEPT);
      if (count > 0) lists.push({ day, serviceId, count });
    }));
    const items: CommentPage['items'] = [];
    const start = (page - 1) * perPage;
    let offset = 0;
    let total = 0;
    for (const list of lists) {
      if (offset + list.count > start && items.length < perPage) {
        const texts = await this.sources.survey.comments(list.serviceId, list.day);
        list.count = texts.length;
        for (let j = Math.max(0, start - offset); j < texts.length && items.length < perPage; j++) items.push({ day: list.day, serviceId: list.serviceId, text: texts[j]! });
      }
      offset += list.count;
      total += list.count;
    }
    return { total, page, perPage, pages: Math.max(1, Math.ceil(total / perPage)), items };
  }
}

/** Chat channels come in with source `chat` (or `booking` from a chat appointment); the kiosk says `kiosk`; a walk-in issued by an officer has channel `counter`. */
export function intakeOf(channelSource: string): IntakeKind {
  const cut = channelSource.indexOf(':');
  const channel = cut < 0 ? channelSource : channelSource.slice(0, cut);
  const source = cut < 0 ? '' : channelSource.slice(cut + 1);
  if (channel === 'counter' || source === 'counter') return 'counter';
  if (channel === 'kiosk' || source === 'kiosk') return 'kiosk';
  if (source === 'chat' || source === 'booking') return 'chat';
  return 'other';
}

/** The zone's offset on that day, in whole hours (Indonesian zones: +7, +8, +9; no DST). */
export function utcOffsetHours(day: string, timeZone: string): number {
  const noonUtc = Date.parse(`${day}T12:00:00Z`);
  return Math.round((noonUtc - zonedTime(day, 12 * 60, timeZone).getTime()) / 3_600_000);
}

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? order.length : i;
}
