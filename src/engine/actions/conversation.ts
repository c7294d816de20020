import { cleanText } from '../../catalogue/normalise.js';
import type { Action, ActionRegistry } from '../action.js';
import { isLocale } from '../../message.js';
import { catalogueActions } from './catalogue.js';
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
const answerText: Action = (ctx) => {
  const text = ` ${cleanText(ctx.text ?? '')} `;
  for (const [intent, action] of INFO_INTENTS) {
    if (ctx.list(`keywords.intent_${intent}`).some((p) => text.includes(` ${p} `))) {
      const result = infoActions[action]!(ctx);
      return result instanceof Promise ? result : { ...result, choices: undefined };
    }
  }
  return catalogueActions.searchCatalogue!(ctx);
};

/** Choice `lang-id` / `lang-en`: switch language, remembered for this citizen. */
const setLanguage: Action = (ctx) => {
  const wanted = (ctx.choice ?? '').replace(/^lang-/, '');
  if (isLocale(wanted)) {
    ctx.setLocale(wanted);
    return { before: [{ text: ctx.t('language.changed', { lng: wanted }) }], goto: 'menu' };
  }
  return { goto: 'language' };
};

export const conversationActions: ActionRegistry = { answerText, setLanguage };
