import { describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS, parseRange, shiftRange } from '../../src/reports/range.js';
import { addHistograms, krejcieMorganSample, percentileOf, waitStats } from '../../src/reports/wait-stats.js';
import { intakeOf, utcOffsetHours } from '../../src/reports/range-report.js';

const TODAY = '2026-11-25'; // a Wednesday
const ok = (q: Record<string, unknown>) => {
  const r = parseRange(q, TODAY);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return [r.range.from, r.range.to, r.range.days.length];
};

describe('report periods', () => {
  it('turns day, week, month, quarter and semester into local day ranges', () => {
    expect(ok({})).toEqual([TODAY, TODAY, 1]);
    expect(ok({ range: 'week' })).toEqual(['2026-11-23', '2026-11-29', 7]);
    expect(ok({ range: 'week', day: '2026-11-29' })).toEqual(['2026-11-23', '2026-11-29', 7]);
    expect(ok({ range: 'month', day: '2024-02-10' })).toEqual(['2024-02-01', '2024-02-29', 29]);
    expect(ok({ range: 'quarter' })).toEqual(['2026-10-01', '2026-12-31', 92]);
    expect(ok({ range: 'quarter', day: '2026-05-01' })).toEqual(['2026-04-01', '2026-06-30', 91]);
    expect(ok({ range: 'semester', day: '2026-06-30' })).toEqual(['2026-01-01', '2026-06-30', 181]);
    expect(ok({ range: 'semester' })).toEqual(['2026-07-01', '2026-12-31', 184]);
    expect(ok({ range: 'custom', from: '2026-11-01', to: '2026-11-03' })).toEqual(['2026-11-01', '2026-11-03', 3]);
  });

  it('refuses unknown kinds, impossible dates, reversed, missing and over-long ranges, each with its reason', () => {
    const no = (q: Record<string, unknown>) => {
      const r = parseRange(q, TODAY);
      return r.ok ? 'accepted' : r.error;
    };
    expect(no({ range: 'year' })).toBe('bad_kind');
    expect(no({ range: ['day', 'week'] })).toBe('bad_kind');
    expect(no({ day: '2026-02-30' })).toBe('bad_date');
    expect(no({ day: '25-11-2026' })).toBe('bad_date');
    expect(no({ range: 'month', day: '1999-12-31' })).toBe('bad_date');
    expect(no({ range: 'custom', from: '2026-11-01' })).toBe('missing_dates');
    expect(no({ range: 'custom', from: '2026-11-05', to: '2026-11-01' })).toBe('from_after_to');
    expect(no({ range: 'custom', from: '2026-11-01', to: '2026-13-01' })).toBe('bad_date');
    expect(no({ range: 'custom', from: '2025-01-01', to: '2026-01-02' })).toBe('too_long');
    expect(ok({ range: 'custom', from: '2024-01-01', to: '2024-12-31' })[2]).toBe(MAX_RANGE_DAYS);
  });

  it('steps to the period before and after', () => {
    const month = parseRange({ range: 'month', day: '2026-01-15' }, TODAY);
    if (!month.ok) throw new Error('refused');
    expect([shiftRange(month.range, -1).from, shiftRange(month.range, -1).to]).toEqual(['2025-12-01', '2025-12-31']);
    expect([shiftRange(month.range, 1).from, shiftRange(month.range, 1).to]).toEqual(['2026-02-01', '2026-02-28']);
    const custom = parseRange({ range: 'custom', from: '2026-11-01', to: '2026-11-03' }, TODAY);
    if (!custom.ok) throw new Error('refused');
    expect(shiftRange(custom.range, 1).from).toBe('2026-11-04');
  });
});

describe('wait figures', () => {
  it('takes nearest-rank percentiles from a minute histogram', () => {
    // Waits of 1, 2, 3 … 10 minutes, one each.
    const h = addHistograms([], [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(percentileOf(h, 0.5)).toBe(5);
    expect(percentileOf(h, 0.9)).toBe(9);
    expect(percentileOf(h, 1)).toBe(10);
    expect(percentileOf([], 0.5)).toBeUndefined();
    expect(() => percentileOf(h, 0)).toThrow(RangeError);
    const stats = waitStats(h, 8);
    expect(stats).toEqual({ count: 10, medianMinutes: 5, p90Minutes: 9, overTarget: 3, overTargetShare: 0.3 });
    expect(waitStats([], 30)).toEqual({ count: 0, overTarget: 0 });
  });

  it('asks the Krejcie & Morgan sample of PermenPANRB 14/2017', () => {
    expect([0, 10, 100, 500, 1000, 10_000, 1_000_000].map(krejcieMorganSample)).toEqual([0, 10, 80, 218, 278, 370, 384]);
  });

  it('sorts tickets into chat, kiosk, counter and other', () => {
    expect(['telegram:chat', 'webchat:booking', 'kiosk:kiosk', 'web:kiosk', 'counter:counter', 'counter:walk-in', 'api:api', 'test:test'].map(intakeOf)).toEqual(['chat', 'chat', 'kiosk', 'kiosk', 'counter', 'counter', 'other', 'other']);
  });

  it('knows the Indonesian zones as whole hours', () => {
    expect(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'].map((z) => utcOffsetHours('2026-11-23', z))).toEqual([7, 8, 9]);
  });
});
