import type { Redis } from 'ioredis';
import type { ComplaintKeys } from './keys.js';

export interface Durations {
  n: number;
  /** Mean in ms; undefined without data. */
  meanMs?: number;
}

export interface AgencyFigures {
  created: number;
  firstResponse: Durations;
  resolution: Durations;
}

/** Figures over a set of days; agency `-` is "no agency given". */
export interface ComplaintFigureTotals {
  created: number;
  byCategory: Record<string, number>;
  byAgency: Record<string, AgencyFigures>;
  firstResponse: Durations;
  resolution: Durations;
}

/**
 * Complaint figures for /admin/report and CSV: counts and summed durations per filing day, no
 * text and nobody's identity, so they outlive the complaint texts.
 */
export class ComplaintFigures {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ComplaintKeys,
  ) {}

  async totals(days: readonly string[]): Promise<ComplaintFigureTotals> {
    const pipe = this.redis.pipeline();
    for (const d of days) pipe.hgetall(this.keys.stats(d));
    const sums = new Map<string, number>();
    for (const [, raw] of (await pipe.exec()) ?? []) {
      for (const [field, value] of Object.entries((raw ?? {}) as Record<string, string>)) sums.set(field, (sums.get(field) ?? 0) + Number(value));
    }
    const get = (f: string) => sums.get(f) ?? 0;
    const durations = (n: string, ms: string): Durations => (get(n) ? { n: get(n), meanMs: Math.round(get(ms) / get(n)) } : { n: 0 });
    const byCategory: Record<string, number> = {};
    const byAgency: Record<string, AgencyFigures> = {};
    for (const field of sums.keys()) {
      if (field.startsWith('category:')) byCategory[field.slice(9)] = get(field);
      if (field.startsWith('agency:')) {
        const a = field.slice(7);
        byAgency[a] = { created: get(field), firstResponse: durations(`first_n:agency:${a}`, `first_ms:agency:${a}`), resolution: durations(`resolved_n:agency:${a}`, `resolved_ms:agency:${a}`) };
      }
    }
    return { created: get('created'), byCategory, byAgency, firstResponse: durations('first_n', 'first_ms'), resolution: durations('resolved_n', 'resolved_ms') };
  }
}
