import type { ActionRegistry } from './action.js';
import type { Flows } from './flow.js';
import { decodePayload, type PayloadKind } from './payload.js';
import { wordKey } from './words.js';
import type { Translator } from '../i18n.js';
import { locales } from '../message.js';

/**
 * What is about one citizen's tickets and bookings, derived from `personal: true` in flows/: a
 * group chat never sees it. A choice is an entry when a shared state offers it and it leads into
 * a personal state (the menu's "ambil antrean"); it is inside a personal flow when only personal
 * states offer it (a way out to a shared state, such as the menu, is neither); a made-up choice
 * is inside when a personal state's on_choice action accepts its payload kind; a global word is
 * personal when it leads into a personal state.
 */
export class PersonalParts {
  private readonly entries = new Set<string>();
  private readonly inside = new Set<string>();
  private readonly kinds = new Set<PayloadKind>();
  private readonly words = new Set<string>();

  constructor(flows: Flows, actions: ActionRegistry, translator: Translator) {
    const personal = (id: string | undefined) => id !== undefined && flows.states.get(id)?.personal === true;
    const shared = new Set<string>();
    for (const state of flows.states.values()) {
      for (const c of state.choices) {
        if (!state.personal) shared.add(c.id);
        if (!state.personal && personal(c.goto)) this.entries.add(c.id);
        if (state.personal && (c.goto === undefined || personal(c.goto))) this.inside.add(c.id);
      }
      if (state.personal && state.on_choice) for (const kind of actions[state.on_choice]?.accepts ?? []) this.kinds.add(kind);
    }
    for (const id of shared) this.inside.delete(id);
    for (const [word, target] of Object.entries(flows.words)) {
      if (!personal(target)) continue;
      for (const locale of locales) for (const phrase of translator.list(locale, `keywords.${word}`)) this.words.add(wordKey(phrase));
    }
  }

  /** A choice id (fixed or made up) that belongs to a personal flow or leads into one. */
  isPersonalChoice(id: string): boolean {
    return this.entries.has(id) || this.isInsidePersonalFlow(id);
  }

  /** A choice only a personal flow offers: an answer showing one is walking that flow. */
  isInsidePersonalFlow(id: string): boolean {
    if (this.inside.has(id)) return true;
    const payload = decodePayload(id);
    return payload !== undefined && this.kinds.has(payload.kind);
  }

  /** A global word ("antrean saya", "/batal") that leads into a personal flow. */
  isPersonalWord(text: string): boolean {
    return this.words.has(wordKey(text));
  }
}
