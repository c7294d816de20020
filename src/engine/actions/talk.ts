import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import type { Choice } from '../../message.js';
import { encodePayload } from '../payload.js';
import { countersOf } from './follow-up.js';
import { contactsText } from './info.js';
import { local } from './service-card.js';

function serviceChoice(ctx: ActionContext, id: string): Choice[] {
  const service = ctx.services.catalogue.services.get(id);
  return service ? [{ id: encodePayload({ kind: 'service', id }), label: service.name[ctx.locale] }] : [];
}

/** "Not served here, go to X" (content/not-here.yaml), with the related service of ours when there is one. */
const showNotHere = defineAction({
  outcomes: ['unknown'],
  run: (ctx) => {
    const entry = ctx.services.understander?.notHereEntry(ctx.session.vars.notHere ?? '');
    if (!entry) return { outcome: 'unknown' };
    // Our related service becomes the context: "kalau perpanjang bisa?" next is about it.
    if (entry.related) ctx.session.vars.service = entry.related;
    return { text: ctx.t('talk.not_here', { where: entry.where[ctx.locale] }), choices: entry.related ? serviceChoice(ctx, entry.related) : [] };
  },
});

/**
 * Several services named in one message ("perpanjang sim sama bayar pajak motor"): each with its
 * agency and counter on one line, the way to open each card, and that they fit in one visit.
 */
const showSeveral = defineAction({
  outcomes: ['empty'],
  run: (ctx) => {
    const { catalogue } = ctx.services;
    const services = (ctx.session.vars.results ?? []).flatMap((id) => catalogue.services.get(id) ?? []);
    if (services.length === 0) return { outcome: 'empty' };
    const lines = [ctx.t('talk.several', { count: services.length })];
    services.forEach((s, i) => {
      const agency = catalogue.agencies.get(s.agency);
      const counters = countersOf(catalogue, s, ctx.locale);
      lines.push(ctx.t('talk.several_line', { n: i + 1, name: s.name[ctx.locale], agency: agency?.short ?? s.agency, where: counters.join(', ') || (agency ? local(agency.location, ctx.locale) : ''), fee: local(s.fee.text, ctx.locale).split(/(?<=\.)\s/)[0] }));
    });
    lines.push('', ctx.t('talk.several_pick'));
    return { text: lines.join('\n'), choices: services.flatMap((s) => serviceChoice(ctx, s.id)) };
  },
});

/**
 * A person or a complaint while the help desk is not wired in: how to reach the MPP's own
 * contacts, and for extortion the Ombudsman RI and SP4N-LAPOR! (Perpres 76/2013).
 */
const showPersonContacts = defineAction({ run: (ctx) => ({ text: [ctx.t('talk.person_contacts'), contactsText(ctx)].join('\n\n') }) });
const showComplaintContacts = defineAction({ run: (ctx) => ({ text: [ctx.t('talk.complaint_contacts'), contactsText(ctx)].join('\n\n') }) });

export const talkActions: ActionRegistry = { showNotHere, showSeveral, showPersonContacts, showComplaintContacts };
