import { BARE_NUMBER, REFERENCE_PATTERN, compactReference, referenceIn, type Pickup } from '../../pickup/pickup.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { conversationActions } from './conversation.js';
import { dayLabel } from './dates.js';
import { mppInfoText } from './info.js';

/**
 * "Paspor saya sudah jadi?": documents collected later (src/pickup), answered from the same record
 * staff mark ready; the notice that a document is ready or still waiting to be collected.
 */

/** A calendar day (YYYY-MM-DD) as the citizen reads it; noon UTC is that same day in every Indonesian zone. */
function day(ctx: ActionContext, date: string): string {
  return dayLabel(ctx, new Date(`${date}T05:00:00Z`));
}

function at(ctx: ActionContext, ms: number): string {
  return dayLabel(ctx, new Date(ms));
}

function serviceName(ctx: ActionContext, p: Pickup): string {
  return ctx.services.catalogue.services.get(p.serviceId)?.name[ctx.locale] ?? p.serviceId;
}

function where(ctx: ActionContext, p: Pickup): string {
  const collect = ctx.services.catalogue.services.get(p.serviceId)?.collect;
  return collect ? collect.where[ctx.locale] : ctx.services.catalogue.mpp.name;
}

/** One application as the citizen reads it: ready (where), waiting (the expected day or why it depends), or collected. */
function pickupLines(ctx: ActionContext, p: Pickup): string {
  const params = { service: serviceName(ctx, p), reference: p.reference, receipt: p.receipt };
  const head = ctx.t(p.receipt ? 'pickup.head_receipt' : 'pickup.head', params);
  switch (p.status) {
    case 'ready':
      return [head, ctx.t('pickup.is_ready', { since: at(ctx, p.readyAt ?? ctx.now.getTime()) }), ctx.t('pickup.where', { where: where(ctx, p) })].join('\n');
    case 'collected':
      return [head, ctx.t('pickup.is_collected', { on: at(ctx, p.collectedAt ?? ctx.now.getTime()) })].join('\n');
    case 'applied': {
      const note = ctx.services.catalogue.services.get(p.serviceId)?.collect?.note?.[ctx.locale];
      const expected = p.expectedDay ? ctx.t(p.expectedDay < localToday(ctx) ? 'pickup.expected_passed' : 'pickup.expected', { day: day(ctx, p.expectedDay) }) : ctx.t('pickup.expected_unknown');
      return [head, ctx.t('pickup.not_ready'), expected, ...(note ? [note] : []), ctx.t('pickup.will_tell')].join('\n');
    }
  }
}

function localToday(ctx: ActionContext): string {
  return ctx.services.hours.status(ctx.now).local.date;
}

/** The applications' lines, then the MPP's hours when one of them can be collected. */
function answer(ctx: ActionContext, list: Pickup[]): string {
  const parts = list.map((p) => pickupLines(ctx, p));
  if (list.some((p) => p.status === 'ready')) parts.push(mppInfoText(ctx, 'hours'));
  return parts.join('\n\n');
}

/** The services the citizen named in the question ("paspor saya sudah jadi?"), to answer about those first; used once. */
function named(ctx: ActionContext): Set<string> {
  const ids = new Set(ctx.session.vars.pickupAbout ?? []);
  delete ctx.session.vars.pickupAbout;
  return ids;
}

/**
 * A typed number's answer: the application found under one of the readings (the text as typed,
 * then only its words with digits), or why the last reading was not found (a bare ticket number
 * needs its day).
 */
async function byReference(ctx: ActionContext, readings: string[]): Promise<string> {
  const pickups = ctx.services.pickups;
  if (!pickups) return ctx.t('pickup.unavailable');
  const valid = [...new Set(readings)].filter((r) => REFERENCE_PATTERN.test(r));
  if (valid.length === 0) return ctx.t('pickup.ref_invalid');
  for (const typed of valid) {
    const found = await pickups.find(typed);
    if (found) return answer(ctx, [found]);
  }
  const typed = valid.at(-1)!;
  return ctx.t(BARE_NUMBER.test(compactReference(typed)) ? 'pickup.ref_needs_day' : 'pickup.ref_unknown', { reference: typed.slice(0, 40) });
}

const pickupStatus = defineAction({
  flags: ['none'],
  run: async (ctx) => {
    const pickups = ctx.services.pickups;
    if (!pickups) return { text: ctx.t('pickup.unavailable'), flags: ['none'] };
    // "paspor saya sudah jadi? no A-001-20261123": the number typed answers first.
    const typed = ctx.session.vars.pickupRef;
    delete ctx.session.vars.pickupRef;
    if (typed) {
      delete ctx.session.vars.pickupAbout;
      return { text: await byReference(ctx, [typed]), flags: ['none'] };
    }
    const all = (await pickups.ofCitizen(ctx.citizen.channel, ctx.citizen.userKey)).slice(0, 5);
    if (all.length === 0) return { text: ctx.t('pickup.none'), flags: ['none'] };
    const wanted = named(ctx);
    const about = all.filter((p) => wanted.has(p.serviceId));
    return { text: answer(ctx, about.length ? about : all), flags: [] };
  },
});

const pickupAskRef = defineAction({ run: (ctx) => ({ text: ctx.t('pickup.ask_ref') }) });

/** The default text action: text with no digit is no number ("syarat ktp"), answered as anywhere else. */
const answerText = conversationActions.answerText!;

/** A receipt or reference number typed by the citizen: the status of that application (no personal data in it). */
const pickupByRef = defineAction({
  outcomes: answerText.outcomes,
  flags: answerText.flags,
  run: async (ctx) => {
    const typed = (ctx.text ?? '').trim();
    if (!/\d/.test(typed)) return answerText.run(ctx);
    const digits = referenceIn(typed, 3);
    return { text: await byReference(ctx, digits ? [typed, digits] : [typed]) };
  },
});

/** The notice: a document is ready (or, later, still not collected); said only while it is ready. */
const pickupNotice = defineAction({
  outcomes: ['gone'],
  run: async (ctx) => {
    const id = ctx.session.vars.pickup;
    const p = id ? await ctx.services.pickups?.get(id) : undefined;
    if (!p || p.status !== 'ready') return { outcome: 'gone' };
    const params = { service: serviceName(ctx, p), reference: p.reference, since: at(ctx, p.readyAt ?? ctx.now.getTime()) };
    const opening = ctx.t(ctx.session.vars.notice === 'pickup-uncollected' ? 'pickup.notice_uncollected' : 'pickup.notice_ready', params);
    return { text: [opening, ctx.t('pickup.where', { where: where(ctx, p) }), ctx.t('pickup.bring', { reference: p.receipt || p.reference }), '', mppInfoText(ctx, 'hours')].join('\n') };
  },
});

export const pickupActions: ActionRegistry = { pickupStatus, pickupAskRef, pickupByRef, pickupNotice };
