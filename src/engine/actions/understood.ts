import { cleanText } from '../../catalogue/normalise.js';
import { maskPersonalData } from '../../privacy/mask.js';
import type { Intent, Understanding } from '../../understanding/index.js';
import { findReference } from '../../complaints/complaint.js';
import { referenceIn } from '../../pickup/pickup.js';
import type { ActionContext, ActionResult } from '../action.js';
import { SEARCH_OUTCOMES, searchCatalogue } from './catalogue.js';
import { followUpAnswer } from './follow-up.js';
import { mppInfoText } from './info.js';
import { setVisit } from './visit-plan.js';
import { chooseSite, siteChosen, siteWords } from './site-words.js';

/** Outcomes of free text understood: flows/global.yaml maps each to the state that answers it. */
export const TEXT_OUTCOMES = [
  ...SEARCH_OUTCOMES,
  'several',
  'visit_pick',
  'not_here',
  'ask_service',
  'ticket_status',
  'take_ticket',
  'kiosk_ticket',
  'ticket_cancel',
  'arriving',
  'booking_when',
  'human',
  'complaint',
  'complaint_status',
  'pickup_status',
  'greeting',
  'menu',
  'language',
  'sorry',
  'insult',
  'out_of_scope',
  'pick_site',
] as const;
export type TextOutcome = (typeof TEXT_OUTCOMES)[number];
type Result = ActionResult<TextOutcome, never>;

/**
 * "sekalian X juga" / "tambah X" after a card or a plan adds X to what is in context instead of
 * replacing it. A word that is part of the named service's own name ("tambah daya") adds nothing.
 */
const ALSO = /(?<=^| )(sekalian|sekaligus|juga|tambah|tambahin|tambahkan|ditambah|also|add|as well|too|plus)(?= |$)/g;
/** An add word opening the message adds even several services ("sekalian skck dan surat bebas narkoba"). */
const LEADING_ALSO = /^(sekalian|sekaligus|tambah|tambahin|tambahkan|also|add|plus) /;
const MAX_QUERY = 200;
/** `vars.topic` after an opening-hours answer, so a bare weekday next asks that day's hours. */
const MPP_HOURS = 'mpp-hours';
/** Candidates answered at once when a follow-up comes before the citizen picked one. */
const MAX_FOLLOW_UP_CANDIDATES = 3;

/**
 * Acts on what a text means, first intent first. Answers about the service in context, the MPP,
 * thanks and small talk are given in place (the last message's buttons stay valid); everything
 * else is an outcome that the flows map to a state.
 */
export function actOnUnderstanding(ctx: ActionContext, u: Understanding): Result {
  ctx.session.vars.query = maskPersonalData(u.text || ctx.text || '').slice(0, MAX_QUERY);
  const reference = findReference(ctx.text ?? '');
  if (reference) {
    ctx.session.vars.complaintRef = reference;
    return { outcome: 'complaint_status' };
  }
  const site = siteTurn(ctx, u);
  if (site) return site;
  for (const intent of u.intents) {
    const result = actOn(ctx, u, intent);
    if (result) return result;
  }
  return { outcome: 'not_found' };
}

function actOn(ctx: ActionContext, u: Understanding, intent: Intent): Result | undefined {
  const { vars } = ctx.session;
  switch (intent.kind) {
    case 'language':
      ctx.setLocale(intent.to);
      return { before: [{ text: ctx.t('language.changed') }], outcome: 'language' };
    case 'menu':
      return { outcome: 'menu' };
    case 'back':
      return undefined;
    case 'answer':
      // A yes or no the current step did not ask for ("ok" after a card): acknowledge, keep the buttons.
      return { text: ctx.t(intent.yes ? 'talk.ok' : 'talk.no_problem'), keepOffered: true };
    case 'ticket_status':
      return { outcome: 'ticket_status' };
    case 'ticket_take':
      return takeTicket(ctx, u);
    case 'kiosk_ticket':
      return { outcome: 'kiosk_ticket' };
    case 'ticket_cancel':
      return { outcome: 'ticket_cancel' };
    case 'pickup_status': {
      // "paspor saya sudah jadi?": the services named ride along; the answer is about those first.
      const named = u.intents.find((i) => i.kind === 'services');
      if (named?.kind === 'services') vars.pickupAbout = named.serviceIds.slice(0, 6);
      else delete vars.pickupAbout;
      const typed = referenceIn(ctx.text ?? '');
      if (typed) vars.pickupRef = typed.slice(0, 40);
      else delete vars.pickupRef;
      return { outcome: 'pickup_status' };
    }
    case 'arriving':
      vars.arriving = { late: intent.late, ...(intent.inMinutes !== undefined ? { inMinutes: Math.min(intent.inMinutes, 24 * 60) } : {}) };
      return { outcome: 'arriving' };
    case 'not_here':
      vars.notHere = intent.entryId;
      return { outcome: 'not_here' };
    case 'follow_up': {
      // No card yet, only the candidates of an ambiguous answer: answer for each of them.
      const ids = vars.service ? [intent.serviceId] : (vars.results ?? [intent.serviceId]).slice(0, MAX_FOLLOW_UP_CANDIDATES);
      const services = ids.flatMap((id) => ctx.services.catalogue.services.get(id) ?? []);
      if (services.length === 0) return undefined;
      // "Loketnya di mana?": the counters are the site's own.
      const ask = intent.topic === 'location' && services.length === 1 ? askSite(ctx, services[0]!.id) : undefined;
      if (ask) return ask;
      vars.topic = intent.topic;
      return { text: services.map((s) => followUpAnswer(ctx.services.catalogue, s, intent.topic, ctx.locale, ctx.t, services.length === 1)).join('\n\n'), keepOffered: true };
    }
    case 'topic_without_service':
      vars.topic = intent.topic;
      return { before: [{ text: ctx.t('followup.which_service') }], outcome: 'ask_service' };
    case 'services':
      return services(ctx, u, intent);
    case 'when':
      // "kalo minggu?" right after the opening hours: that day's hours.
      if (vars.topic === MPP_HOURS && intent.when.weekday) return { text: mppInfoText(ctx, 'hours', intent.when.weekday), keepOffered: true };
      if (!vars.service) return undefined;
      vars.when = whenVar(intent.when);
      return { outcome: 'booking_when' };
    case 'mpp_info':
      {
        // "Jam buka hari ini?" differs between sites: asked first when several and none chosen.
        const ask = askSite(ctx);
        if (ask) return ask;
      }
      if (intent.topic === 'hours') vars.topic = MPP_HOURS;
      return { text: mppInfoText(ctx, intent.topic, intent.when?.weekday), keepOffered: true };
    case 'human':
      // The officer reads the citizen's own words first (the desk masks what it logs).
      vars.handoverText = (ctx.text ?? '').slice(0, 4096);
      return { outcome: 'human' };
    case 'complaint': {
      const category = ctx.services.understander?.complaintCategory(ctx.text ?? '');
      if (category) vars.complaintCategory = category;
      else delete vars.complaintCategory;
      return { outcome: 'complaint' };
    }
    case 'frustration':
      return { outcome: intent.insult ? 'insult' : 'sorry' };
    case 'greeting':
      return { before: [{ text: ctx.t('talk.greeting') }], outcome: 'greeting' };
    case 'thanks':
      return { text: ctx.t('talk.thanks'), keepOffered: true };
    case 'small_talk':
      return { text: ctx.t('talk.small_talk', { mpp: ctx.services.catalogue.mpp.name }), keepOffered: true };
    case 'out_of_scope':
      return { outcome: 'out_of_scope' };
    case 'unknown':
      // "👍", "🙏", "?": no word to search for; acknowledged, the buttons stay.
      if (!/[\p{L}\p{N}]/u.test(ctx.text ?? '')) return { text: ctx.t('talk.signs_only'), keepOffered: true };
      return search(ctx, u.text || ctx.text || '');
  }
}

/**
 * "Di MPP mana?" before answering a text whose answer is a site's own, when there are several and
 * none is chosen; the text is answered once a site is. Not when one site only offers the service.
 */
function askSite(ctx: ActionContext, serviceId?: string): Result | undefined {
  const sites = ctx.services.sites;
  if (!sites?.several || sites.get(ctx.session.vars.site)) return undefined;
  if ((serviceId ? sites.offering(serviceId) : sites.list).length <= 1) return undefined;
  ctx.session.vars.sitePending = { text: (ctx.text ?? '').slice(0, 400), ...(serviceId ? { service: serviceId } : {}) };
  return { outcome: 'pick_site' };
}

/** Questions whose answer is a site's own, and services asked at a site: a site named with them is chosen first ("jam buka mpp utara", "kk di utara"). */
const SITE_QUESTIONS = new Set<Intent['kind']>(['mpp_info', 'ticket_take', 'ticket_status', 'services']);

/**
 * The MPP site in free text: "ganti MPP" / "di MPP mana saja ada?" lists the sites (those offering
 * the card's service, when one is in context); a site named alone ("yg utara", "pindah ke mpp
 * kota") or with a site's own question is chosen, confirmed in one line, and the conversation goes
 * on: the card in context at the new site, the question asked, else the menu.
 */
function siteTurn(ctx: ActionContext, u: Understanding): Result | undefined {
  const sites = ctx.services.sites;
  if (!sites?.several) return undefined;
  const { vars } = ctx.session;
  const said = siteWords(ctx, ctx.text ?? '');
  const card = ctx.session.card && vars.service ? { state: ctx.session.card.state, service: vars.service } : undefined;
  if (said.site && (said.change || said.only)) {
    chooseSite(ctx, said.site);
    if (card) vars.sitePending = { state: card.state };
    else delete vars.sitePending;
    return { before: [{ text: siteChosen(ctx, said.site) }], resume: true };
  }
  if (said.site && said.site.id !== vars.site && u.intents.some((i) => SITE_QUESTIONS.has(i.kind))) {
    chooseSite(ctx, said.site);
    vars.sitePending = { text: (ctx.text ?? '').slice(0, 400) };
    return { before: [{ text: siteChosen(ctx, said.site) }], resume: true };
  }
  // "di MPP mana aja ada paspor?": the service's card answers it ("Hanya di MPP Kota Contoh");
  // "ganti mpp" alone is no service, whatever the search makes of "ganti".
  if (said.change && !said.site && said.more && u.intents.some((i) => i.kind === 'services')) return undefined;
  if (said.change) {
    // "di MPP mana saja ada?" after a card: the sites that offer its service. "Ganti MPP": every
    // site, the card shown again at the one picked (which says when that site does not offer it,
    // with a one-tap switch back).
    const asksWhere = ctx.list('sites.where_words').some((w) => ` ${cleanText(ctx.text ?? '')} `.includes(` ${cleanText(w)} `));
    if (card) vars.sitePending = asksWhere ? card : { state: card.state };
    else delete vars.sitePending;
    return { outcome: 'pick_site' };
  }
  return undefined;
}

function services(ctx: ActionContext, u: Understanding, intent: Extract<Intent, { kind: 'services' }>): Result {
  const { vars } = ctx.session;
  const context = vars.service;
  // What a "sekalian X" adds to: the plan in context, else the card in context.
  const base = vars.visitServices?.length ? vars.visitServices : context ? [context] : [];
  let ids = intent.serviceIds;
  const adding = base.length > 0 && addsTo(ctx, ids);
  if (adding && intent.ambiguous && !ids.some((id) => base.includes(id))) {
    // "tambah skck": new or renewal? Asked, then added to the plan.
    vars.visitServices = [...base];
    vars.results = ids.slice(0, 5);
    vars.visitAdding = true;
    return { outcome: 'visit_pick' };
  }
  if (adding && !intent.ambiguous && ids.some((id) => !base.includes(id))) ids = [...base, ...ids];
  else if (adding && !intent.ambiguous && base.length >= 2) {
    // "sekalian pajak motor" when the plan has it already: the same plan, saying so.
    setVisit(ctx, base);
    return { before: [{ text: ctx.t('plan.already', { services: ids.map((id) => ctx.services.catalogue.services.get(id)?.name[ctx.locale] ?? id).join(', ') }) }], outcome: 'several' };
  }
  // "kalo perpanjang?" right after the SIM card: of the close candidates, the one in context;
  // "yg kk dulu" with a plan in context: the one candidate the plan holds.
  const inPlan = intent.ambiguous ? ids.filter((id) => vars.visitServices?.includes(id)) : [];
  if (intent.ambiguous && context && ids.includes(context)) ids = [context];
  else if (inPlan.length === 1) ids = inPlan;
  else if (intent.ambiguous) {
    vars.results = ids.slice(0, 5);
    delete vars.visitServices;
    return { outcome: 'ambiguous' };
  }
  if (ids.length >= 2) {
    setVisit(ctx, ids);
    return { outcome: 'several' };
  }
  vars.service = ids[0]!;
  // A new single service ends the plan in context; the plan's own service keeps it (its card from the plan).
  if (!vars.visitServices?.includes(ids[0]!)) delete vars.visitServices;
  // "paspor besok jam 9" books; "hari ini" alone is just today, the card is the answer.
  const when = u.intents.find((i) => i.kind === 'when');
  if (when?.kind === 'when' && laterThanToday(ctx, u)) {
    vars.when = whenVar(when.when);
    return { outcome: 'booking_when' };
  }
  if (intent.topic && intent.topic !== 'requirements') vars.topic = intent.topic;
  else delete vars.topic;
  return { outcome: 'found' };
}

/**
 * "ambil nomor antrian paspor": a ticket for the one service named, else for the one in context
 * (the take step asks which service when there is none). Several or unclear services named are
 * answered as services first, so the citizen sees what they would queue for.
 */
function takeTicket(ctx: ActionContext, u: Understanding): Result | undefined {
  const named = u.intents.find((i) => i.kind === 'services');
  if (named?.kind === 'services' && (named.ambiguous || named.serviceIds.length !== 1)) return undefined;
  // "mau antri paspor besok jam 9" is a booking for that day, answered with the service.
  if (named && laterThanToday(ctx, u)) return undefined;
  if (named?.kind === 'services') ctx.session.vars.service = named.serviceIds[0]!;
  // "ambil antrian semua" with a plan in context: the plan's tickets, not the last card's.
  const text = ` ${cleanText(ctx.text ?? '')} `;
  if (!named && (ctx.session.vars.visitServices?.length ?? 0) >= 2 && ctx.list('plan.take_all_words').some((w) => text.includes(` ${cleanText(w)} `))) delete ctx.session.vars.service;
  return { outcome: 'take_ticket' };
}

/**
 * Whether the text asks to add the named services to what is in context: an add word that is not
 * part of a named service's own words, for one named service or after an opening add word.
 */
function addsTo(ctx: ActionContext, ids: readonly string[]): boolean {
  const text = ` ${(ctx.text ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const own = new Set(
    ids.flatMap((id) => {
      const s = ctx.services.catalogue.services.get(id);
      return s ? [s.name.id, s.name.en, ...s.aliases, ...s.keywords].join(' ').toLowerCase().split(/[^\p{L}\p{N}]+/u) : [];
    }),
  );
  const words = [...text.matchAll(ALSO)].map((m) => m[1]!).filter((w) => !own.has(w));
  if (words.length === 0) return false;
  return ids.length === 1 || LEADING_ALSO.test(text.trimStart());
}

function search(ctx: ActionContext, text: string): Result {
  const result = searchCatalogue({ ...ctx, text });
  if (result.outcome === 'found') delete ctx.session.vars.topic;
  return result;
}

/** A day other than today or a time named in the message: a booking rather than today's ticket. */
function laterThanToday(ctx: ActionContext, u: Understanding): boolean {
  const when = u.intents.find((i) => i.kind === 'when');
  return when?.kind === 'when' && Boolean(when.when.time || (when.when.date && when.when.date !== localDate(ctx)));
}

function localDate(ctx: ActionContext): string {
  return ctx.services.hours.status(ctx.now).local.date;
}

function whenVar(when: { date?: string | undefined; time?: string | undefined }): { date?: string; time?: string } {
  return { ...(when.date ? { date: when.date } : {}), ...(when.time ? { time: when.time } : {}) };
}
