import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/loader.js';
import { visitSchema } from '../../src/catalogue/schema.js';
import { checkVisitGraph, directNeeds, type Linked } from '../../src/catalogue/visit-graph.js';

const src = ['https://example.org/source'];
const link = (service: string) => ({ service, product: { id: 'p', en: 'p' }, sources: src });
function graph(edges: Record<string, string[]>, combines: Record<string, string[]> = {}): Map<string, Linked> {
  const ids = new Set([...Object.keys(edges), ...Object.keys(combines)]);
  return new Map(
    [...ids].map((id) => [id, { id, visit: { needs: (edges[id] ?? []).map(link), combines_with: (combines[id] ?? []).map((s) => ({ service: s, why: { id: 'w', en: 'w' }, sources: src })) } }]),
  );
}

describe('visit graph check', () => {
  it('passes the real content: every link known, no cycles', async () => {
    const catalogue = await loadCatalogue('content');
    expect(checkVisitGraph(catalogue.services)).toEqual([]);
    const links = [...catalogue.services.values()].flatMap((s) => [...(s.visit?.needs ?? []), ...(s.visit?.combines_with ?? [])]);
    expect(links.length).toBeGreaterThanOrEqual(10);
    for (const l of links) expect(l.sources.length).toBeGreaterThan(0);
  });

  it('fails on a two-service cycle and names it', () => {
    const problems = checkVisitGraph(graph({ a: ['b'], b: ['a'] }));
    expect(problems.map((p) => p.code)).toEqual(['cycle']);
    expect(problems[0]!.field).toBe('a -> b -> a');
  });

  it('fails on a longer cycle behind an acyclic entry', () => {
    const problems = checkVisitGraph(graph({ start: ['x'], x: ['y'], y: ['z'], z: ['x'] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'cycle', field: 'x -> y -> z -> x' });
  });

  it('accepts a diamond (two paths to one prerequisite) as no cycle', () => {
    expect(checkVisitGraph(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });

  it('fails on an unknown id in needs and in combines_with', () => {
    const problems = checkVisitGraph(graph({ a: ['ghost'] }, { a: ['phantom'] }));
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ['unknown_service', 'visit.needs.0.service'],
      ['unknown_service', 'visit.combines_with.0.service'],
    ]);
  });

  it('fails on a service that needs itself', () => {
    expect(checkVisitGraph(graph({ a: ['a'] })).map((p) => p.code)).toEqual(['self_reference']);
  });

  it('fails on the same link twice', () => {
    expect(checkVisitGraph(graph({ a: ['b', 'b'], b: [] })).map((p) => p.code)).toEqual(['duplicate_link']);
  });

  it('finds the cycle when a real content link is turned around', async () => {
    const catalogue = await loadCatalogue('content');
    const services = new Map<string, Linked>(catalogue.services);
    const kk = catalogue.services.get('dukcapil-kk-perubahan')!;
    services.set(kk.id, { ...kk, visit: { needs: [...kk.visit!.needs, link('dukcapil-ktp-el-perubahan-data')], combines_with: [] } });
    const problems = checkVisitGraph(services);
    expect(problems.map((p) => p.code)).toEqual(['cycle']);
    expect(problems[0]!.field).toContain('dukcapil-ktp-el-perubahan-data');
  });

  it('lists direct needs without unknown ids', () => {
    expect(directNeeds(graph({ a: ['b', 'ghost'], b: [] }), 'a')).toEqual(['b']);
  });

  it('rejects a link without a source in the schema', () => {
    expect(visitSchema.safeParse({ needs: [{ service: 'a', product: { id: 'p', en: 'p' }, sources: [] }] }).success).toBe(false);
    expect(visitSchema.safeParse({ combines_with: [{ service: 'a', why: { id: 'w', en: 'w' } }] }).success).toBe(false);
    expect(visitSchema.safeParse({ needs: [{ service: 'Not Kebab', product: { id: 'p', en: 'p' }, sources: src }] }).success).toBe(false);
    expect(visitSchema.parse({})).toEqual({ needs: [], combines_with: [] });
  });
});
