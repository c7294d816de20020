import type { Action, ActionRegistry } from '../action.js';

/**
 * Ticket entries of the menu. Until a queue service is wired into the engine they say so
 * plainly: no fake tickets.
 */
const unavailable: Action = (ctx) => ({ text: ctx.t('ticket.unavailable') });

const startTicket: Action = (ctx) => (ctx.services.queue ? { goto: 'menu' } : unavailable(ctx));
const showTicket: Action = (ctx) => (ctx.services.queue ? { goto: 'menu' } : unavailable(ctx));
const cancelTicket: Action = (ctx) => (ctx.services.queue ? { goto: 'menu' } : unavailable(ctx));

export const ticketActions: ActionRegistry = { startTicket, showTicket, cancelTicket };
