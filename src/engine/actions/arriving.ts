import type { QueueService } from '../../queue/queue-service.js';
import type { TicketView } from '../../queue/ticket.js';
import type { SessionVars } from '../session-vars.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';
import { confirmOnTheWay, postponeLate } from './reminders.js';
import { ticketLines } from './tickets.js';

/**
 * "otw", "saya telat 15 menit" typed anywhere (the default text action sets `vars.arriving` and
 * leads to state ticket-arriving), with or without a notice pushed before: the same answer as the
 * notice's buttons "Saya menuju ke sana" and "Saya terlambat", on the citizen's ticket of today.
 */

/**
 * Minutes between walking in and standing at the counter (parking, the floor, the lift): a
 * citizen who arrives at least this long before their estimated turn needs no postponement.
 */
export const ARRIVAL_MARGIN_MINUTES = 5;

type Arriving = NonNullable<SessionVars['arriving']>;

/**
 * On the way, or late enough to move back? Minutes said decide over the word: "telat 10 menit"
 * with 40 minutes of queue ahead is on time (postponing would only cost places, and running late
 * is allowed once), "otw 30 menit lagi" with 10 minutes ahead is late. Without minutes the word
 * decides: "otw" confirms, "telat" postpones.
 */
export function arrivesInTime(arriving: Arriving, ticket: Pick<TicketView, 'etaMinutes'>): boolean {
  if (arriving.inMinutes === undefined) return !arriving.late;
  return arriving.inMinutes + ARRIVAL_MARGIN_MINUTES <= ticket.etaMinutes;
}

/** Today's tickets "otw" can be about: waiting, or called and not yet at the counter. */
async function arrivingTickets(ctx: ActionContext, queue: QueueService): Promise<TicketView[]> {
  return (await queue.activeTickets(ctx.citizen.channel, ctx.citizen.userKey)).filter((t) => t.status === 'waiting' || t.status === 'called');
}

function counterName(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.mpp.counters.find((c) => c.id === id)?.name[ctx.locale] ?? id;
}

function serviceName(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.services.get(id)?.name[ctx.locale] ?? id;
}

type Flag = 'may_confirm' | 'may_postpone' | 'may_cancel' | 'has_ticket' | 'none' | 'several';

/** What to do for one ticket; the choices of the state then act on `vars.ticket` like a notice's. */
async function answerFor(ctx: ActionContext, queue: QueueService, ticket: TicketView): Promise<{ text: string; flags: Flag[] }> {
  ctx.session.vars.ticket = ticket.id;
  const arriving = ctx.session.vars.arriving;
  delete ctx.session.vars.arriving;
  if (ticket.status === 'called') {
    await confirmOnTheWay(ctx, queue, ticket);
    return { text: ctx.t('ticket.arriving_called', { number: ticket.number, counter: counterName(ctx, ticket.counter) }), flags: ['may_cancel', 'has_ticket'] };
  }
  if (!arriving) {
    // Reached without the words (a stale session): show the ticket and let the citizen say which.
    const flags: Flag[] = ticket.postponed ? ['may_confirm', 'may_cancel', 'has_ticket'] : ['may_confirm', 'may_postpone', 'may_cancel', 'has_ticket'];
    return { text: [ticketLines(ctx, ticket), '', ctx.t('ticket.arriving_ask')].join('\n'), flags };
  }
  if (arrivesInTime(arriving, ticket)) {
    const done = await confirmOnTheWay(ctx, queue, ticket);
    const note = arriving.inMinutes !== undefined ? `\n${ctx.t('ticket.arriving_in_time', { count: arriving.inMinutes, minutes: arriving.inMinutes, eta: ticket.etaMinutes })}` : '';
    return { text: done.text + note, flags: [...done.flags, 'has_ticket'] };
  }
  const done = await postponeLate(ctx, queue, ticket);
  return { text: done.text, flags: [...done.flags, 'has_ticket'] };
}

const FLAGS = ['may_confirm', 'may_postpone', 'may_cancel', 'has_ticket', 'none', 'several'] as const;

/** Enter of ticket-arriving: no ticket today, one (answered at once), or several (which one?). */
const arrivingFromText = defineAction({
  flags: FLAGS,
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return { text: ctx.t('ticket.unavailable'), flags: [] };
    const tickets = await arrivingTickets(ctx, queue);
    if (tickets.length === 0) {
      delete ctx.session.vars.arriving;
      return { text: ctx.t('ticket.arriving_none'), flags: ['none'] };
    }
    if (tickets.length === 1) return answerFor(ctx, queue, tickets[0]!);
    return {
      text: ctx.t('ticket.arriving_which'),
      choices: tickets.map((t) => ({ id: encodePayload({ kind: 'ticket', id: t.id }), label: `${t.number} ${serviceName(ctx, t.serviceId)}` })),
      flags: ['several'],
    };
  },
});

/** A ticket picked among several: only one of the citizen's own tickets of today counts. */
const arrivingPick = defineAction({
  accepts: ['ticket'],
  flags: FLAGS,
  run: async (ctx) => {
    const queue = ctx.services.queue;
    if (!queue) return { text: ctx.t('ticket.unavailable'), flags: [] };
    const ticket = (await arrivingTickets(ctx, queue)).find((t) => t.id === ctx.payload?.id);
    if (!ticket) return { text: ctx.t('ticket.arriving_none'), flags: ['none'] };
    return answerFor(ctx, queue, ticket);
  },
});

export const arrivingActions: ActionRegistry = { arrivingFromText, arrivingPick };
