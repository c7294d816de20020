import { cleanText } from '../../catalogue/normalise.js';
import { defineAction, type ActionRegistry } from '../action.js';
import { SEARCH_OUTCOMES, searchCatalogue } from './catalogue.js';
import { infoActions } from './info.js';

/** Questions about the MPP itself, recognised by phrases listed in `locales/*\/keywords.json` (written lower-case, without punctuation, as cleanText leaves them). */
const INFO_INTENTS = [
  ['open_now', 'showOpenNow'],
  ['hours', 'showHours'],
  ['address', 'showAddress'],
  ['facilities', 'showFacilities'],
  ['contacts', 'showContacts'],
] as const;

/** Default for free text: a question about the MPP (hours, address...) or else a catalogue search. */
const answerText = defineAction({
  outcomes: [...SEARCH_OUTCOMES, 'human', 'complaint', 'complaint_status'],
  run: async (ctx) => {
    const text = ` ${cleanText(ctx.text ?? '')} `;
    for (const [intent, action] of INFO_INTENTS) {
      if (ctx.list(`keywords.intent_${intent}`).some((p) => text.includes(` ${p} `))) {
        const result = await infoActions[action]!.run(ctx);
        return { ...(result.text !== undefined ? { text: result.text } : {}) };
      }
    }
    return searchCatalogue(ctx);
  },
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
