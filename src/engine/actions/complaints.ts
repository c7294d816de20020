import { localTime, addDays } from '../../catalogue/local-time.js';
import { complaintCategories, findReference, newComplaintSchema, type ComplaintCategory } from '../../complaints/complaint.js';
import { complaintTargets } from '../../complaints/deadlines.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { dayLabel } from './dates.js';

/** A ticket number as the queue prints it ("A-012", "B12"). */
const TICKET_NUMBER = /^[A-Z]{1,3}-?\d{1,4}$/i;

function draft(ctx: ActionContext) {
  return (ctx.session.vars.complaintDraft ??= {});
}

function category(ctx: ActionContext): ComplaintCategory {
  const c = ctx.session.vars.complaintCategory;
  return complaintCategories.find((k) => k === c) ?? 'lainnya';
}

function day(ctx: ActionContext, date: string): string {
  return dayLabel(ctx, new Date(`${date}T12:00:00Z`));
}

/** Starts a complaint: nothing of an earlier draft is kept. Pungli is told at once it may stay anonymous. */
const startComplaint = defineAction({
  outcomes: ['unavailable'],
  run: (ctx) => {
    if (!ctx.services.complaints) return { outcome: 'unavailable' };
    ctx.session.vars.complaintDraft = {};
    const lines = [ctx.t('complaints.flow.ask_what')];
    if (category(ctx) === 'pungli') lines.push(ctx.t('complaints.pungli.secrecy'));
    return { text: lines.join('\n\n') };
  },
});

/** "What happened", in the citizen's own words (masked by the store). */
const complaintWhat = defineAction({
  outcomes: ['next'],
  run: (ctx) => {
    const what = (ctx.text ?? '').trim();
    if (what.length < 3) return { text: ctx.t('complaints.flow.ask_what') };
    draft(ctx).what = what.slice(0, 2000);
    return { outcome: 'next' };
  },
});

/**
 * The agency and service, suggested from context: the service looked at, or the ticket held.
 * Without either the question is skipped (`none`): the desk sorts it out when verifying.
 */
const offerComplaintAgency = defineAction({
  outcomes: ['none'],
  flags: ['suggested'],
  run: async (ctx) => {
    const { catalogue, queue } = ctx.services;
    const ticket = (await queue?.activeTickets(ctx.citizen.channel, ctx.citizen.userKey))?.[0];
    const serviceId = ctx.session.vars.service ?? ticket?.serviceId;
    const service = serviceId ? catalogue.services.get(serviceId) : undefined;
    if (!service) return { outcome: 'none' };
    const agency = catalogue.agencies.get(service.agency);
    const d = draft(ctx);
    d.serviceId = service.id;
    d.agencyId = service.agency;
    if (ticket && !d.ticketNumber) d.ticketNumber = ticket.number;
    return { text: ctx.t('complaints.flow.ask_agency', { service: service.name[ctx.locale], agency: agency?.name[ctx.locale] ?? service.agency }), flags: ['suggested'] };
  },
});

/** "Not about that service": the suggestion is dropped. */
const dropComplaintAgency = defineAction({
  outcomes: ['next'],
  run: (ctx) => {
    const d = draft(ctx);
    delete d.agencyId;
    delete d.serviceId;
    return { outcome: 'next' };
  },
});

const keepComplaintAgency = defineAction({ outcomes: ['next'], run: () => ({ outcome: 'next' }) });

function setWhen(ctx: ActionContext, offsetDays: number) {
  const today = localTime(ctx.now, ctx.services.catalogue.mpp.timezone).date;
  draft(ctx).happenedOn = addDays(today, offsetDays);
  return { outcome: 'next' as const };
}

const complaintToday = defineAction({ outcomes: ['next'], run: (ctx) => setWhen(ctx, 0) });
const complaintYesterday = defineAction({ outcomes: ['next'], run: (ctx) => setWhen(ctx, -1) });

/** A date in free text: what the lead's understanding put in `when`, or DD/MM/YYYY; otherwise asked again. */
const complaintWhenText = defineAction({
  outcomes: ['next'],
  run: (ctx) => {
    const understood = ctx.session.vars.when?.date;
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec((ctx.text ?? '').trim());
    const date = understood ?? (m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : undefined);
    if (!date || Number.isNaN(Date.parse(date))) return { text: ctx.t('complaints.flow.ask_when') };
    draft(ctx).happenedOn = date;
    return { outcome: 'next' };
  },
});

/** The ticket number: the one they hold is offered; another may be typed; it is optional. */
const offerComplaintTicket = defineAction({
  flags: ['has_ticket'],
  run: (ctx) => {
    const number = draft(ctx).ticketNumber;
    return number ? { text: ctx.t('complaints.flow.ask_ticket_known', { number }), flags: ['has_ticket'] } : { text: ctx.t('complaints.flow.ask_ticket') };
  },
});

const complaintTicketText = defineAction({
  outcomes: ['next'],
  run: (ctx) => {
    const number = (ctx.text ?? '').trim().toUpperCase();
    if (!TICKET_NUMBER.test(number)) return { text: ctx.t('complaints.flow.ask_ticket') };
    draft(ctx).ticketNumber = number;
    return { outcome: 'next' };
  },
});

const skipComplaintTicket = defineAction({
  outcomes: ['next'],
  run: (ctx) => {
    delete draft(ctx).ticketNumber;
    return { outcome: 'next' };
  },
});

/**
 * Files the complaint and confirms it: the ADU reference, the targets (LAPOR!'s rhythm), and for
 * pungli the Ombudsman RI (137) and SP4N-LAPOR!. Never Saber Pungli (disbanded, Perpres 49/2025).
 */
async function file(ctx: ActionContext, anonymous: boolean) {
  const complaints = ctx.services.complaints;
  const parsed = newComplaintSchema.safeParse({ ...draft(ctx), category: category(ctx), anonymous });
  if (!complaints || !parsed.success) return { outcome: 'failed' as const };
  const record = await complaints.store.create(parsed.data, { citizen: ctx.citizen, locale: ctx.locale });
  const targets = complaintTargets(record, complaints.calendar);
  const lines = [
    ctx.t('complaints.confirmation', { reference: record.reference }),
    ctx.t('complaints.next_steps', { verifyBy: day(ctx, targets.verifyBy), followUpBy: day(ctx, targets.followUpBy) }),
  ];
  if (anonymous) lines.push(ctx.t('complaints.anonymous_note'));
  const lapor = await complaints.lapor.submit({ ...record, history: [] });
  if (record.category === 'pungli') lines.push(ctx.t('complaints.pungli.advice', { reference: record.reference, laporUrl: lapor.kind === 'link' ? lapor.url : 'lapor.go.id' }));
  else if (lapor.kind === 'link') lines.push(ctx.t('complaints.lapor.link', { url: lapor.url }));
  delete ctx.session.vars.complaintDraft;
  delete ctx.session.vars.complaintCategory;
  return { before: [{ text: lines.join('\n\n') }], outcome: 'filed' as const };
}

const fileComplaintHidden = defineAction({ outcomes: ['filed', 'failed'], run: (ctx) => file(ctx, true) });
const fileComplaintNamed = defineAction({ outcomes: ['filed', 'failed'], run: (ctx) => file(ctx, false) });

/** "Status aduan ADU-…": the reference understood in the text, else the citizen's own complaints. */
const lookupComplaint = defineAction({
  run: async (ctx) => {
    const complaints = ctx.services.complaints;
    if (!complaints) return { text: ctx.t('complaints.lookup.none') };
    const reference = ctx.session.vars.complaintRef ?? findReference(ctx.text ?? '');
    delete ctx.session.vars.complaintRef;
    const status = (s: string) => ctx.t(`complaints.statuses.${s}`);
    const date = (ms: number) => dayLabel(ctx, new Date(ms));
    if (!reference) {
      const mine = await complaints.store.mine(ctx.citizen);
      if (!mine.length) return { text: ctx.t('complaints.lookup.none') };
      return { text: mine.slice(0, 5).map((c) => ctx.t('complaints.lookup.own', { reference: c.reference, category: ctx.t(`complaints.categories.${c.category}`), created: date(c.createdAt), status: status(c.status) })).join('\n') };
    }
    const found = await complaints.store.lookup(reference, ctx.citizen);
    if (!found) return { text: ctx.t('complaints.lookup.not_found', { reference }) };
    if (found.own) {
      const c = found.complaint;
      return { text: ctx.t('complaints.lookup.own', { reference, category: ctx.t(`complaints.categories.${c.category}`), created: date(c.createdAt), status: status(c.status) }) };
    }
    return { text: ctx.t('complaints.lookup.other', { reference, status: status(found.status), updated: date(found.updatedAt) }) };
  },
});

export const complaintActions: ActionRegistry = {
  startComplaint,
  complaintWhat,
  offerComplaintAgency,
  keepComplaintAgency,
  dropComplaintAgency,
  complaintToday,
  complaintYesterday,
  complaintWhenText,
  offerComplaintTicket,
  complaintTicketText,
  skipComplaintTicket,
  fileComplaintHidden,
  fileComplaintNamed,
  lookupComplaint,
};
