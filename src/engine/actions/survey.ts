import type { Ticket } from '../../queue/ticket.js';
import { skmElements } from '../../survey/ikm.js';
import type { Action, ActionContext, ActionRegistry, ActionResult } from '../action.js';

/**
 * The satisfaction survey (SKM) in chat, pushed as state `survey` some minutes after a ticket is
 * done. The ticket is kept in `vars.skm_t` and the answers so far in `vars.skm`, one digit 1–4
 * per element ("3443"); nothing is stored until all nine are answered (see SurveyStore.record).
 */
const SCORE = /^s([1-4])$/;

function forget(ctx: ActionContext): void {
  delete ctx.session.vars.skm;
  delete ctx.session.vars.skm_t;
}

/** The ticket the survey is about, when it is this citizen's and finished. */
async function surveyTicket(ctx: ActionContext, id: string | undefined): Promise<Ticket | undefined> {
  const ticket = id ? await ctx.services.queue?.get(id) : undefined;
  if (!ticket || ticket.status !== 'done') return undefined;
  return ticket.channel === ctx.citizen.channel && ticket.to === ctx.citizen.userKey ? ticket : undefined;
}

const surveyStart: Action = async (ctx) => {
  const ticket = await surveyTicket(ctx, ctx.session.vars.ticket);
  if (!ticket) return { text: ctx.t('survey.gone'), show: ['menu'] };
  if (ticket.surveyed) return { text: ctx.t('survey.already'), show: ['menu'] };
  ctx.session.vars.skm_t = ticket.id;
  ctx.session.vars.skm = '';
  const service = ctx.services.catalogue.services.get(ticket.serviceId)?.name[ctx.locale] ?? ticket.serviceId;
  return { before: [{ text: ctx.t('survey.intro', { service, number: ticket.number, total: skmElements.length }) }], goto: 'survey-question' };
};

const surveyQuestion: Action = (ctx) => {
  const answers = ctx.session.vars.skm;
  if (!ctx.session.vars.skm_t || answers === undefined) return { before: [{ text: ctx.t('survey.gone') }], goto: 'menu' };
  const element = skmElements[answers.length];
  if (!element) return { goto: 'survey-comment' };
  const text = ctx.t('survey.question', { n: answers.length + 1, total: skmElements.length, question: ctx.t(`survey.elements.${element}.question`) });
  // Worst to best, so the option's place is its score: "4" typed or WhatsApp's "4." is 4.
  const choices = [1, 2, 3, 4].map((s) => ({ id: `s${s}`, label: ctx.t(`survey.elements.${element}.o${s}`) }));
  return { text, choices };
};

const surveyAnswer: Action = async (ctx) => {
  const score = SCORE.exec(ctx.choice ?? '')?.[1];
  const answers = ctx.session.vars.skm;
  if (!score || answers === undefined || !ctx.session.vars.skm_t) return { goto: 'survey-question' };
  const all = answers + score;
  if (all.length < skmElements.length) {
    ctx.session.vars.skm = all;
    return { goto: 'survey-question' };
  }
  delete ctx.session.vars.skm;
  return finish(ctx, [...all].map(Number));
};

async function finish(ctx: ActionContext, scores: number[]): Promise<ActionResult> {
  const ticket = await surveyTicket(ctx, ctx.session.vars.skm_t);
  const store = ctx.services.survey;
  const outcome = ticket && store ? await store.record(ticket, scores) : 'unknown_ticket';
  if (outcome === 'recorded') return { goto: 'survey-comment' };
  forget(ctx);
  return outcome === 'already' ? { before: [{ text: ctx.t('survey.already') }], goto: 'survey-thanks' } : { goto: 'survey-thanks' };
}

/** Free text while a question is open: the answer is a number or a button, so ask again. */
const surveyRepeat: Action = (ctx) => ({ before: [{ text: ctx.t('survey.use_numbers') }], goto: 'survey-question' });

const surveySkip: Action = (ctx) => {
  forget(ctx);
  return { goto: 'survey-skipped' };
};

/** Typed text at the comment step is the comment (the only place survey text is kept). */
const surveyComment: Action = async (ctx) => {
  const ticket = await surveyTicket(ctx, ctx.session.vars.skm_t);
  if (ticket && ctx.text) await ctx.services.survey?.comment(ticket, ctx.text);
  forget(ctx);
  return { goto: 'survey-thanks' };
};

const surveyNoComment: Action = (ctx) => {
  forget(ctx);
  return { goto: 'survey-thanks' };
};

export const surveyActions: ActionRegistry = { surveyStart, surveyQuestion, surveyAnswer, surveyRepeat, surveySkip, surveyComment, surveyNoComment };
