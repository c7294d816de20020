import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';
import { returnReasons, type ReturnReason } from './conversation.js';

/** A day's desk figures, by the local day the hand-overs were opened. */
export interface DeskDayFigures {
  opened: number;
  /** Resolved by the desk (an officer closed it). */
  closed: number;
  /** Handed back to the assistant, by why. */
  returned: Record<ReturnReason, number>;
  /** First-response times in ms: count, p50, p90 (undefined without data). */
  firstResponse: { n: number; p50?: number; p90?: number; meanMs?: number };
  /** Hand-overs opened per local hour of day, 0–23. */
  perHour: number[];
}

export interface ReplyEstimate {
  ms: number;
  samples: number;
  /** False when no first response was measured yet and the default was used. */
  measured: boolean;
}

/**
 * The desk's figures for /admin/report and the "reply usually takes …" line. They hold counts and
 * durations only, nothing about a citizen, and are kept past the transcripts' retention.
 */
export class DeskFigures {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly opts: { estimateSamples: number; defaultReplyMs: number },
  ) {}

  /** Median of the latest first responses; the default while there are none. */
  async replyEstimate(): Promise<ReplyEstimate> {
    const raw = await this.redis.lrange(this.keys.recentFirstResponses, 0, this.opts.estimateSamples - 1);
    const samples = raw.map(Number);
    if (samples.length === 0) return { ms: this.opts.defaultReplyMs, samples: 0, measured: false };
    return { ms: percentile(samples, 50)!, samples: samples.length, measured: true };
  }

  async day(day: string): Promise<DeskDayFigures> {
    return (await this.days([day]))[0]!;
  }

  /** Several days in one round trip, in the order asked. */
  async days(days: readonly string[]): Promise<DeskDayFigures[]> {
    const pipe = this.redis.pipeline();
    for (const d of days) pipe.hgetall(this.keys.stats(d)).lrange(this.keys.firstResponses(d), 0, -1);
    const replies = (await pipe.exec()) ?? [];
    return days.map((_d, i) => {
      const stats = (replies[2 * i]?.[1] ?? {}) as Record<string, string>;
      const samples = ((replies[2 * i + 1]?.[1] ?? []) as string[]).map(Number);
      return dayFigures(stats, samples);
    });
  }
}

function dayFigures(stats: Record<string, string>, samples: number[]): DeskDayFigures {
  const n = (field: string) => Number(stats[field] ?? 0);
  const count = n('first_responses');
  return {
    opened: n('opened'),
    closed: n('closed'),
    returned: Object.fromEntries(returnReasons.map((r) => [r, n(`returned:${r}`)])) as Record<ReturnReason, number>,
    firstResponse: {
      n: count,
      ...(samples.length ? { p50: percentile(samples, 50)!, p90: percentile(samples, 90)! } : {}),
      ...(count ? { meanMs: Math.round(n('first_response_ms') / count) } : {}),
    },
    perHour: Array.from({ length: 24 }, (_v, h) => n(`hour:${h}`)),
  };
}

/** Nearest-rank percentile (what a report reader expects: a value that occurred). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
