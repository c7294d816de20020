import { minutesToHhmm, localTime } from '../../catalogue/local-time.js';
import type { BotContext } from '../../desk/conversation.js';
import type { OpenResult } from '../../desk/handover-store.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { dayLabel } from './dates.js';
import { infoActions } from './info.js';

/** What the officer sees of the bot conversation: the service looked at and the ticket held. */
async function botContext(ctx: ActionContext): Promise<BotContext> {
  const { service } = ctx.session.vars;
  const ticket = (await ctx.services.queue?.activeTickets(ctx.citizen.channel, ctx.citizen.userKey))?.[0];
  return {
    ...(service ? { serviceId: service } : ticket ? { serviceId: ticket.serviceId } : {}),
    ...(ticket ? { ticketId: ticket.id, ticketNumber: ticket.number } : {}),
  };
}

/** "Handing over", how long a reply takes now, or when the desk opens again; and how to leave. */
export function handoverTexts(ctx: Pick<ActionContext, 't' | 'locale' | 'services'>, opened: OpenResult): string {
  const lines = [ctx.t(opened.created ? 'desk.handover.opening' : 'desk.handover.already')];
  if (!opened.deskOpen && opened.opensAt) {
    const tz = ctx.services.catalogue.mpp.timezone;
    const when = `${dayLabel(ctx, opened.opensAt)} ${minutesToHhmm(localTime(opened.opensAt, tz).minutes)}`;
    lines.push(ctx.t('desk.handover.closed', { when }));
  } else if (opened.replyEstimate.measured) {
    lines.push(ctx.t('desk.handover.estimate', { minutes: Math.max(1, Math.ceil(opened.replyEstimate.ms / 60_000)) }));
  } else {
    lines.push(ctx.t('desk.handover.estimate_default'));
  }
  lines.push(ctx.t('desk.handover.how_to_leave'));
  return lines.join('\n\n');
}

/**
 * A request for a person: hands the citizen to the desk. From here the engine stays silent for
 * them (engine.ts) until an officer or "menu" hands them back; without a desk, the contacts.
 */
const openHandover = defineAction({
  run: async (ctx) => {
    const { desk } = ctx.services;
    if (!desk) {
      const contacts = await infoActions.showContacts!.run(ctx);
      return contacts.text !== undefined ? { text: contacts.text } : {};
    }
    // Entered through an outcome, the action has no text of its own: the router kept the words.
    const text = ctx.text ?? ctx.session.vars.handoverText;
    delete ctx.session.vars.handoverText;
    const opened = await desk.open({ citizen: ctx.citizen, locale: ctx.locale, ...(text ? { text } : {}), context: await botContext(ctx) });
    return { text: handoverTexts(ctx, opened) };
  },
});

export const deskActions: ActionRegistry = { openHandover };
