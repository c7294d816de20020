import type { Action, ActionRegistry } from '../action.js';

/** Erases the citizen's data and ends the conversation session instead of saving it. */
const forgetMe: Action = async (ctx) => {
  const summary = (await ctx.services.forgetting?.forget(ctx.citizen.channel, ctx.citizen.userKey)) ?? { tickets: 0, cancelled: 0, other: 0 };
  return {
    text: ctx.t('privacy.done', { tickets: summary.tickets, cancelled: summary.cancelled, other: summary.other }),
    show: ['menu'],
    endSession: true,
  };
};

export const privacyActions: ActionRegistry = { forgetMe };
