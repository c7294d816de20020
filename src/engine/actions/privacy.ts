import { defineAction, type ActionRegistry } from '../action.js';

/** The confirmation question: its "yes" is offered only here, not again under the result. */
const forgetPrompt = defineAction({ flags: ['asking'], run: (ctx) => ({ text: ctx.t('privacy.confirm'), flags: ['asking'] }) });

/** Erases the citizen's data and ends the conversation session instead of saving it. */
const forgetMe = defineAction({
  run: async (ctx) => {
    const summary = (await ctx.services.forgetting?.forget(ctx.citizen.channel, ctx.citizen.userKey)) ?? { tickets: 0, cancelled: 0, other: 0 };
    return { text: ctx.t('privacy.done', { tickets: summary.tickets, cancelled: summary.cancelled, other: summary.other }), flags: [], endSession: true };
  },
});

export const privacyActions: ActionRegistry = { forgetPrompt, forgetMe };
