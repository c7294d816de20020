import { minutesToHhmm, localTime } from '../../catalogue/local-time.js';
import { QueueError, type TicketView } from '../../queue/ticket.js';
import { dayLabel } from './dates.js';
import type { Action, ActionContext, ActionRegistry, ActionResult } from '../action.js';

/**
 * Tickets from chat. The service being looked at is `vars.service`; the checklist walk keeps its
 * answers in `vars.cl` ("y"/"n" per requirement) and the priority declaration in `vars.prio`.
 */
const unavailable = (ctx: ActionContext): ActionResult => ({ text: ctx.t('ticket.unavailable'), show: ['menu'] });

function when(ctx: ActionContext, at: Date): string {
  const tz = ctx.services.catalogue.mpp.timezone;
  const local = localTime(at, tz);
  const today = localTime(ctx.now, tz).date;
  const day = local.date === today ? ctx.t('info.today') : dayLabel(ctx, at);
  return ctx.t('ticket.when', { day, time: minutesToHhmm(local.minutes) });
}

/** The citizen-facing sentence for a queue refusal. */
function refusal(ctx: ActionContext, err: QueueError): string {
  switch (err.code) {
    case 'closed':
      return ctx.t('ticket.closed', { next: err.info.nextOpen ? when(ctx, err.info.nextOpen) : '' });
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
  if (t.status === 'waiting') {
    lines.push(ctx.t('ticket.card_counters', { counters: counterNames(ctx, t.serviceId) }));
    lines.push(t.ahead === 0 ? ctx.t('ticket.card_next') : ctx.t('ticket.card_ahead', { count: t.ahead, minutes: t.etaMinutes }));
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
function offerBooking(ctx: ActionContext, serviceId: string, refusal: string): ActionResult {
  if (!ctx.services.appointments?.bookable(serviceId)) return { text: refusal, show: ['menu'] };
  return { text: `${refusal}\n\n${ctx.t('booking.offer_other_day')}`, show: ['book', 'menu'] };
}

const startTicket: Action = async (ctx) => {
  const queue = ctx.services.queue;
  if (!queue) return unavailable(ctx);
  const serviceId = ctx.session.vars.service;
  const service = serviceId ? ctx.services.catalogue.services.get(serviceId) : undefined;
  if (!service) return { before: [{ text: ctx.t('ticket.pick_service') }], goto: 'search' };
  const existing = (await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)).find((t) => t.serviceId === service.id);
  if (existing) return { text: ctx.t('ticket.already', { service: service.name[ctx.locale] }) + '\n\n' + ticketLines(ctx, existing), show: ['status', 'cancel-ticket', 'menu'] };
  const blockedUntil = await queue.isBlocked(ctx.citizen.channel, ctx.citizen.userKey);
  if (blockedUntil) return { text: ctx.t('ticket.blocked', { until: when(ctx, blockedUntil) }), show: ['menu'] };
  const a = await queue.availability(service.id);
  if (!a.open) return offerBooking(ctx, service.id, ctx.t('ticket.closed', { next: a.nextOpen ? when(ctx, a.nextOpen) : '' }));
  if (a.remaining === 0) return offerBooking(ctx, service.id, ctx.t('ticket.quota_full'));
  return { text: ctx.t('ticket.confirm_prompt', { service: service.name[ctx.locale], remaining: a.remaining, quota: a.quota }), show: ['confirm', 'confirm-priority', 'menu'] };
};

/** "Take a ticket" from the status page: a fresh choice of service. */
const startNewTicket: Action = (ctx) => {
  delete ctx.session.vars.service;
  return { before: [{ text: ctx.t('ticket.pick_service') }], goto: 'search' };
};

const beginChecklist: Action = (ctx) => {
  ctx.session.vars.prio = ctx.choice === 'confirm-priority' ? '1' : '0';
  ctx.session.vars.cl = '';
  return { goto: 'ticket-checklist' };
};

const checklistStep: Action = (ctx) => {
  const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
  if (!service) return { goto: 'menu' };
  const done = (ctx.session.vars.cl ?? '').length;
  if (done >= service.requirements.length) return { goto: 'ticket-review' };
  return { text: ctx.t('ticket.item_prompt', { n: done + 1, total: service.requirements.length, item: service.requirements[done]![ctx.locale] }) };
};

const checklistAnswer: Action = (ctx) => {
  const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
  if (!service) return { goto: 'menu' };
  const answers = ctx.session.vars.cl ?? '';
  ctx.session.vars.cl = ctx.choice === 'all-ready' ? answers.padEnd(service.requirements.length, 'y') : answers + (ctx.choice === 'missing' ? 'n' : 'y');
  return { goto: 'ticket-checklist' };
};

const reviewChecklist: Action = (ctx) => {
  const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
  if (!service) return { goto: 'menu' };
  const missing = [...(ctx.session.vars.cl ?? '')].flatMap((a, i) => (a === 'n' ? [service.requirements[i]![ctx.locale]] : []));
  if (missing.length === 0) return { goto: 'ticket-issue' };
  return { text: ctx.t('ticket.missing_review', { items: missing.map((m) => ctx.t('card.item', { item: m })).join('\n') }) };
};

const issueTicket: Action = async (ctx) => {
  const queue = ctx.services.queue;
  if (!queue) return unavailable(ctx);
  const serviceId = ctx.session.vars.service ?? '';
  const answers = ctx.session.vars.cl ?? '';
  const checklist = { ready: [...answers].flatMap((a, i) => (a === 'y' ? [i] : [])), missing: [...answers].flatMap((a, i) => (a === 'n' ? [i] : [])) };
  try {
    const { ticket } = await queue.take({ serviceId, citizen: ctx.citizen, priority: ctx.session.vars.prio === '1', checklist, question: ctx.session.vars.query ?? '', source: 'chat' });
    delete ctx.session.vars.cl;
    return { text: [ctx.t('ticket.issued'), ticketLines(ctx, ticket), '', ctx.t('ticket.bring'), ctx.t('ticket.how_to_cancel')].join('\n'), card: { kind: 'ticket', ticketId: ticket.id } };
  } catch (err) {
    if (err instanceof QueueError) return { text: refusal(ctx, err), show: ['menu'] };
    throw err;
  }
};

const showTicket: Action = async (ctx) => {
  const queue = ctx.services.queue;
  if (!queue) return unavailable(ctx);
  const tickets = await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey);
  if (tickets.length === 0) return { text: ctx.t('ticket.none'), show: ['take', 'menu'] };
  return { text: [ctx.t('ticket.status_title'), ...tickets.map((t) => ticketLines(ctx, t))].join('\n\n') };
};

const chooseCancel: Action = async (ctx) => {
  const queue = ctx.services.queue;
  if (!queue) return unavailable(ctx);
  const tickets = (await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)).filter((t) => t.status === 'waiting' || t.status === 'called');
  if (tickets.length === 0) return { text: ctx.t('ticket.none_to_cancel'), show: ['menu'] };
  if (tickets.length === 1) {
    ctx.session.vars.cancel = tickets[0]!.id;
    return { goto: 'ticket-cancel-confirm' };
  }
  return { text: ctx.t('ticket.cancel_which'), choices: tickets.map((t) => ({ id: `x.${t.id}`, label: `${t.number} ${serviceName(ctx, t.serviceId)}` })) };
};

const pickCancel: Action = (ctx) => {
  ctx.session.vars.cancel = (ctx.choice ?? '').replace(/^x\./, '');
  return { goto: 'ticket-cancel-confirm' };
};

const confirmCancelPrompt: Action = async (ctx) => {
  const ticket = await ctx.services.queue?.get(ctx.session.vars.cancel ?? '');
  if (!ticket) return { goto: 'ticket-status' };
  return { text: ctx.t('ticket.cancel_confirm', { number: ticket.number, service: serviceName(ctx, ticket.serviceId) }) };
};

const cancelConfirm: Action = async (ctx) => {
  const queue = ctx.services.queue;
  if (!queue) return unavailable(ctx);
  try {
    const ticket = await queue.cancelOwn(ctx.session.vars.cancel ?? '', ctx.citizen.channel, ctx.citizen.userKey);
    delete ctx.session.vars.cancel;
    return { text: ctx.t('ticket.cancelled', { number: ticket.number }), show: ['menu'] };
  } catch (err) {
    if (err instanceof QueueError) return { text: ctx.t(err.code === 'illegal_transition' ? 'ticket.cannot_cancel' : `errors.${err.code}`), show: ['menu'] };
    throw err;
  }
};

export const ticketActions: ActionRegistry = {
  startTicket,
  startNewTicket,
  beginChecklist,
  checklistStep,
  checklistAnswer,
  reviewChecklist,
  issueTicket,
  showTicket,
  chooseCancel,
  pickCancel,
  confirmCancelPrompt,
  cancelConfirm,
};
