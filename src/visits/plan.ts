import { hhmmToMinutes, localTime } from '../catalogue/local-time.js';
import type { Service } from '../catalogue/schema.js';
import { AppError } from '../errors.js';
import { buildChecklist } from './checklist.js';
import type { DayHours, Handoff, PlanConditions, PlanContext, PlanStep, PlanWarning, Prerequisite, Suggestion, VisitPlan } from './types.js';

/** A visit longer than this is not one errand but a day out; the chat offers one service at a time. */
export const MAX_SERVICES_PER_VISIT = 6;
/** "Nearly gone": at most this many tickets left, or at most this share of the daily quota. */
export const QUOTA_LOW_LEFT = 3;
export const QUOTA_LOW_SHARE = 0.1;

/**
 * Plans one visit to the MPP for several services: a valid order (a service after the services whose
 * product it needs; among those free to go, the shorter wait first, then the order the citizen named
 * them), one checklist, the fees, the expected times today and what may go wrong.
 * Throws AppError `unknown_service` (details.ids) for ids not in the catalogue, `bad_request` for none
 * or too many.
 */
export function planVisit(ctx: PlanContext, serviceIds: readonly string[], conditions: PlanConditions): VisitPlan {
  const requested = [...new Set(serviceIds)];
  if (requested.length === 0) throw new AppError('bad_request', 'a visit needs at least one service');
  if (requested.length > MAX_SERVICES_PER_VISIT) throw new AppError('bad_request', `a visit has at most ${MAX_SERVICES_PER_VISIT} services`, { max: MAX_SERVICES_PER_VISIT });
  const unknown = requested.filter((id) => !ctx.catalogue.services.has(id));
  if (unknown.length > 0) throw new AppError('unknown_service', `unknown service(s): ${unknown.join(', ')}`, { ids: unknown });

  const services = requested.map((id) => ctx.catalogue.services.get(id)!);
  const live = new Map(requested.map((id) => [id, conditions.live(id)]));
  const eta = (id: string) => live.get(id)?.etaMinutes ?? 0;
  const ordered = order(services, eta);
  const handoffs = handoffsBetween(ordered);
  const { steps, startsAt } = schedule(ctx, ordered, handoffs, live, conditions);
  const finishesAt = steps.at(-1)!.endsAt;
  const unknownFees = ordered.filter((s) => s.fee.amount === null).map((s) => s.id);

  return {
    requested,
    steps,
    checklist: buildChecklist(ordered, handoffs, ctx.documents),
    handoffs,
    fees: { total: ordered.reduce((sum, s) => sum + (s.fee.amount ?? 0), 0), complete: unknownFees.length === 0, unknown: unknownFees },
    timing: { startsAt, finishesAt, totalMinutes: finishesAt - startsAt },
    warnings: warnings(ordered, steps, live, conditions.hoursToday),
    prerequisites: prerequisites(ctx, ordered),
    suggestions: suggestions(ctx, ordered),
  };
}

/** "Sekalian X juga": the same plan with one more service, re-ordered under today's figures. Idempotent. */
export function addToPlan(ctx: PlanContext, plan: Pick<VisitPlan, 'requested'>, serviceId: string, conditions: PlanConditions): VisitPlan {
  return planVisit(ctx, plan.requested.includes(serviceId) ? plan.requested : [...plan.requested, serviceId], conditions);
}

/** Topological order over `needs` inside the visit (Kahn); ready services by wait, then request order. */
function order(services: Service[], eta: (id: string) => number): Service[] {
  const inVisit = new Set(services.map((s) => s.id));
  const pending = new Map(services.map((s) => [s.id, new Set((s.visit?.needs ?? []).map((n) => n.service).filter((n) => inVisit.has(n) && n !== s.id))]));
  const out: Service[] = [];
  while (out.length < services.length) {
    const ready = services.filter((s) => pending.has(s.id) && pending.get(s.id)!.size === 0);
    // catalogue:check rejects cycles; content that skipped the check must still not loop forever.
    if (ready.length === 0) throw new AppError('internal', `visit dependencies form a cycle among ${[...pending.keys()].join(', ')}`);
    const next = ready.reduce((best, s) => (eta(s.id) < eta(best.id) ? s : best));
    out.push(next);
    pending.delete(next.id);
    for (const waits of pending.values()) waits.delete(next.id);
  }
  return out;
}

function handoffsBetween(ordered: Service[]): Handoff[] {
  const inVisit = new Set(ordered.map((s) => s.id));
  return ordered.flatMap((s) =>
    (s.visit?.needs ?? []).filter((n) => inVisit.has(n.service)).map((n) => ({ from: n.service, to: s.id, product: n.product, when: n.when, document: n.document })),
  );
}

/**
 * Times today, step after step. Chained tickets keep the place a ticket taken now would have (the
 * queue places the next step fairly, not at the back), so a step starts when both the previous step
 * is done and its own queue reaches the citizen. Breaks push a step back; they do not shorten it.
 */
function schedule(ctx: PlanContext, ordered: Service[], handoffs: Handoff[], live: Map<string, ReturnType<PlanConditions['live']>>, c: PlanConditions) {
  const nowMinutes = localTime(c.now, ctx.catalogue.mpp.timezone).minutes;
  const opens = c.hoursToday ? hhmmToMinutes(c.hoursToday.open) : nowMinutes;
  const startsAt = Math.max(nowMinutes, opens);
  let cursor = startsAt;
  const steps: PlanStep[] = ordered.map((s, i) => {
    const figures = live.get(s.id);
    const etaMinutes = figures?.etaMinutes ?? 0;
    let start = afterBreaks(Math.max(cursor, startsAt + etaMinutes), c.hoursToday);
    let end = start + s.service_minutes;
    for (const b of c.hoursToday?.breaks ?? []) {
      const [bs, be] = [hhmmToMinutes(b.start), hhmmToMinutes(b.end)];
      if (start < bs && end > bs) end += be - bs;
    }
    start = Math.round(start);
    end = Math.round(end);
    cursor = end;
    return {
      step: i + 1,
      service: s.id,
      agency: s.agency,
      counters: figures?.counters ?? countersFor(ctx, s),
      after: handoffs.filter((h) => h.to === s.id).map((h) => h.from),
      waiting: figures?.waiting ?? 0,
      etaMinutes,
      live: figures !== undefined,
      serviceMinutes: s.service_minutes,
      startsAt: start,
      endsAt: end,
      fee: s.fee.amount,
    };
  });
  return { steps, startsAt };
}

function afterBreaks(minute: number, hours: DayHours | null): number {
  for (const b of hours?.breaks ?? []) {
    if (minute >= hhmmToMinutes(b.start) && minute < hhmmToMinutes(b.end)) return hhmmToMinutes(b.end);
  }
  return minute;
}

/** Counters from content/mpp.yaml: those listing the service, else the agency's general counters. */
export function countersFor(ctx: PlanContext, s: Service): string[] {
  const mine = ctx.catalogue.mpp.counters.filter((c) => c.services?.includes(s.id));
  if (mine.length > 0) return mine.map((c) => c.id);
  return ctx.catalogue.mpp.counters.filter((c) => c.agency === s.agency && !c.services).map((c) => c.id);
}

function warnings(ordered: Service[], steps: PlanStep[], live: Map<string, ReturnType<PlanConditions['live']>>, hours: DayHours | null): PlanWarning[] {
  const out: PlanWarning[] = [];
  if (!hours) out.push({ code: 'closed_today' });
  for (const s of ordered) {
    const f = live.get(s.id);
    if (!f) continue;
    if (!f.offeredToday) out.push({ code: 'not_offered_today', service: s.id });
    else if (f.remainingQuota <= 0) out.push({ code: 'quota_full', service: s.id });
    else if (f.remainingQuota <= QUOTA_LOW_LEFT || f.remainingQuota <= QUOTA_LOW_SHARE * s.daily_quota) out.push({ code: 'quota_low', service: s.id, remaining: f.remainingQuota });
  }
  if (hours) {
    const closesAt = hhmmToMinutes(hours.close);
    const late = steps.find((st) => st.endsAt > closesAt);
    if (late) out.push({ code: 'closes_before_finish', service: late.service, closesAt, finishesAt: steps.at(-1)!.endsAt });
  }
  return out;
}

function prerequisites(ctx: PlanContext, ordered: Service[]): Prerequisite[] {
  const inVisit = new Set(ordered.map((s) => s.id));
  return ordered.flatMap((s) =>
    (s.visit?.needs ?? []).filter((n) => !inVisit.has(n.service) && ctx.catalogue.services.has(n.service)).map((n) => ({ service: s.id, needs: n.service, when: n.when, product: n.product })),
  );
}

/** `combines_with` read both ways: a link written on either service suggests the other. */
function suggestions(ctx: PlanContext, ordered: Service[]): Suggestion[] {
  const inVisit = new Set(ordered.map((s) => s.id));
  const out: Suggestion[] = [];
  for (const s of ordered) {
    for (const c of s.visit?.combines_with ?? []) if (!inVisit.has(c.service)) out.push({ service: s.id, with: c.service, why: c.why });
  }
  for (const other of ctx.catalogue.services.values()) {
    if (inVisit.has(other.id)) continue;
    for (const c of other.visit?.combines_with ?? []) {
      if (inVisit.has(c.service) && !out.some((o) => o.with === other.id)) out.push({ service: c.service, with: other.id, why: c.why });
    }
  }
  return out;
}
