import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import type { Choice } from '../../message.js';
import type { FollowUpTopic } from '../../understanding/index.js';
import { encodePayload } from '../payload.js';
import { followUpAnswer } from './follow-up.js';
import { local, serviceCard } from './service-card.js';
import { maskPersonalData } from '../../privacy/mask.js';
import { siteLabel } from '../../catalogue/sites.js';

const MAX_RESULTS = 3;
/** Not-found offers at most this many closest services (a WhatsApp list holds 10 rows with the fixed ones). */
const MAX_SUGGESTIONS = 5;

function serviceChoice(ctx: ActionContext, id: string): Choice | undefined {
  const service = ctx.services.catalogue.services.get(id);
  return service && { id: encodePayload({ kind: 'service', id }), label: service.name[ctx.locale] };
}

function agencyChoices(ctx: ActionContext): Choice[] {
  return [...ctx.services.catalogue.agencies.values()]
    .sort((a, b) => a.short.localeCompare(b.short))
    .map((a) => ({ id: encodePayload({ kind: 'agency', id: a.id }), label: a.short }));
}

export const SEARCH_OUTCOMES = ['found', 'ambiguous', 'not_found'] as const;

/** Free text: search the catalogue; one confident match opens the card, close ones become a choice. */
export function searchCatalogue(ctx: ActionContext): { outcome: (typeof SEARCH_OUTCOMES)[number] } {
  const query = ctx.text ?? '';
  const outcome = ctx.services.search.search(query, MAX_RESULTS);
  // Kept in the session and on a ticket as the question: no NIK, phone or e-mail (UU 27/2022).
  ctx.session.vars.query = maskPersonalData(query.slice(0, 400)).slice(0, 200);
  if (outcome.results.length === 0) {
    ctx.session.vars.suggestions = closest(ctx, query);
    return { outcome: 'not_found' };
  }
  if (!outcome.ambiguous) {
    ctx.session.vars.service = outcome.results[0]!.id;
    return { outcome: 'found' };
  }
  ctx.session.vars.results = outcome.results.map((r) => r.id);
  return { outcome: 'ambiguous' };
}

const showResults = defineAction({
  outcomes: ['empty'],
  run: (ctx) => {
    const choices = (ctx.session.vars.results ?? []).map((id) => serviceChoice(ctx, id)).filter((c): c is Choice => c !== undefined);
    if (choices.length === 0) return { outcome: 'empty' };
    // The names in the sentence too, so the answer reads on its own (and in a notification preview).
    return { text: ctx.t('search.ambiguous', { query: ctx.session.vars.query ?? '', names: choices.map((c) => c.label).join('; ') }), choices };
  },
});

/**
 * Services that match some word of a question the search could not place as a whole ("akte
 * tanah warisan" -> land services), best first; agencies with most services when none does.
 */
function closest(ctx: ActionContext, query: string): string[] {
  const { search } = ctx.services;
  const scores = new Map<string, number>();
  for (const word of new Set(search.plainNormaliser.tokens(query))) {
    if (word.length < 3) continue;
    for (const hit of search.search(word, MAX_SUGGESTIONS).results) scores.set(hit.id, Math.min(scores.get(hit.id) ?? 1, hit.score));
  }
  return [...scores].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, MAX_SUGGESTIONS).map(([id]) => id);
}

/** The biggest agencies, for a not-found with no close service. */
function mainAgencies(ctx: ActionContext): Choice[] {
  const counts = new Map<string, number>();
  for (const s of ctx.services.catalogue.services.values()) counts.set(s.agency, (counts.get(s.agency) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_SUGGESTIONS)
    .flatMap(([id]) => {
      const agency = ctx.services.catalogue.agencies.get(id);
      return agency ? [{ id: encodePayload({ kind: 'agency', id }), label: agency.short }] : [];
    });
}

/** One sentence, the closest services (or the main agencies), then browse, a person and the menu. */
const showNotFound = defineAction({
  run: (ctx) => {
    const services = (ctx.session.vars.suggestions ?? []).map((id) => serviceChoice(ctx, id)).filter((c): c is Choice => c !== undefined);
    const key = services.length ? 'search.not_found' : 'search.not_found_agencies';
    return { text: ctx.t(key, { query: ctx.session.vars.query ?? '' }), choices: services.length ? services : mainAgencies(ctx) };
  },
});

/** A picked service or agency. */
const openChoice = defineAction({
  accepts: ['service', 'agency'],
  outcomes: ['service', 'agency', 'unknown'],
  run: (ctx) => {
    const p = ctx.payload;
    if (p?.kind === 'service' && ctx.services.catalogue.services.has(p.id)) {
      ctx.session.vars.service = p.id;
      return { outcome: 'service' };
    }
    if (p?.kind === 'agency' && ctx.services.catalogue.agencies.has(p.id)) {
      ctx.session.vars.agency = p.id;
      return { outcome: 'agency' };
    }
    return { outcome: 'unknown' };
  },
});

const listAgencies = defineAction({ run: (ctx) => ({ text: ctx.t('browse.agencies'), choices: agencyChoices(ctx) }) });

const listAgencyServices = defineAction({
  outcomes: ['no_agency'],
  run: (ctx) => {
    const agency = ctx.services.catalogue.agencies.get(ctx.session.vars.agency ?? '');
    if (!agency) return { outcome: 'no_agency' };
    const choices = [...ctx.services.catalogue.services.values()]
      .filter((s) => s.agency === agency.id)
      .map((s) => ({ id: encodePayload({ kind: 'service', id: s.id }), label: s.name[ctx.locale] }));
    return { text: ctx.t('browse.services', { agency: agency.name[ctx.locale], description: local(agency.description, ctx.locale) }), choices };
  },
});

const showService = defineAction({
  outcomes: ['no_service'],
  flags: ['bookable', 'in_visit'],
  run: (ctx) => {
    const { catalogue } = ctx.services;
    const service = catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { outcome: 'no_service' };
    const counters = catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(service.id))).map((c) => c.name[ctx.locale]);
    // "biaya paspor berapa": the answer first, then the card it comes from.
    const topic = ctx.session.vars.topic as FollowUpTopic | undefined;
    delete ctx.session.vars.topic;
    const answer = topic && topic !== 'requirements' ? [{ text: followUpAnswer(catalogue, service, topic, ctx.locale, ctx.t) }] : [];
    const where = whereOffered(ctx, service.id);
    return {
      ...(answer.length ? { before: answer } : {}),
      text: serviceCard(service, catalogue.agencies.get(service.agency), counters, ctx.locale, ctx.t) + (where ? `\n\n${where.line}` : ''),
      ...(where?.choices.length ? { choices: where.choices } : {}),
      card: { kind: 'service', serviceId: service.id },
      // "Book another day" only where the service takes bookings and bookings are wired in.
      flags: [
        ...(ctx.services.appointments?.bookable(service.id) ? (['bookable'] as const) : []),
        // A card opened from a visit plan leads back to it.
        ...(ctx.session.vars.visitServices?.includes(service.id) ? (['in_visit'] as const) : []),
      ],
    };
  },
});

/**
 * With several MPP sites, the card says where the service is offered; when the chosen site does not
 * offer it, it says so and offers a one-tap switch to each site that does.
 */
function whereOffered(ctx: ActionContext, serviceId: string): { line: string; choices: Choice[] } | undefined {
  const sites = ctx.services.sites;
  if (!sites?.several) return undefined;
  const offering = sites.offering(serviceId);
  if (offering.length === 0) return undefined;
  const names = offering.map((s) => siteLabel(s.mpp)).join(', ');
  const chosen = sites.get(ctx.session.vars.site);
  if (chosen && !offering.includes(chosen)) {
    const choices = offering.map((s) => ({ id: encodePayload({ kind: 'site', id: s.id }), label: ctx.t('sites.switch_to', { site: siteLabel(s.mpp) }) }));
    return { line: ctx.t('sites.not_available_here', { site: siteLabel(chosen.mpp), sites: names }), choices };
  }
  const line = offering.length === 1 ? ctx.t('sites.only_available_at', { site: names }) : ctx.t('sites.available_at', { sites: names });
  return { line, choices: [] };
}

export const catalogueActions: ActionRegistry = { searchCatalogue: defineAction({ outcomes: SEARCH_OUTCOMES, run: searchCatalogue }), showResults, showNotFound, openChoice, listAgencies, listAgencyServices, showService };
