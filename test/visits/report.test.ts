import { describe, expect, it } from 'vitest';
import { aggregateVisits, type VisitRecord } from '../../src/visits/report.js';

const served = (service: string, servedOn = '2026-12-01') => ({ service, outcome: 'served' as const, servedOn });
const visit = (visitId: string, steps: VisitRecord['steps'], date = '2026-12-01'): VisitRecord => ({ visitId, date, steps });

describe('visit report', () => {
  it('counts a combination once whatever the order of its steps', () => {
    const r = aggregateVisits([visit('v1', [served('sim'), served('pajak')]), visit('v2', [served('pajak'), served('sim')])]);
    expect(r.combinations).toEqual([{ combination: 'pajak+sim', services: ['pajak', 'sim'], visits: 2, completedSameDay: 2, completedLater: 0, incomplete: 0 }]);
    expect(r).toMatchObject({ visits: 2, completedSameDay: 2 });
  });

  it('tells same-day completion from a step served on a later day', () => {
    const r = aggregateVisits([visit('v1', [served('kk'), served('ktp', '2026-12-02')])]);
    expect(r.combinations[0]).toMatchObject({ completedSameDay: 0, completedLater: 1, incomplete: 0 });
    expect(r.completedSameDay).toBe(0);
  });

  it('counts no-shows, cancellations and open steps as incomplete', () => {
    const r = aggregateVisits([
      visit('v1', [served('a'), { service: 'b', outcome: 'no_show' }]),
      visit('v2', [served('a'), { service: 'b', outcome: 'cancelled' }]),
      visit('v3', [{ service: 'a', outcome: 'open' }, served('b')]),
    ]);
    expect(r.combinations[0]).toMatchObject({ visits: 3, incomplete: 3, completedSameDay: 0 });
  });

  it('leaves single-service visits out', () => {
    expect(aggregateVisits([visit('v1', [served('a')]), visit('v2', [served('a'), served('a')])])).toEqual({ visits: 0, completedSameDay: 0, combinations: [] });
  });

  it('sorts combinations by visits, then by name', () => {
    const r = aggregateVisits([visit('1', [served('x'), served('y')]), visit('2', [served('a'), served('b')]), visit('3', [served('x'), served('y')]), visit('4', [served('c'), served('d')])]);
    expect(r.combinations.map((c) => [c.combination, c.visits])).toEqual([
      ['x+y', 2],
      ['a+b', 1],
      ['c+d', 1],
    ]);
  });
});
