import { minutesToHhmm, localTime } from '../../catalogue/local-time.js';
import { QueueError, type TicketView } from '../../queue/ticket.js';
import { dayLabel } from './dates.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';
import { siteLabel } from '../../catalogue/sites.js';

/**
 * Tickets from chat. The service being looked at is `vars.service`; the checklist walk keeps its
 * answers in `vars.checklist` and the priority declaration in `vars.priority`.
 */
const unavailable = (ctx: ActionContext) => ({ text: ctx.t('ticket.unavailable'), flags: [] as [] });

/** "MPP sedang tutup", naming the site when there are several: the other one may well be open. */
function closedText(ctx: ActionContext, nextOpen: Date | undefined): string {
  const next = nextOpen ? when(ctx, nextOpen) : '';
  if (!ctx.services.sites?.several) return ctx.t('ticket.closed', { next });
  return ctx.t('ticket.closed_at', { next, site: siteLabel(ctx.services.catalogue.mpp) });
}

function when(ctx: ActionContext, at: Date): string {
  const tz = ctx.services.catalogue.mpp.timezone;
  const local = localTime(at, tz);
  const today = localTime(ctx.now, tz).date;
  const day = local.date === today ? ctx.t('info.today') : dayLabel(ctx, at);
  return ctx.t('ticket.when', { day, time: minutesToHhmm(local.minutes) });
}

/** The citizen-facing sentence for a queue refusal. */
export function refusal(ctx: ActionContext, err: QueueError): string {
  switch (err.code) {
    case 'closed':
      return closedText(ctx, err.info.nextOpen);
    case 'quota_full':
      return ctx.t('ticket.quota_full');
    case 'limit_reached':
      return ctx.t('ticket.limit_reached', { max: ctx.services.queue?.policy.maxPerDay ?? 3 });
    case 'blocked':
      return ctx.t('ticket.blocked', { until: err.info.until ? when(ctx, err.info.until) : '' });
    default:
      return ctx.t(`errors.${err.code}`);
  }
}


function serviceName(ctx: ActionContext, serviceId: string): string {
  return ctx.services.catalogue.services.get(serviceId)?.name[ctx.locale] ?? serviceId;
}

function counterNames(ctx: ActionContext, serviceId: string): string {
  return (ctx.services.queue?.countersFor(serviceId) ?? []).map((c) => c.name[ctx.locale]).join(', ');
}

/** One ticket as the citizen reads it: number, service, where, people ahead and the estimate. */
export function ticketLines(ctx: ActionContext, t: TicketView): string {
  const lines = [ctx.t('ticket.card_number', { number: t.number }), ctx.t('ticket.card_service', { service: serviceName(ctx, t.serviceId) })];
  // With several MPP sites the ticket says which one: its numbers are that site's own.
  if (ctx.services.sites?.several) lines.push(ctx.t('sites.ticket_at', { site: siteLabel(ctx.services.catalogue.mpp), address: ctx.services.catalogue.mpp.address }));
  if (t.visit) lines.push(ctx.t('chain.step_of', { step: t.visit.step, of: t.visit.of }));
  if (t.status === 'waiting' && t.visit?.held) {
    lines.push(ctx.t('ticket.card_counters', { counters: counterNames(ctx, t.serviceId) }));
    lines.push(ctx.t('plan.status_held', { previous: t.visit.step - 1 }));
  } else if (t.status === 'waiting') {
    lines.push(ctx.t('ticket.card_counters', { counters: counterNames(ctx, t.serviceId) }));
    lines.push(t.ahead === 0 ? ctx.t('ticket.card_next') : ctx.t('ticket.card_ahead', { count: t.ahead, minutes: t.etaMinutes }));
    if (t.servingPaused) lines.push(ctx.t(`ticket.card_paused_${t.servingPaused}`));
    if (t.priority) lines.push(ctx.t('ticket.card_priority'));
  } else if (t.status === 'called') {
    const counter = ctx.services.catalogue.mpp.counters.find((c) => c.id === t.counter);
    lines.push(ctx.t('ticket.card_called', { counter: counter?.name[ctx.locale] ?? t.counter }));
  } else {
    lines.push(ctx.t(`ticket.status_${t.status.replace('-', '_')}`));
  }
  return lines.join('\n');
}

/** No ticket today: where the service takes bookings, offer another day instead. */
function offerBooking(ctx: ActionContext, serviceId: string, refusal: string) {
  if (!ctx.services.appointments?.bookable(serviceId)) return { text: refusal, flags: [] as [] };
  return { text: `${refusal}\n\n${ctx.t('booking.offer_other_day')}`, flags: ['bookable' as const] };
}

const startTicket = defineAction({
  outcomes: ['no_service', 'visit'],
  flags: ['can_take', 'has_ticket', 'bookable'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return unavailable(ctx);
    const serviceId = ctx.session.vars.service;
    // "ambil antrean" with a visit plan in context and no card: the plan's tickets, as one visit.
    if (!serviceId && (ctx.session.vars.visitServices?.length ?? 0) >= 2) return { outcome: 'visit' };
    const service = serviceId ? ctx.services.catalogue.services.get(serviceId) : undefined;
    if (!service) return { before: [{ text: ctx.t('ticket.pick_service') }], outcome: 'no_service' };
    const existing = (await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)).find((t) => t.serviceId === service.id);
    if (existing) return { text: ctx.t('ticket.already', { service: service.name[ctx.locale] }) + '\n\n' + ticketLines(ctx, existing), flags: ['has_ticket'] };
    const blockedUntil = await queue.isBlocked(ctx.citizen.channel, ctx.citizen.userKey);
    if (blockedUntil) return { text: ctx.t('ticket.blocked', { until: when(ctx, blockedUntil) }), flags: [] };
    const a = await queue.availability(service.id);
    if (!a.open) return offerBooking(ctx, service.id, closedText(ctx, a.nextOpen));
    if (a.remaining === 0) return offerBooking(ctx, service.id, ctx.t('ticket.quota_full'));
    const prompt = ctx.t('ticket.confirm_prompt', { service: service.name[ctx.locale], remaining: a.remaining, quota: a.quota });
    // Every counter of the service on a break or closed: said before the citizen commits to wait.
    return { text: a.servingPaused ? `${prompt}\n\n${ctx.t(`ticket.card_paused_${a.servingPaused}`)}` : prompt, flags: ['can_take'] };
  },
});

/** "Take a ticket" from the status page: a fresh choice of service. */
const startNewTicket = defineAction({
  outcomes: ['pick_service'],
  run: (ctx) => {
    delete ctx.session.vars.service;
    return { before: [{ text: ctx.t('ticket.pick_service') }], outcome: 'pick_service' };
  },
});

const beginChecklistWith = (priority: boolean) =>
  defineAction({
    outcomes: ['begun'],
    run: (ctx) => {
      ctx.session.vars.priority = priority;
      ctx.session.vars.checklist = '';
      return { outcome: 'begun' };
    },
  });

const checklistStep = defineAction({
  outcomes: ['no_service', 'done'],
  run: (ctx) => {
    const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { outcome: 'no_service' };
    const done = (ctx.session.vars.checklist ?? '').length;
    if (done >= service.requirements.length) return { outcome: 'done' };
    return { text: ctx.t('ticket.item_prompt', { n: done + 1, total: service.requirements.length, item: service.requirements[done]![ctx.locale] }) };
  },
});

/** One checklist answer: this document ready, missing, or all the remaining ones ready. */
const checklistAnswer = (answer: 'ready' | 'missing' | 'all-ready') =>
  defineAction({
    outcomes: ['no_service', 'next'],
    run: (ctx) => {
      const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
      if (!service) return { outcome: 'no_service' };
      const answers = ctx.session.vars.checklist ?? '';
      ctx.session.vars.checklist = answer === 'all-ready' ? answers.padEnd(service.requirements.length, 'y') : answers + (answer === 'missing' ? 'n' : 'y');
      return { outcome: 'next' };
    },
  });

const reviewChecklist = defineAction({
  outcomes: ['no_service', 'all_ready'],
  run: (ctx) => {
    const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { outcome: 'no_service' };
    const missing = [...(ctx.session.vars.checklist ?? '')].flatMap((a, i) => (a === 'n' ? [service.requirements[i]![ctx.locale]] : []));
    if (missing.length === 0) return { outcome: 'all_ready' };
    return { text: ctx.t('ticket.missing_review', { items: missing.map((m) => ctx.t('card.item', { item: m })).join('\n') }) };
  },
});

const issueTicket = defineAction({
  flags: ['issued'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return unavailable(ctx);
    const serviceId = ctx.session.vars.service ?? '';
    const answers = ctx.session.vars.checklist ?? '';
    const checklist = { ready: [...answers].flatMap((a, i) => (a === 'y' ? [i] : [])), missing: [...answers].flatMap((a, i) => (a === 'n' ? [i] : [])) };
    try {
      const { ticket } = await queue.take({ serviceId, citizen: ctx.citizen, priority: ctx.session.vars.priority === true, checklist, question: ctx.session.vars.query ?? '', source: 'chat' });
      delete ctx.session.vars.checklist;
      return { text: [ctx.t('ticket.issued'), ticketLines(ctx, ticket), '', ctx.t('ticket.bring'), ctx.t('ticket.how_to_cancel')].join('\n'), card: { kind: 'ticket', ticketId: ticket.id }, flags: ['issued'] };
    } catch (err) {
      if (err instanceof QueueError) return { text: refusal(ctx, err), flags: [] };
      throw err;
    }
  },
});

const showTicket = defineAction({
  flags: ['queue', 'has_tickets', 'elsewhere'],
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return unavailable(ctx);
    const tickets = await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey);
    // Tickets at the deployment's other sites are named too, with "Ganti MPP" to see them there.
    const tail = await ticketsElsewhere(ctx);
    const elsewhere = tail.length ? (['elsewhere'] as const) : [];
    if (tickets.length === 0) return { text: [ctx.t('ticket.none'), ...tail].join('\n\n'), flags: ['queue', ...elsewhere] };
    return { text: [ctx.t('ticket.status_title'), ...tickets.map((t) => ticketLines(ctx, t)), ...tail].join('\n\n'), flags: ['queue', 'has_tickets', ...elsewhere] };
  },
});

/** Today's tickets of the citizen at the deployment's other MPP sites: a line each site. */
async function ticketsElsewhere(ctx: ActionContext): Promise<string[]> {
  const sites = ctx.services.sites;
  if (!sites?.several) return [];
  const here = sites.get(ctx.session.vars.site) ?? sites.main;
  const found = await Promise.all(sites.list.filter((s) => s !== here).map(async (site) => ({ site, tickets: await site.queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey) })));
  return found
    .filter((f) => f.tickets.length > 0)
    .map(({ site, tickets }) => ctx.t('sites.tickets_elsewhere', { site: siteLabel(site.mpp), numbers: tickets.map((t) => t.number).join(', ') }));
}

/**
 * The citizen's cancellable tickets of today: at every MPP site of the deployment (a ticket is
 * cancelled wherever it was taken); a ticket of another site than the chosen one carries its site's short name.
 */
async function cancellable(ctx: ActionContext): Promise<Array<{ ticket: TicketView; where?: string }>> {
  const open = (t: TicketView) => t.status === 'waiting' || t.status === 'called';
  const sites = ctx.services.sites;
  if (!sites?.several) return ((await ctx.services.queue?.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)) ?? []).filter(open).map((ticket) => ({ ticket }));
  const here = sites.get(ctx.session.vars.site) ?? sites.main;
  const ordered = [here, ...sites.list.filter((s) => s !== here)];
  const found = await Promise.all(ordered.map(async (site) => (await site.queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)).filter(open).map((ticket) => (site === here ? { ticket } : { ticket, where: siteLabel(site.mpp) }))));
  return found.flat();
}

/** The queue that holds a ticket: its site's, whichever site the citizen has chosen since. */
async function queueOf(ctx: ActionContext, ticketId: string) {
  const sites = ctx.services.sites;
  return sites?.several ? sites.queueOf(ticketId) : ctx.services.queue;
}

const chooseCancel = defineAction({
  outcomes: ['one'],
  flags: ['several'],
  run: async (ctx) => {
    if (!ctx.services.queue) return unavailable(ctx);
    const tickets = await cancellable(ctx);
    if (tickets.length === 0) return { text: ctx.t('ticket.none_to_cancel'), flags: [] };
    if (tickets.length === 1) {
      ctx.session.vars.cancelTicket = tickets[0]!.ticket.id;
      return { outcome: 'one' };
    }
    const label = ({ ticket: t, where }: { ticket: TicketView; where?: string }) => `${t.number} ${serviceName(ctx, t.serviceId)}${where ? ` (${where})` : ''}`;
    return { text: ctx.t('ticket.cancel_which'), choices: tickets.map((t) => ({ id: encodePayload({ kind: 'ticket', id: t.ticket.id }), label: label(t) })), flags: ['several'] };
  },
});

const pickCancel = defineAction({
  accepts: ['ticket'],
  outcomes: ['picked'],
  run: (ctx) => {
    ctx.session.vars.cancelTicket = ctx.payload?.id ?? '';
    return { outcome: 'picked' };
  },
});

const confirmCancelPrompt = defineAction({
  outcomes: ['gone'],
  flags: ['asking'],
  run: async (ctx) => {
    const id = ctx.session.vars.cancelTicket ?? '';
    const ticket = await (await queueOf(ctx, id))?.get(id);
    if (!ticket) return { outcome: 'gone' };
    return { text: ctx.t('ticket.cancel_confirm', { number: ticket.number, service: serviceName(ctx, ticket.serviceId) }), flags: ['asking'] };
  },
});

const cancelConfirm = defineAction({
  outcomes: ['ask_rest'],
  run: async (ctx) => {
    const id = ctx.session.vars.cancelTicket ?? '';
    const queue = await queueOf(ctx, id);
    if (!queue) return unavailable(ctx);
    try {
      // One step of a visit: the steps after it may make no sense without it; ask about them.
      if ((await queue.get(id))?.visit) {
        const { ticket, remaining, dependents } = await queue.cancelStep(id, ctx.citizen.channel, ctx.citizen.userKey);
        delete ctx.session.vars.cancelTicket;
        const said = [ctx.t('ticket.cancelled', { number: ticket.number })];
        if (dependents.length > 0) said.push(ctx.t('plan.cancel_dependents', { services: dependents.map((d) => serviceName(ctx, d)).join(', ') }));
        if (remaining.length === 0 || !ticket.visit) return { text: said.join('\n'), flags: [] };
        ctx.session.vars.cancelVisit = ticket.visit.id;
        return { before: [{ text: said.join('\n') }], outcome: 'ask_rest' };
      }
      const ticket = await queue.cancelOwn(id, ctx.citizen.channel, ctx.citizen.userKey);
      delete ctx.session.vars.cancelTicket;
      return { text: ctx.t('ticket.cancelled', { number: ticket.number }), flags: [] };
    } catch (err) {
      if (err instanceof QueueError) return { text: ctx.t(err.code === 'illegal_transition' ? 'ticket.cannot_cancel' : `errors.${err.code}`), flags: [] };
      throw err;
    }
  },
});

/**
 * The word "batal" (flows/global.yaml words.cancel). A citizen holding a ticket often means the
 * ticket: say it stays active and how to cancel it, instead of silently showing the menu. Without
 * a ticket it is what it always was: back to the menu, where "kembali" leads nowhere older.
 */
const cancelWord = defineAction({
  outcomes: ['no_ticket'],
  flags: ['has_ticket'],
  run: async (ctx) => {
    // "batal" ends the process: "kembali" must not lead back into the step just cancelled.
    ctx.session.history = [];
    const open = await cancellable(ctx);
    if (open.length === 0) return { outcome: 'no_ticket' };
    const numbers = open.map(({ ticket, where }) => (where ? `${ticket.number} (${where})` : ticket.number));
    return { text: ctx.t('ticket.still_active', { count: numbers.length, numbers: numbers.join(', '), choice: ctx.t('ticket.cancel_ticket') }), flags: ['has_ticket'] };
  },
});

export const ticketActions: ActionRegistry = {
  cancelWord,
  startTicket,
  startNewTicket,
  beginChecklist: beginChecklistWith(false),
  beginPriorityChecklist: beginChecklistWith(true),
  checklistStep,
  checklistReady: checklistAnswer('ready'),
  checklistMissing: checklistAnswer('missing'),
  checklistAllReady: checklistAnswer('all-ready'),
  reviewChecklist,
  issueTicket,
  showTicket,
  chooseCancel,
  pickCancel,
  confirmCancelPrompt,
  cancelConfirm,
};
