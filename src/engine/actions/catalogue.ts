import type { Action, ActionContext, ActionRegistry } from '../action.js';
import type { Choice } from '../../message.js';
import { local, serviceCard } from './service-card.js';
import { maskPersonalData } from '../../privacy/mask.js';

/** Dynamic choice ids: `s.<service-id>` and `a.<agency-id>` (ASCII, well under 64 bytes). */
const SERVICE = 's.';
const AGENCY = 'a.';
const MAX_RESULTS = 3;

function serviceChoice(ctx: ActionContext, id: string): Choice | undefined {
  const service = ctx.services.catalogue.services.get(id);
  return service && { id: SERVICE + id, label: service.name[ctx.locale] };
}

function agencyChoices(ctx: ActionContext): Choice[] {
  return [...ctx.services.catalogue.agencies.values()]
    .sort((a, b) => a.short.localeCompare(b.short))
    .map((a) => ({ id: AGENCY + a.id, label: a.short }));
}

/** Free text: search the catalogue; one confident match opens the card, close ones become a choice. */
const searchCatalogue: Action = (ctx) => {
  const query = ctx.text ?? '';
  const outcome = ctx.services.search.search(query, MAX_RESULTS);
  // Kept in the session and on a ticket as the question: no NIK, phone or e-mail (UU 27/2022).
  ctx.session.vars.query = maskPersonalData(query.slice(0, 400)).slice(0, 200);
  if (outcome.results.length === 0) return { goto: 'not-found' };
  if (!outcome.ambiguous) {
    ctx.session.vars.service = outcome.results[0]!.id;
    return { goto: 'service' };
  }
  ctx.session.vars.results = outcome.results.map((r) => r.id).join(',');
  return { goto: 'results' };
};

const showResults: Action = (ctx) => {
  const ids = (ctx.session.vars.results ?? '').split(',').filter(Boolean);
  const choices = ids.map((id) => serviceChoice(ctx, id)).filter((c): c is Choice => c !== undefined);
  if (choices.length === 0) return { goto: 'search' };
  return { text: ctx.t('search.ambiguous', { query: ctx.session.vars.query ?? '' }), choices };
};

const showNotFound: Action = (ctx) => ({
  text: ctx.t('search.not_found', { query: ctx.session.vars.query ?? '' }),
  choices: agencyChoices(ctx),
});

/** A picked `s.<id>` or `a.<id>` choice. */
const openChoice: Action = (ctx) => {
  const choice = ctx.choice ?? '';
  if (choice.startsWith(SERVICE) && ctx.services.catalogue.services.has(choice.slice(SERVICE.length))) {
    ctx.session.vars.service = choice.slice(SERVICE.length);
    return { goto: 'service' };
  }
  if (choice.startsWith(AGENCY) && ctx.services.catalogue.agencies.has(choice.slice(AGENCY.length))) {
    ctx.session.vars.agency = choice.slice(AGENCY.length);
    return { goto: 'agency-services' };
  }
  return { goto: 'menu' };
};

const listAgencies: Action = (ctx) => ({ text: ctx.t('browse.agencies'), choices: agencyChoices(ctx) });

const listAgencyServices: Action = (ctx) => {
  const agency = ctx.services.catalogue.agencies.get(ctx.session.vars.agency ?? '');
  if (!agency) return { goto: 'agencies' };
  const choices = [...ctx.services.catalogue.services.values()]
    .filter((s) => s.agency === agency.id)
    .map((s) => ({ id: SERVICE + s.id, label: s.name[ctx.locale] }));
  return { text: ctx.t('browse.services', { agency: agency.name[ctx.locale], description: local(agency.description, ctx.locale) }), choices };
};

const showService: Action = (ctx) => {
  const { catalogue } = ctx.services;
  const service = catalogue.services.get(ctx.session.vars.service ?? '');
  if (!service) return { goto: 'search' };
  const counters = catalogue.mpp.counters.filter((c) => c.agency === service.agency && (!c.services || c.services.includes(service.id))).map((c) => c.name[ctx.locale]);
  return {
    text: serviceCard(service, catalogue.agencies.get(service.agency), counters, ctx.locale, ctx.t),
    card: { kind: 'service', serviceId: service.id },
    // "Book another day" only where the service takes bookings and bookings are wired in.
    ...(ctx.services.appointments?.bookable(service.id) ? {} : { show: ['take', 'search', 'menu'] }),
  };
};

export const catalogueActions: ActionRegistry = { searchCatalogue, showResults, showNotFound, openChoice, listAgencies, listAgencyServices, showService };
