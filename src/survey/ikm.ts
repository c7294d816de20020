/**
 * The Indeks Kepuasan Masyarakat of PermenPANRB 14/2017: nine elements (unsur) scored 1–4, each
 * element's average is its NRR, weighted by 1/9 (total weight 1 over nine elements), summed into
 * the unit's index and converted ×25 onto the 25–100 scale that the grade bands are written in.
 */

/** The nine SKM elements, in the regulation's order (U1…U9). Their wording lives in locales/. */
export const skmElements = ['persyaratan', 'prosedur', 'waktu', 'biaya', 'produk', 'kompetensi', 'perilaku', 'pengaduan', 'sarana'] as const;
export type SkmElement = (typeof skmElements)[number];

export const SKM_MIN = 1;
export const SKM_MAX = 4;

export type IkmGrade = 'A' | 'B' | 'C' | 'D';
/** The regulation's mutu pelayanan words; locales spell them (`survey.performance.<code>`). */
export type IkmPerformance = 'sangat_baik' | 'baik' | 'kurang_baik' | 'tidak_baik';

export interface IkmResult {
  /** NRR per element: the average score, 1–4. */
  nrr: number[];
  /** NRR tertimbang per element: NRR × 1/9. */
  weighted: number[];
  /** IKM unit pelayanan: the sum of the weighted NRRs, 1–4. */
  unit: number;
  /** IKM converted (×25), 25–100, rounded to the two decimals the grade table is written in. */
  converted: number;
  grade: IkmGrade;
  performance: IkmPerformance;
}

/** Element totals as stored per service and day. */
export interface ElementTotal {
  sum: number;
  n: number;
}

/**
 * The index from the nine element averages. Throws on anything but nine averages within 1–4:
 * a wrong input here would publish a wrong grade.
 */
export function ikm(means: readonly number[]): IkmResult {
  if (means.length !== skmElements.length) throw new RangeError(`IKM needs ${skmElements.length} element averages, got ${means.length}`);
  for (const m of means) if (!(m >= SKM_MIN && m <= SKM_MAX)) throw new RangeError(`an element average must lie within ${SKM_MIN}–${SKM_MAX}, got ${m}`);
  const weight = 1 / skmElements.length;
  const weighted = means.map((m) => m * weight);
  const unit = weighted.reduce((a, b) => a + b, 0);
  const converted = round2(unit * 25);
  return { nrr: [...means], weighted, unit, converted, ...gradeOf(converted) };
}

/** The index from stored totals; undefined while any element has no answer yet. */
export function ikmFromTotals(elements: readonly ElementTotal[]): IkmResult | undefined {
  if (elements.length !== skmElements.length || elements.some((e) => e.n <= 0)) return undefined;
  return ikm(elements.map((e) => e.sum / e.n));
}

/**
 * The grade bands of PermenPANRB 14/2017 on the converted scale: D 25,00–64,99; C 65,00–76,60;
 * B 76,61–88,30; A 88,31–100,00 (not the 2004 bands). Compared in hundredths, the table's precision.
 */
export function gradeOf(converted: number): { grade: IkmGrade; performance: IkmPerformance } {
  const hundredths = Math.round(converted * 100);
  if (hundredths <= 6499) return { grade: 'D', performance: 'tidak_baik' };
  if (hundredths <= 7660) return { grade: 'C', performance: 'kurang_baik' };
  if (hundredths <= 8830) return { grade: 'B', performance: 'baik' };
  return { grade: 'A', performance: 'sangat_baik' };
}

function round2(x: number): number {
  // The epsilon keeps 88.305 from becoming 88.30 through its binary representation.
  return Math.round((x + Number.EPSILON * 100) * 100) / 100;
}
