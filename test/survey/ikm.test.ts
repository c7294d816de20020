import { describe, expect, it } from 'vitest';
import { gradeOf, ikm, ikmFromTotals } from '../../src/survey/ikm.js';

describe('IKM (PermenPANRB 14/2017)', () => {
  it('computes NRR, weighted NRR, the unit index, the converted value and the grade of a worked example', () => {
    // Element averages U1..U9: 3.2, 3.1, 3.0, 3.5, 3.3, 3.4, 3.6, 2.9, 3.2.
    // NRR tertimbang = NRR × 1/9: 0.3556, 0.3444, 0.3333, 0.3889, 0.3667, 0.3778, 0.4000, 0.3222, 0.3556.
    // IKM unit = Σ = 29.2 / 9 = 3.2444…; converted = 3.2444… × 25 = 81.111… → 81.11.
    // 76.61 ≤ 81.11 ≤ 88.30 → B, "Baik".
    const r = ikm([3.2, 3.1, 3.0, 3.5, 3.3, 3.4, 3.6, 2.9, 3.2]);
    expect(r.nrr).toEqual([3.2, 3.1, 3.0, 3.5, 3.3, 3.4, 3.6, 2.9, 3.2]);
    expect(r.weighted[0]).toBeCloseTo(0.3556, 4);
    expect(r.weighted[6]).toBeCloseTo(0.4, 10);
    expect(r.weighted[7]).toBeCloseTo(0.3222, 4);
    expect(r.unit).toBeCloseTo(3.2444, 4);
    expect(r.converted).toBe(81.11);
    expect(r.grade).toBe('B');
    expect(r.performance).toBe('baik');
  });

  it('puts the band edges where the regulation does', () => {
    expect(gradeOf(25)).toEqual({ grade: 'D', performance: 'tidak_baik' });
    expect(gradeOf(64.99).grade).toBe('D');
    expect(gradeOf(65.0)).toEqual({ grade: 'C', performance: 'kurang_baik' });
    expect(gradeOf(76.6).grade).toBe('C');
    expect(gradeOf(76.61)).toEqual({ grade: 'B', performance: 'baik' });
    expect(gradeOf(88.3).grade).toBe('B');
    expect(gradeOf(88.31)).toEqual({ grade: 'A', performance: 'sangat_baik' });
    expect(gradeOf(100).grade).toBe('A');
  });

  it('grades the extremes and all-equal answers', () => {
    expect(ikm(Array(9).fill(1))).toMatchObject({ converted: 25, grade: 'D' });
    expect(ikm(Array(9).fill(4))).toMatchObject({ converted: 100, grade: 'A' });
    // 3.0 everywhere → 75.00: still C, not B (the 2004 bands would have said B).
    expect(ikm(Array(9).fill(3))).toMatchObject({ converted: 75, grade: 'C' });
  });

  it('computes from stored totals, and gives nothing while an element has no answers', () => {
    const totals = [32, 31, 30, 35, 33, 34, 36, 29, 32].map((sum) => ({ sum, n: 10 }));
    expect(ikmFromTotals(totals)?.converted).toBe(81.11);
    expect(ikmFromTotals(totals.map((t, i) => (i === 4 ? { sum: 0, n: 0 } : t)))).toBeUndefined();
  });

  it('refuses input that would publish a wrong index', () => {
    expect(() => ikm([3, 3, 3])).toThrow(RangeError);
    expect(() => ikm([3, 3, 3, 3, 3, 3, 3, 3, 5])).toThrow(RangeError);
    expect(() => ikm([3, 3, 3, 3, 3, 3, 3, 3, Number.NaN])).toThrow(RangeError);
  });
});
