import { MAX_SERVICES_PER_VISIT, planVisit } from '../../visits/plan.js';
import { renderPlan } from '../../visits/render.js';
import type { DayHours, LiveFigures, PlanConditions, PlanContext, VisitPlan } from '../../visits/types.js';
import type { Choice } from '../../message.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';

/** Services named by the plan's notes offered as "+ X" choices (a WhatsApp list holds 10 rows with the fixed ones). */
const MAX_NOTE_CHOICES = 3;

/** Demo mode (OPENING_HOURS=always) on a day content calls closed: the whole day counts as open. */
const ALL_DAY: DayHours = { open: '00:00', close: '23:59', breaks: [] };

/** The plan's fixed inputs; undefined when the engine has no document table (then no plan). */
function planContext(ctx: ActionContext): PlanContext | undefined {
  const { catalogue, documents } = ctx.services;
  return documents ? { catalogue, documents } : undefined;
}

/** Today's hours with holidays applied, as the plan needs them; null when the MPP is closed all day. */
function hoursToday(ctx: ActionContext): DayHours | null {
  const status = ctx.services.hours.status(ctx.now);
  if (status.state === 'holiday' || status.state === 'closed_day') return null;
  const day = ctx.services.catalogue.mpp.hours[status.local.weekday];
  return day ?? (status.open ? ALL_DAY : null);
}

/**
 * Live figures from the queue's read model: people waiting and the quota left (the board's
 * snapshot), the wait estimated as the service card's confirmation does it (people ahead times the
 * service's minutes, over its counters). Without a queue the plan estimates from content alone.
 */
async function liveFigures(ctx: ActionContext, ids: readonly string[]): Promise<Map<string, LiveFigures>> {
  const queue = ctx.services.queue;
  if (!queue) return new Map();
  const snapshot = await queue.snapshot();
  const out = new Map<string, LiveFigures>();
  for (const s of snapshot.services) {
    if (!ids.includes(s.serviceId)) continue;
    const service = ctx.services.catalogue.services.get(s.serviceId);
    const counters = queue.countersFor(s.serviceId);
    const minutes = service?.service_minutes ?? 10;
    out.set(s.serviceId, {
      waiting: s.waiting,
      etaMinutes: Math.ceil((s.waiting * minutes) / Math.max(1, counters.length)),
      remainingQuota: s.remainingQuota,
      counters: counters.map((c) => c.id),
      offeredToday: counters.length > 0,
    });
  }
  return out;
}

export async function planConditions(ctx: ActionContext, ids: readonly string[]): Promise<PlanConditions> {
  const live = await liveFigures(ctx, ids);
  return { live: (id) => live.get(id), hoursToday: hoursToday(ctx), now: ctx.now };
}

/** The services of the plan in context that the catalogue still knows (a session may outlive content). */
export function visitServices(ctx: ActionContext): string[] {
  return (ctx.session.vars.visitServices ?? []).filter((id) => ctx.services.catalogue.services.has(id));
}

/** The plan in context under today's figures, or undefined when there is none. */
export async function currentPlan(ctx: ActionContext): Promise<{ plan: VisitPlan; planCtx: PlanContext } | undefined> {
  const ids = visitServices(ctx);
  const planCtx = planContext(ctx);
  if (ids.length === 0 || !planCtx) return undefined;
  return { plan: planVisit(planCtx, ids, await planConditions(ctx, ids)), planCtx };
}

/**
 * Puts a visit in context: its services (at most MAX_SERVICES_PER_VISIT, first named first) and
 * the same ids as the candidates follow-ups answer for ("biayanya berapa" answers each service).
 */
export function setVisit(ctx: ActionContext, ids: readonly string[]): void {
  const unique = [...new Set(ids)].slice(0, MAX_SERVICES_PER_VISIT);
  ctx.session.vars.visitServices = unique;
  ctx.session.vars.results = unique;
  delete ctx.session.vars.visitAdding;
  // The plan replaces the card: a follow-up is about the whole visit, not the last card.
  delete ctx.session.vars.service;
}

/** Adds services to the visit in context; what could not be added is said in the result's text. */
export function addToVisit(ctx: ActionContext, ids: readonly string[]): { added: string[]; full: boolean } {
  const current = visitServices(ctx);
  const added = ids.filter((id) => !current.includes(id) && ctx.services.catalogue.services.has(id));
  const room = MAX_SERVICES_PER_VISIT - current.length;
  setVisit(ctx, [...current, ...added.slice(0, Math.max(0, room))]);
  return { added: added.slice(0, Math.max(0, room)), full: added.length > room };
}

function name(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.services.get(id)?.name[ctx.locale] ?? id;
}

/**
 * The visit plan card (issue 13): steps in a valid order with counter and wait, one checklist,
 * fees, the finishing time today, warnings and notes, then what the citizen can do next.
 */
const showVisitPlan = defineAction({
  outcomes: ['empty', 'single'],
  flags: ['queue'],
  run: async (ctx) => {
    const ids = visitServices(ctx);
    if (ids.length === 1) {
      // A plan of one is a service card.
      ctx.session.vars.service = ids[0]!;
      delete ctx.session.vars.visitServices;
      return { outcome: 'single' };
    }
    const current = await currentPlan(ctx);
    if (!current) return { outcome: 'empty' };
    const text = [renderPlan(current.plan, current.planCtx, ctx.t, ctx.locale), '', ctx.t(ctx.services.queue ? 'plan.next' : 'plan.next_no_queue')].join('\n');
    // What the plan's notes name (a prerequisite, an often combined service) is one tap away.
    const named = [...new Set([...current.plan.prerequisites.map((p) => p.needs), ...current.plan.suggestions.map((s) => s.with)])].slice(0, MAX_NOTE_CHOICES);
    const choices = ids.length < MAX_SERVICES_PER_VISIT ? named.map((id) => ({ id: encodePayload({ kind: 'service', id }), label: ctx.t('plan.add_named', { service: name(ctx, id) }) })) : [];
    return { text, choices, flags: ctx.services.queue ? ['queue'] : [] };
  },
});

/** Service choices for a variant to add ("tambah skck": new or renewal). */
function serviceChoices(ctx: ActionContext, ids: readonly string[]): Choice[] {
  return ids.flatMap((id) => (ctx.services.catalogue.services.has(id) ? [{ id: encodePayload({ kind: 'service', id }), label: name(ctx, id) }] : []));
}

/** "Tambah layanan": the text names the service to add, as anywhere else (split, slang, English). */
const addServiceText = defineAction({
  outcomes: ['plan', 'pick'],
  run: (ctx) => {
    const intent = ctx.understood?.intents.find((i) => i.kind === 'services');
    const ids = intent?.kind === 'services' ? intent.serviceIds : (ctx.text ? ctx.services.search.search(ctx.text, 3).results.map((r) => r.id) : []);
    if (ids.length === 0) return { text: ctx.t('plan.add_not_found', { query: (ctx.text ?? '').slice(0, 80) }) };
    if (intent?.kind === 'services' && intent.ambiguous) {
      ctx.session.vars.results = ids.slice(0, 5);
      ctx.session.vars.visitAdding = true;
      return { outcome: 'pick' };
    }
    return addedResult(ctx, ids);
  },
});

function addedResult(ctx: ActionContext, ids: readonly string[]) {
  const before = visitServices(ctx);
  const { added, full } = addToVisit(ctx, ids);
  const notes: string[] = [];
  const already = ids.filter((id) => before.includes(id));
  if (already.length > 0 && added.length === 0) notes.push(ctx.t('plan.already', { services: already.map((id) => name(ctx, id)).join(', ') }));
  if (full) notes.push(ctx.t('plan.too_many', { max: MAX_SERVICES_PER_VISIT }));
  return { ...(notes.length ? { before: [{ text: notes.join('\n') }] } : {}), outcome: 'plan' as const };
}

/** Which of close variants to add: the candidates kept by the text that asked. */
const showAddChoices = defineAction({
  outcomes: ['empty'],
  run: (ctx) => {
    const choices = serviceChoices(ctx, ctx.session.vars.results ?? []);
    if (choices.length === 0 || !ctx.session.vars.visitAdding) return { outcome: 'empty' };
    return { text: ctx.t('plan.add_which', { names: choices.map((c) => c.label).join('; ') }), choices };
  },
});

const addPicked = defineAction({
  accepts: ['service'],
  outcomes: ['plan'],
  run: (ctx) => addedResult(ctx, ctx.payload ? [ctx.payload.id] : []),
});

export const visitPlanActions: ActionRegistry = { showVisitPlan, addServiceText, showAddChoices, addPicked };
