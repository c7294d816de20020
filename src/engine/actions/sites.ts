import { cleanText } from '../../catalogue/normalise.js';
import { siteLabel } from '../../catalogue/sites.js';
import type { Choice } from '../../message.js';
import type { Site } from '../../sites/sites.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';
import { conversationActions } from './conversation.js';
import { chooseSite, siteChosen, siteWords, todayAt } from './site-words.js';

const answerText = conversationActions.answerText!;
/** An unknown reply to "di MPP mana?" is asked again once; the next is read as a question of its own. */
const MAX_REASKS = 1;

/** The sites to choose from: those offering the service waiting for a site, else all. */
function candidates(ctx: ActionContext): Site[] {
  const sites = ctx.services.sites;
  if (!sites) return [];
  const service = ctx.session.vars.sitePending?.service;
  return service ? sites.offering(service) : [...sites.list];
}

function siteChoices(list: Site[]): Choice[] {
  return list.map((s) => ({ id: encodePayload({ kind: 'site', id: s.id }), label: siteLabel(s.mpp) }));
}

/** One line per site: short name, address, open today or not. */
function siteLines(ctx: ActionContext, list: Site[]): string[] {
  return list.map((s, i) => ctx.t('sites.line', { n: i + 1, site: siteLabel(s.mpp), address: s.mpp.address, today: todayAt(ctx, s) }));
}

/** The main menu's flags: "Ganti MPP" only when the deployment has several sites. */
const menuFlags = defineAction({
  flags: ['several_sites'],
  run: (ctx) => ({ flags: ctx.services.sites?.several ? (['several_sites'] as const) : [] }),
});

/** "Di MPP mana?" (a question waits), or "Pilih MPP" (the citizen asked to change). */
const offerSites = defineAction({
  run: (ctx) => {
    const list = candidates(ctx);
    const { vars } = ctx.session;
    const current = ctx.services.sites?.get(vars.site);
    const serviceId = vars.sitePending?.service;
    const service = serviceId ? ctx.services.catalogue.services.get(serviceId)?.name[ctx.locale] : undefined;
    let head: string;
    if (service && current && !list.includes(current)) head = ctx.t('sites.not_at', { service, site: siteLabel(current.mpp) });
    else if (vars.sitePending?.state || vars.sitePending?.text) head = service ? ctx.t('sites.which_for', { service }) : ctx.t('sites.which');
    else head = current ? ctx.t('sites.change', { site: siteLabel(current.mpp) }) : ctx.t('sites.pick');
    return { text: [head, ...siteLines(ctx, list)].join('\n'), choices: siteChoices(list) };
  },
});

/** Sets a site the citizen picked or named, says so in one line, and goes on with what waited. */
function choose(ctx: ActionContext, site: Site | undefined) {
  if (!site || !candidates(ctx).includes(site)) return undefined;
  chooseSite(ctx, site);
  return { before: [{ text: siteChosen(ctx, site) }], resume: true };
}

const pickSite = defineAction({
  accepts: ['site'],
  run: (ctx) => choose(ctx, ctx.services.sites?.get(ctx.payload?.id)) ?? { text: ctx.t('sites.again'), choices: siteChoices(candidates(ctx)) },
});

/** "yang paling dekat", "terdekat", "nearest": asks for the closest site, which the chat cannot know. */
function nearest(ctx: ActionContext, text: string): boolean {
  const padded = ` ${cleanText(text)} `;
  return ctx.list('sites.nearest_words').some((w) => padded.includes(` ${cleanText(w)} `));
}

/** Typed at "di MPP mana?": a site's name ("yg utara"), else asked again once, then read as a question. */
const siteFromText = defineAction({
  outcomes: answerText.outcomes,
  flags: answerText.flags,
  run: (ctx) => {
    const text = ctx.text ?? '';
    const named = siteWords(ctx, text).site ?? ctx.services.sites?.namedByWord(text, ctx.services.search.plainNormaliser, candidates(ctx));
    const chosen = choose(ctx, named);
    if (chosen) return chosen;
    const pending = ctx.session.vars.sitePending ?? {};
    const service = pending.service ? ctx.services.catalogue.services.get(pending.service)?.name[ctx.locale] : undefined;
    if (named && service) {
      // A site named clearly that lacks the service: say so, rather than "which MPP do you mean?".
      const list = candidates(ctx);
      return { text: [ctx.t('sites.not_at', { service, site: siteLabel(named.mpp) }), ...siteLines(ctx, list)].join('\n'), choices: siteChoices(list) };
    }
    if (nearest(ctx, text)) {
      // "yang paling dekat": the chat cannot know where the citizen lives; the addresses decide.
      const list = candidates(ctx);
      return { text: [ctx.t('sites.nearest'), ...siteLines(ctx, list)].join('\n'), choices: siteChoices(list) };
    }
    if ((pending.asked ?? 0) < MAX_REASKS) {
      ctx.session.vars.sitePending = { ...pending, asked: (pending.asked ?? 0) + 1 };
      const list = candidates(ctx);
      return { text: [ctx.t('sites.again'), ...siteLines(ctx, list)].join('\n'), choices: siteChoices(list) };
    }
    delete ctx.session.vars.sitePending;
    return answerText.run(ctx);
  },
});

/** "Pindah ke MPP X" on a card whose service the chosen site does not offer: one tap, the card there. */
const switchSite = defineAction({
  accepts: ['site'],
  outcomes: ['switched'],
  run: (ctx) => {
    const site = ctx.services.sites?.get(ctx.payload?.id);
    if (!site) return {};
    chooseSite(ctx, site);
    return { before: [{ text: siteChosen(ctx, site) }], outcome: 'switched' };
  },
});

export const siteActions: ActionRegistry = { menuFlags, offerSites, pickSite, siteFromText, switchSite };
