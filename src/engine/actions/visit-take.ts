import { cleanText } from '../../catalogue/normalise.js';
import type { VisitStepView, VisitView } from '../../queue/queue-service.js';
import { QueueError } from '../../queue/ticket.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { conversationActions } from './conversation.js';
import { refusal } from './tickets.js';
import { currentPlan, visitServices } from './visit-plan.js';

const answerText = conversationActions.answerText!;

function serviceName(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.services.get(id)?.name[ctx.locale] ?? id;
}

function counterNames(ctx: ActionContext, ids: readonly string[]): string {
  return ids.map((id) => ctx.services.catalogue.mpp.counters.find((c) => c.id === id)?.name[ctx.locale] ?? id).join(' / ');
}

/** One step of a visit as the citizen reads it: "Langkah 1 dari 3", number, service, where, wait or "menyusul". */
export function visitStepLines(ctx: ActionContext, visit: VisitView, step: VisitStepView): string[] {
  const lines = [ctx.t('plan.step_head', { step: step.step, of: visit.steps.length, number: step.number, service: serviceName(ctx, step.serviceId) })];
  const where = step.status === 'called' || step.status === 'serving' ? counterNames(ctx, [step.counter]) : counterNames(ctx, step.counters);
  if (where) lines.push(ctx.t('plan.step_where', { counters: where }));
  // The citizen's own earlier steps at the same counters are in the line too; they are not "people ahead".
  const own = visit.steps.filter((s) => s.step < step.step && (s.status === 'waiting' || s.status === 'called') && s.counters.some((c) => step.counters.includes(c))).length;
  const ahead = Math.max(0, step.ahead - own);
  if (step.status === 'waiting' && step.held) lines.push(ctx.t('plan.step_held', { previous: step.step - 1, ahead }));
  else if (step.status === 'waiting') lines.push(ahead === 0 ? ctx.t('plan.step_next') : ctx.t('plan.step_ahead', { count: ahead, minutes: step.etaMinutes }));
  else lines.push(ctx.t('plan.step_status', { status: ctx.t(`ticket.status_${step.status.replace('-', '_')}`) }));
  return lines;
}

/**
 * "Ambil antrean untuk semua": the plan's services as one visit of chained tickets, in the plan's
 * order. The first step waits now; each next one keeps its place and is called once the step
 * before it is done. A refusal names the service and what the citizen can do instead.
 */
const takeVisit = defineAction({
  outcomes: ['empty'],
  flags: ['issued', 'has_ticket', 'refused'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return { text: ctx.t('ticket.unavailable'), flags: [] };
    const current = await currentPlan(ctx);
    if (!current || current.plan.steps.length === 0) return { outcome: 'empty' };
    const serviceIds = current.plan.steps.map((s) => s.service);
    try {
      // The same services asked again (in any order: today's waits may order them otherwise now) give the visit already held.
      const { visit, created } = await queue.takeVisit({ serviceIds, citizen: ctx.citizen, source: 'chat' });
      const lines = [ctx.t(created ? 'plan.taken' : 'plan.taken_before', { count: visit.steps.length })];
      for (const step of visit.steps) lines.push('', ...visitStepLines(ctx, visit, step));
      lines.push('', ctx.t('plan.taken_next'), ctx.t('ticket.how_to_cancel'));
      return { text: lines.join('\n'), flags: ['issued'] };
    } catch (err) {
      if (!(err instanceof QueueError)) throw err;
      const service = err.info.serviceId ? serviceName(ctx, err.info.serviceId) : '';
      switch (err.code) {
        case 'quota_full':
          return { text: ctx.t('plan.refused_quota', { service }), flags: ['refused'] };
        // The web chat's share or this network's cap, not the day's quota: say so, and where a number can still be had.
        case 'web_share_full':
        case 'address_limit':
          return { text: `${service}: ${refusal(ctx, err)}`, flags: ['refused'] };
        case 'already_in_line':
          return { text: ctx.t('plan.refused_already', { service }), flags: ['has_ticket', 'refused'] };
        default:
          return { text: refusal(ctx, err), flags: ['refused'] };
      }
    }
  },
});

/**
 * Free text at the plan: "ambil semua", "antre semuanya" take the visit (locale list plan.take_all_words);
 * anything else is answered as anywhere ("sekalian skck", "biayanya berapa").
 */
const visitPlanText = defineAction({
  outcomes: ['take_all', ...answerText.outcomes],
  flags: answerText.flags,
  run: (ctx) => {
    const text = ` ${cleanText(ctx.text ?? '')} `;
    const wants = ctx.list('plan.take_all_words').some((w) => text.includes(` ${cleanText(w)} `));
    if (wants && ctx.services.queue && visitServices(ctx).length > 0) return { outcome: 'take_all' };
    return answerText.run(ctx);
  },
});

/** "Batalkan juga langkah berikutnya?": the visit's open steps after one was cancelled. */
const askCancelRest = defineAction({
  outcomes: ['gone'],
  flags: ['asking'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    const visitId = ctx.session.vars.cancelVisit;
    if (!queue || !visitId) return { outcome: 'gone' };
    const visit = await queue.ownVisit(visitId, ctx.citizen.channel, ctx.citizen.userKey).catch((err: unknown) => {
      if (err instanceof QueueError) return undefined;
      throw err;
    });
    const open = visit?.steps.filter((s) => s.status === 'waiting' || s.status === 'called') ?? [];
    if (open.length === 0) return { outcome: 'gone' };
    const list = open.map((s) => ctx.t('plan.cancel_rest_item', { number: s.number, service: serviceName(ctx, s.serviceId) })).join('\n');
    return { text: ctx.t('plan.cancel_rest_ask', { count: open.length, list }), flags: ['asking'] };
  },
});

const cancelRest = defineAction({
  outcomes: ['gone'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    const visitId = ctx.session.vars.cancelVisit;
    if (!queue || !visitId) return { outcome: 'gone' };
    try {
      const { cancelled } = await queue.cancelVisit(visitId, ctx.citizen.channel, ctx.citizen.userKey);
      delete ctx.session.vars.cancelVisit;
      return { text: ctx.t('plan.cancel_rest_done', { count: cancelled }) };
    } catch (err) {
      if (err instanceof QueueError) return { outcome: 'gone' };
      throw err;
    }
  },
});

/** "Tidak, tetap antre": the rest stays; the question is not asked again by a later notice. */
const keepRest = defineAction({
  outcomes: ['kept'],
  run: (ctx) => {
    delete ctx.session.vars.cancelVisit;
    return { outcome: 'kept' };
  },
});

export const visitTakeActions: ActionRegistry = { takeVisit, visitPlanText, askCancelRest, cancelRest, keepRest };
