import type { PlanStep, VisitPlan } from './types.js';

/**
 * What the queue needs to take a visit's tickets as one chain ("ambil antrean untuk semua").
 * The queue's Lua takes it after the queue split; this module only shapes it, so the plan and the
 * queue agree on one contract. Fairness model the plan's times assume: every step keeps the place a
 * ticket taken at `acceptedAt` would have had in its service's line (not the back of the line at the
 * moment the previous step ends), and is only callable once the steps it depends on are served, so a
 * citizen is never called at two counters at once.
 */
export interface VisitChainRequest {
  visitId: string;
  /** When the citizen accepted the plan: the place each step keeps in its line. */
  acceptedAt: string;
  steps: Array<{
    /** 0-based, the order of the plan. */
    index: number;
    service: string;
    /** Indexes of steps that must be served before this one may be called (`needs`, plus the previous step). */
    after: number[];
  }>;
}

/** The chain for a plan. A step waits for its prerequisites and for the step before it (one counter at a time). */
export function chainRequest(plan: Pick<VisitPlan, 'steps'>, visitId: string, acceptedAt: Date): VisitChainRequest {
  const indexOf = new Map(plan.steps.map((s, i) => [s.service, i]));
  return {
    visitId,
    acceptedAt: acceptedAt.toISOString(),
    steps: plan.steps.map((s, i) => ({
      index: i,
      service: s.service,
      after: [...new Set([...s.after.map((a) => indexOf.get(a)!), ...(i > 0 ? [i - 1] : [])])].sort((a, b) => a - b),
    })),
  };
}

/**
 * The step to go to next once `done` services are served, for reminders ("Selanjutnya: Samsat,
 * loket 6, 3 orang lagi") and the counter console; undefined when every step is done. Steps whose
 * prerequisites were cancelled stay blocked: the conversation asks whether to cancel the rest.
 */
export function nextStep(plan: Pick<VisitPlan, 'steps'>, done: Iterable<string>): PlanStep | undefined {
  const served = new Set(done);
  return plan.steps.find((s) => !served.has(s.service) && s.after.every((a) => served.has(a)));
}

/** Steps that cannot happen any more when `cancelled` is cancelled: those needing its product, transitively. */
export function dependentsOf(plan: Pick<VisitPlan, 'steps'>, cancelled: string): string[] {
  const out = new Set<string>([cancelled]);
  for (const s of plan.steps) if (s.after.some((a) => out.has(a))) out.add(s.service);
  out.delete(cancelled);
  return [...out];
}
