import type { Service } from './schema.js';

/** Why a visit link is wrong; stable codes so tests and tools never match on message text. */
export type VisitGraphProblemCode = 'unknown_service' | 'self_reference' | 'duplicate_link' | 'cycle';

export interface VisitGraphProblem {
  code: VisitGraphProblemCode;
  /** The service whose `visit` block holds the link. */
  service: string;
  /** Field path inside that service (`visit.needs.0.service`), or the cycle as `a -> b -> a`. */
  field: string;
  message: string;
}

/** The fields the check reads; looser than `Service` so hand-built fixtures can be checked too. */
export type Linked = Pick<Service, 'id'> & { visit?: Service['visit'] | undefined };

/**
 * Checks the `visit` links of every service: each names a known service, never itself, never the
 * same service twice in one list, and `needs` has no cycle. A cycle would make every plan that
 * contains its members impossible to order, so it must fail the catalogue check, not a citizen.
 */
export function checkVisitGraph(services: ReadonlyMap<string, Linked>): VisitGraphProblem[] {
  const problems: VisitGraphProblem[] = [];
  for (const s of services.values()) {
    for (const list of ['needs', 'combines_with'] as const) {
      const seen = new Set<string>();
      (s.visit?.[list] ?? []).forEach((link, i) => {
        const field = `visit.${list}.${i}.service`;
        if (link.service === s.id) problems.push({ code: 'self_reference', service: s.id, field, message: `${s.id} refers to itself` });
        else if (!services.has(link.service)) problems.push({ code: 'unknown_service', service: s.id, field, message: `unknown service ${link.service}` });
        if (seen.has(link.service)) problems.push({ code: 'duplicate_link', service: s.id, field, message: `${link.service} is listed twice` });
        seen.add(link.service);
      });
    }
  }
  for (const cycle of findCycles(services)) {
    problems.push({ code: 'cycle', service: cycle[0]!, field: cycle.join(' -> '), message: `needs form a cycle: ${cycle.join(' -> ')}` });
  }
  return problems;
}

/** Ids a service needs directly, restricted to known services other than itself. */
export function directNeeds(services: ReadonlyMap<string, Linked>, id: string): string[] {
  return (services.get(id)?.visit?.needs ?? []).map((n) => n.service).filter((n) => n !== id && services.has(n));
}

/** Each cycle once, as a path that starts and ends at the same id (depth-first, white/grey/black). */
function findCycles(services: ReadonlyMap<string, Linked>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const next of directNeeds(services, id)) {
      const st = state.get(next);
      if (st === 'active') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (st === undefined) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...services.keys()].sort()) if (!state.has(id)) visit(id);
  return cycles;
}
