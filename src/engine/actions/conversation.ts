import { defineAction, type ActionRegistry } from '../action.js';
import { searchCatalogue } from './catalogue.js';
import { TEXT_OUTCOMES, actOnUnderstanding } from './understood.js';

/**
 * Default for free text in every state: what the text means (a follow-up about the service in
 * context, a ticket or MPP question, a person, small talk...), else a catalogue search.
 */
const answerText = defineAction({
  outcomes: TEXT_OUTCOMES,
  run: (ctx) => (ctx.understood ? actOnUnderstanding(ctx, ctx.understood) : searchCatalogue(ctx)),
});

/** A language choice: switch language, remembered for this citizen. */
const setLanguage = defineAction({
  accepts: ['language'],
  outcomes: ['changed'],
  run: (ctx) => {
    if (!ctx.payload) return {};
    ctx.setLocale(ctx.payload.locale);
    return { before: [{ text: ctx.t('language.changed', { lng: ctx.payload.locale }) }], outcome: 'changed' };
  },
});

export const conversationActions: ActionRegistry = { answerText, setLanguage };
