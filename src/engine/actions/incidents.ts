import type { Incident } from '../../incidents/incident.js';
import type { Action, ActionContext, ActionRegistry } from '../action.js';
import { slotLabel } from './appointments.js';

/**
 * The incident notice (pushed by the outbox workers) and the citizen's answer: keep, cancel, or
 * move to another day. The notice is about `vars.ticket` or `vars.booking`, never both.
 */
async function noticeContext(ctx: ActionContext) {
  const incident = await ctx.services.incidents?.get(ctx.session.vars.incident ?? '');
  if (!incident) return undefined;
  const ticketId = ctx.session.vars.ticket;
  if (ticketId) {
    const ticket = await ctx.services.queue?.get(ticketId);
    return ticket && (ticket.status === 'waiting' || ticket.status === 'called') ? { incident, ticket, serviceId: ticket.serviceId } : undefined;
  }
  const booking = await ctx.services.appointments?.store.get(ctx.session.vars.booking ?? '');
  return booking?.status === 'active' && booking.channel === ctx.citizen.channel && booking.to === ctx.citizen.userKey ? { incident, booking, serviceId: booking.serviceId } : undefined;
}

function scopeName(ctx: ActionContext, incident: Incident): string {
  const { catalogue } = ctx.services;
  if (incident.scope.type === 'agency') return catalogue.agencies.get(incident.scope.id)?.name[ctx.locale] ?? incident.scope.id;
  return catalogue.services.get(incident.scope.id)?.name[ctx.locale] ?? incident.scope.id;
}

const incidentNotice: Action = async (ctx) => {
  const found = await noticeContext(ctx);
  if (!found) return { goto: 'ticket-status' };
  const { incident, serviceId } = found;
  const service = ctx.services.catalogue.services.get(serviceId)?.name[ctx.locale] ?? serviceId;
  const holder = found.ticket ? ctx.t('incident.your_ticket', { number: found.ticket.number, service }) : ctx.t('incident.your_booking', { code: found.booking.code, service, time: slotLabel(found.booking.slot) });
  const canMove = incident.offers.move && ctx.services.appointments?.bookable(serviceId) !== undefined;
  return {
    // The operator's message goes out as written; each channel escapes it for its own format.
    text: [ctx.t('incident.notice', { kind: ctx.t(`incident.kinds.${incident.kind}`), scope: scopeName(ctx, incident) }), incident.message, '', holder, ctx.t('incident.what_now')].join('\n'),
    show: ['keep', ...(incident.offers.cancel ? ['cancel'] : []), ...(canMove ? ['move'] : []), 'menu'],
  };
};

const incidentKeep: Action = (ctx) => ({ text: ctx.t('incident.kept'), show: ['menu'] });

const incidentCancel: Action = async (ctx) => {
  const found = await noticeContext(ctx);
  if (!found) return { goto: 'ticket-status' };
  if (found.ticket) {
    ctx.session.vars.cancel = found.ticket.id;
    return { goto: 'ticket-cancel-confirm' };
  }
  return { goto: 'booking-cancel-confirm' };
};

/** Another day for the same service: a ticket holder books (their ticket is released once booked); a booking holder moves it. */
const incidentMove: Action = async (ctx) => {
  const found = await noticeContext(ctx);
  if (!found) return { goto: 'ticket-status' };
  ctx.session.vars.service = found.serviceId;
  if (found.ticket) {
    delete ctx.session.vars.change;
    ctx.session.vars.release = found.ticket.id;
  } else {
    delete ctx.session.vars.release;
    ctx.session.vars.change = found.booking.id;
  }
  return { goto: 'booking-day' };
};

export const incidentActions: ActionRegistry = { incidentNotice, incidentKeep, incidentCancel, incidentMove };
