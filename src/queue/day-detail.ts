/** Waits are counted per whole minute up to this many; longer waits share the last bucket (the exact longest is kept apart). */
export const WAIT_BUCKET_CAP_MINUTES = 600;

/** A service's daily counts, kept for yearly reports (no personal data). */
export interface ServiceDayCounts {
  issued: number;
  served: number;
  noshow: number;
  cancelled: number;
  /** Sum of waits from taking to being called, over the tickets served (ms). */
  waitMs: number;
  /** Sum of times at the counter, over the tickets served (ms). */
  serviceMs: number;
}

/**
 * One service's durable figures for one local day: the stats hash (`…:stats:<service>:<day>`,
 * kept STATS_TTL_SEC, 400 days) as written by take.lua and transition.lua. Anonymous counts only.
 * Hours are UTC hours of day (Lua has no time zone); the reader turns them into local hours.
 * Days recorded before the detail existed have the counts but `detailed` false.
 */
export interface ServiceDayDetail extends ServiceDayCounts {
  serviceId: string;
  day: string;
  /** True when the day carries the report detail below (written since this version). */
  detailed: boolean;
  /** Tickets taken per UTC hour of day (24). */
  arrivalsByUtcHour: number[];
  /** Sum and count of waits of the tickets served, by the UTC hour they were taken (24 each). */
  waitMsByUtcHour: number[];
  servedByUtcHour: number[];
  /** Tickets served per whole minute waited (index = minutes, the last one is the cap). */
  waitMinutes: number[];
  /** The longest wait of a served ticket (ms). */
  waitMaxMs?: number;
  /** Tickets served and no-shows per counter id. */
  counters: Record<string, { served: number; noshow: number }>;
  /** Tickets served per officer (the staff username that called them, when the caller said). */
  officers: Record<string, number>;
  /** Tickets taken per `channel:source` (e.g. `telegram:chat`, `kiosk:kiosk`, `counter:counter`). */
  intake: Record<string, number>;
  /** Transfers out of this service (counted on the ticket's day) and their target services. */
  transfersOut: number;
  transfersTo: Record<string, number>;
}

const COUNTS = ['issued', 'served', 'noshow', 'cancelled', 'waitMs', 'serviceMs'] as const;

export function parseDayDetail(serviceId: string, day: string, raw: Record<string, string>): ServiceDayDetail {
  const num = (v: string | undefined) => {
    const n = Number(v ?? 0);
    return Number.isFinite(n) ? n : 0;
  };
  const d: ServiceDayDetail = {
    serviceId,
    day,
    ...(Object.fromEntries(COUNTS.map((c) => [c, num(raw[c])])) as Record<(typeof COUNTS)[number], number>),
    detailed: false,
    arrivalsByUtcHour: new Array<number>(24).fill(0),
    waitMsByUtcHour: new Array<number>(24).fill(0),
    servedByUtcHour: new Array<number>(24).fill(0),
    waitMinutes: new Array<number>(WAIT_BUCKET_CAP_MINUTES + 1).fill(0),
    counters: {},
    officers: {},
    intake: {},
    transfersOut: num(raw.xout),
    transfersTo: {},
  };
  if (raw.waitMax !== undefined) d.waitMaxMs = num(raw.waitMax);
  const counter = (id: string) => (d.counters[id] ??= { served: 0, noshow: 0 });
  for (const [field, value] of Object.entries(raw)) {
    const cut = field.indexOf(':');
    if (cut < 0) continue;
    const kind = field.slice(0, cut);
    const rest = field.slice(cut + 1);
    const n = num(value);
    const hour = Number(rest);
    const isHour = Number.isInteger(hour) && hour >= 0 && hour < 24;
    switch (kind) {
      case 'ah':
        if (isHour) d.arrivalsByUtcHour[hour]! += n;
        d.detailed = true;
        break;
      case 'wh':
        if (isHour) d.waitMsByUtcHour[hour]! += n;
        break;
      case 'wn':
        if (isHour) d.servedByUtcHour[hour]! += n;
        d.detailed = true;
        break;
      case 'wm': {
        const m = Number(rest);
        if (Number.isInteger(m) && m >= 0) d.waitMinutes[Math.min(m, WAIT_BUCKET_CAP_MINUTES)]! += n;
        break;
      }
      case 'ctr':
        counter(rest).served += n;
        break;
      case 'cns':
        counter(rest).noshow += n;
        break;
      case 'off':
        d.officers[rest] = (d.officers[rest] ?? 0) + n;
        break;
      case 'in':
        d.intake[rest] = (d.intake[rest] ?? 0) + n;
        d.detailed = true;
        break;
      case 'xto':
        d.transfersTo[rest] = (d.transfersTo[rest] ?? 0) + n;
        break;
    }
  }
  return d;
}
