import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import type { Choice } from '../../message.js';
import { encodePayload } from '../payload.js';
import { local, serviceCard } from './service-card.js';
import { maskPersonalData } from '../../privacy/mask.js';

const MAX_RESULTS = 3;

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
  if (outcome.results.length === 0) return { outcome: 'not_found' };
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
    return { text: ctx.t('search.ambiguous', { query: ctx.session.vars.query ?? '' }), choices };
  },
});

const showNotFound = defineAction({
  run: (ctx) => ({ text: ctx.t('search.not_found', { query: ctx.session.vars.query ?? '' }), choices: agencyChoices(ctx) }),
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
  flags: ['bookable'],
  run: (ctx) => {
    const { catalogue } = ctx.services;
    const service = catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { outcome: 'no_service' };
    const counters = catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(service.id))).map((c) => c.name[ctx.locale]);
    return {
      text: serviceCard(service, catalogue.agencies.get(service.agency), counters, ctx.locale, ctx.t),
      card: { kind: 'service', serviceId: service.id },
      // "Book another day" only where the service takes bookings and bookings are wired in.
      flags: ctx.services.appointments?.bookable(service.id) ? ['bookable'] : [],
    };
  },
});

export const catalogueActions: ActionRegistry = { searchCatalogue: defineAction({ outcomes: SEARCH_OUTCOMES, run: searchCatalogue }), showResults, showNotFound, openChoice, listAgencies, listAgencyServices, showService };
