/**
 * Figures from a histogram of waits in whole minutes (index = minutes waited, rounded down), the
 * form the queue keeps per service and day: small, durable and addable across days.
 */
export interface WaitStats {
  /** Tickets served that the histogram covers. */
  count: number;
  /** Nearest-rank percentiles, in whole minutes (rounded down). */
  medianMinutes?: number;
  p90Minutes?: number;
  /** Served tickets that waited the target or longer, and their share (0–1). */
  overTarget: number;
  overTargetShare?: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least p·N values at or below it):
 * always a wait someone really had, no interpolation between buckets.
 */
export function percentileOf(histogram: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 1)) throw new RangeError(`a percentile lies in (0, 1], got ${p}`);
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (let m = 0; m < histogram.length; m++) {
    seen += histogram[m]!;
    if (seen >= rank) return m;
  }
  return histogram.length - 1;
}

export function waitStats(histogram: readonly number[], targetMinutes: number): WaitStats {
  const count = histogram.reduce((a, b) => a + b, 0);
  const overTarget = histogram.slice(targetMinutes).reduce((a, b) => a + b, 0);
  const median = percentileOf(histogram, 0.5);
  const p90 = percentileOf(histogram, 0.9);
  return {
    count,
    ...(median !== undefined ? { medianMinutes: median } : {}),
    ...(p90 !== undefined ? { p90Minutes: p90 } : {}),
    overTarget,
    ...(count > 0 ? { overTargetShare: overTarget / count } : {}),
  };
}

/** Adds histograms of any lengths. */
export function addHistograms(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(Math.max(a.length, b.length)).fill(0);
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return out;
}

/**
 * The survey sample the regulation asks for: PermenPANRB 14/2017 (Lampiran, "Penentuan jumlah
 * responden") uses the Krejcie & Morgan (1970) table, s = X²NP(1−P) / (d²(N−1) + X²P(1−P)) with
 * X² = 3.841 (95 %), P = 0.5, d = 0.05; N is the population, here the citizens served in the
 * period (e.g. N 100 → 80, N 1,000 → 278, N 10,000 → 370).
 */
export function krejcieMorganSample(population: number): number {
  if (population <= 0) return 0;
  const x2 = 3.841;
  const p = 0.5;
  const d = 0.05;
  return Math.ceil((x2 * population * p * (1 - p)) / (d * d * (population - 1) + x2 * p * (1 - p)));
}
