import type { Incident } from '../../incidents/incident.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
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

const incidentNotice = defineAction({
  outcomes: ['gone'],
  flags: ['asking', 'can_cancel', 'can_move'],
  run: async (ctx) => {
    const found = await noticeContext(ctx);
    if (!found) return { outcome: 'gone' };
    const { incident, serviceId } = found;
    const service = ctx.services.catalogue.services.get(serviceId)?.name[ctx.locale] ?? serviceId;
    const holder = found.ticket ? ctx.t('incident.your_ticket', { number: found.ticket.number, service }) : ctx.t('incident.your_booking', { code: found.booking.code, service, time: slotLabel(found.booking.slot) });
    const canMove = incident.offers.move && ctx.services.appointments?.bookable(serviceId) !== undefined;
    const params = { kind: ctx.t(`incident.kinds.${incident.kind}`), scope: scopeName(ctx, incident) };
    // The end of an incident asks nothing: the holder's ticket or booking simply stands.
    if (incident.resolved) return { text: [ctx.t('incident.resolved_notice', params), incident.message, '', holder].join('\n'), flags: [] };
    return {
      // The operator's message goes out as written; each channel escapes it for its own format.
      text: [ctx.t(incident.parent ? 'incident.update_notice' : 'incident.notice', params), incident.message, '', holder, ctx.t('incident.what_now')].join('\n'),
      flags: ['asking', ...(incident.offers.cancel ? (['can_cancel'] as const) : []), ...(canMove ? (['can_move'] as const) : [])],
    };
  },
});

const incidentKeep = defineAction({ run: (ctx) => ({ text: ctx.t('incident.kept'), flags: [] }) });

const incidentCancel = defineAction({
  outcomes: ['gone', 'ticket', 'booking'],
  run: async (ctx) => {
    const found = await noticeContext(ctx);
    if (!found) return { outcome: 'gone' };
    if (found.ticket) {
      ctx.session.vars.cancelTicket = found.ticket.id;
      return { outcome: 'ticket' };
    }
    return { outcome: 'booking' };
  },
});

/** Another day for the same service: a ticket holder books (their ticket is released once booked); a booking holder moves it. */
const incidentMove = defineAction({
  outcomes: ['gone', 'pick_day'],
  run: async (ctx) => {
    const found = await noticeContext(ctx);
    if (!found) return { outcome: 'gone' };
    ctx.session.vars.service = found.serviceId;
    if (found.ticket) {
      delete ctx.session.vars.changeBooking;
      ctx.session.vars.releaseTicket = found.ticket.id;
    } else {
      delete ctx.session.vars.releaseTicket;
      ctx.session.vars.changeBooking = found.booking.id;
    }
    return { outcome: 'pick_day' };
  },
});

export const incidentActions: ActionRegistry = { incidentNotice, incidentKeep, incidentCancel, incidentMove };
