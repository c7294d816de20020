import type { Ticket } from '../../queue/ticket.js';
import { skmElements } from '../../survey/ikm.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';

/**
 * The satisfaction survey (SKM) in chat, pushed through the entry `survey` some minutes after a
 * ticket is done. The ticket is kept in `vars.surveyTicket` and the answers so far in
 * `vars.surveyAnswers`, one digit 1–4 per element ("3443"); nothing is stored until all nine are
 * answered (see SurveyStore.record).
 */

function forget(ctx: ActionContext): void {
  delete ctx.session.vars.surveyAnswers;
  delete ctx.session.vars.surveyTicket;
}

/** The ticket the survey is about, when it is this citizen's and finished. */
async function surveyTicket(ctx: ActionContext, id: string | undefined): Promise<Ticket | undefined> {
  const ticket = id ? await ctx.services.queue?.get(id) : undefined;
  if (!ticket || ticket.status !== 'done') return undefined;
  return ticket.channel === ctx.citizen.channel && ticket.to === ctx.citizen.userKey ? ticket : undefined;
}

const surveyStart = defineAction({
  outcomes: ['start'],
  run: async (ctx) => {
    const ticket = await surveyTicket(ctx, ctx.session.vars.ticket);
    if (!ticket) return { text: ctx.t('survey.gone') };
    if (ticket.surveyed) return { text: ctx.t('survey.already') };
    ctx.session.vars.surveyTicket = ticket.id;
    ctx.session.vars.surveyAnswers = '';
    const service = ctx.services.catalogue.services.get(ticket.serviceId)?.name[ctx.locale] ?? ticket.serviceId;
    return { before: [{ text: ctx.t('survey.intro', { service, number: ticket.number, total: skmElements.length }) }], outcome: 'start' };
  },
});

const surveyQuestion = defineAction({
  outcomes: ['gone', 'answered'],
  run: (ctx) => {
    const answers = ctx.session.vars.surveyAnswers;
    if (!ctx.session.vars.surveyTicket || answers === undefined) return { before: [{ text: ctx.t('survey.gone') }], outcome: 'gone' };
    const element = skmElements[answers.length];
    if (!element) return { outcome: 'answered' };
    const text = ctx.t('survey.question', { n: answers.length + 1, total: skmElements.length, question: ctx.t(`survey.elements.${element}.question`) });
    // Worst to best, so the option's place is its score: "4" typed or WhatsApp's "4." is 4.
    const choices = ([1, 2, 3, 4] as const).map((score) => ({ id: encodePayload({ kind: 'score', score }), label: ctx.t(`survey.elements.${element}.o${score}`) }));
    return { text, choices };
  },
});

const surveyAnswer = defineAction({
  accepts: ['score'],
  outcomes: ['next', 'recorded', 'thanks'],
  run: async (ctx) => {
    const answers = ctx.session.vars.surveyAnswers;
    if (!ctx.payload || answers === undefined || !ctx.session.vars.surveyTicket) return { outcome: 'next' };
    const all = answers + String(ctx.payload.score);
    if (all.length < skmElements.length) {
      ctx.session.vars.surveyAnswers = all;
      return { outcome: 'next' };
    }
    delete ctx.session.vars.surveyAnswers;
    const ticket = await surveyTicket(ctx, ctx.session.vars.surveyTicket);
    const store = ctx.services.survey;
    const outcome = ticket && store ? await store.record(ticket, [...all].map(Number)) : 'unknown_ticket';
    if (outcome === 'recorded') return { outcome: 'recorded' };
    forget(ctx);
    return outcome === 'already' ? { before: [{ text: ctx.t('survey.already') }], outcome: 'thanks' } : { outcome: 'thanks' };
  },
});

/** Free text while a question is open: the answer is a number or a button, so ask again. */
const surveyRepeat = defineAction({ outcomes: ['ask_again'], run: (ctx) => ({ before: [{ text: ctx.t('survey.use_numbers') }], outcome: 'ask_again' }) });

const surveySkip = defineAction({
  outcomes: ['skipped'],
  run: (ctx) => {
    forget(ctx);
    return { outcome: 'skipped' };
  },
});

/** Typed text at the comment step is the comment (the only place survey text is kept). */
const surveyComment = defineAction({
  outcomes: ['thanks'],
  run: async (ctx) => {
    const ticket = await surveyTicket(ctx, ctx.session.vars.surveyTicket);
    if (ticket && ctx.text) await ctx.services.survey?.comment(ticket, ctx.text);
    forget(ctx);
    return { outcome: 'thanks' };
  },
});

const surveyNoComment = defineAction({
  outcomes: ['thanks'],
  run: (ctx) => {
    forget(ctx);
    return { outcome: 'thanks' };
  },
});

export const surveyActions: ActionRegistry = { surveyStart, surveyQuestion, surveyAnswer, surveyRepeat, surveySkip, surveyComment, surveyNoComment };
