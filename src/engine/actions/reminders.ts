import type { QueueService } from '../../queue/queue-service.js';
import { QueueError, type Ticket } from '../../queue/ticket.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';

/** Notices about `vars.ticket`, pushed by the reminder workers, and the citizen's answers to them. */
async function noticeTicket(ctx: ActionContext) {
  const queue = ctx.services.queue;
  const ticket = queue ? await queue.get(ctx.session.vars.ticket ?? '') : undefined;
  return queue && ticket ? { queue, ticket } : undefined;
}

function counterName(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.mpp.counters.find((c) => c.id === id)?.name[ctx.locale] ?? id;
}

function serviceName(ctx: ActionContext, id: string): string {
  return ctx.services.catalogue.services.get(id)?.name[ctx.locale] ?? id;
}

/**
 * A visit's lines under a notice (issue 13): which step this is, and where the citizen goes after
 * it ("Langkah 1 dari 2" / "Setelah ini: Samsat, Loket 6").
 */
async function visitLines(ctx: ActionContext, queue: QueueService, ticket: Ticket): Promise<string[]> {
  if (!ticket.visit) return [];
  const visit = await queue.visitOf(ticket);
  const lines = [ctx.t('chain.step_of', { step: ticket.visit.step, of: ticket.visit.of })];
  const after = visit?.steps.find((s) => s.step > ticket.visit!.step && (s.status === 'waiting' || s.status === 'called'));
  if (after) lines.push(ctx.t('chain.next_after', { service: serviceName(ctx, after.serviceId), counter: counterName(ctx, after.counters[0] ?? '') }));
  return lines;
}

const nearNotice = defineAction({
  outcomes: ['gone', 'ask_rest'],
  flags: ['may_confirm', 'may_postpone', 'may_cancel'],
  run: async (ctx) => {
    const found = await noticeTicket(ctx);
    if (!found) return { outcome: 'gone' };
    const view = await found.queue.view(found.ticket);
    // Running late is allowed once per ticket.
    const flags = found.ticket.postponed ? (['may_confirm', 'may_cancel'] as const) : (['may_confirm', 'may_postpone', 'may_cancel'] as const);
    if (ctx.session.vars.notice === 'next-step') {
      // The step before is done: "Selanjutnya: Samsat, Loket 6, 3 orang lagi".
      const params = { service: serviceName(ctx, view.serviceId), counter: counterName(ctx, found.queue.countersFor(view.serviceId)[0]?.id ?? ''), count: view.ahead, number: view.number };
      const head = ctx.t(view.ahead === 0 ? 'chain.next_step_now' : 'chain.next_step', params);
      // Released because the citizen just cancelled the step before: say it, then ask about the rest again.
      if (ctx.session.vars.cancelVisit && ctx.session.vars.cancelVisit === found.ticket.visit?.id) return { before: [{ text: head }], outcome: 'ask_rest' };
      return { text: [head, ctx.t('ticket.card_number', { number: view.number }), ...(await visitLines(ctx, found.queue, found.ticket))].join('\n'), flags: [...flags] };
    }
    const params = { number: view.number, service: serviceName(ctx, view.serviceId), count: view.ahead, minutes: view.etaMinutes };
    return { text: [ctx.t(view.ahead === 0 ? 'remind.next' : 'remind.near', params), ...(await visitLines(ctx, found.queue, found.ticket))].join('\n'), flags: [...flags] };
  },
});

const calledNotice = defineAction({
  outcomes: ['gone'],
  run: async (ctx) => {
    const found = await noticeTicket(ctx);
    if (!found) return { outcome: 'gone' };
    const key = ctx.session.vars.notice === 'recalled' ? 'remind.recalled' : 'remind.called';
    const said = ctx.t(key, { number: found.ticket.number, counter: counterName(ctx, found.ticket.counter), service: serviceName(ctx, found.ticket.serviceId) });
    return { text: [said, ...(await visitLines(ctx, found.queue, found.ticket))].join('\n') };
  },
});

const noShowNotice = defineAction({
  outcomes: ['gone'],
  run: async (ctx) => {
    const found = await noticeTicket(ctx);
    if (!found) return { outcome: 'gone' };
    return { text: ctx.t('remind.no_show', { number: found.ticket.number }) };
  },
});

/**
 * "Saya menuju ke sana" for one of the citizen's tickets: the notice's button and the same words
 * typed anywhere (state ticket-arriving) share this, so both answer alike.
 */
export async function confirmOnTheWay(ctx: ActionContext, queue: QueueService, ticket: Ticket) {
  await queue.markOnTheWay(ticket.id, ctx.citizen.channel, ctx.citizen.userKey);
  return { text: ctx.t('remind.on_my_way_ok', { number: ticket.number }), flags: ['may_cancel' as const] };
}

/** "Saya terlambat": the ticket moves back `latePlaces` places, once (button and typed words alike). */
export async function postponeLate(ctx: ActionContext, queue: QueueService, ticket: Ticket) {
  try {
    // The places really moved in the call order and the position after it, from one read (issue: "dimundurkan 3 tempat" with 4 ahead).
    const { moved, ticket: view } = await queue.postpone(ticket.id, ctx.citizen.channel, ctx.citizen.userKey, queue.policy.latePlaces);
    // Nobody waits behind: the number keeps its place, say so rather than "moved 0 places".
    if (moved === 0) return { text: ctx.t('remind.late_nobody_behind'), flags: ['may_confirm' as const, 'may_cancel' as const] };
    return { text: ctx.t('remind.late_ok', { count: moved, ahead: view.ahead, minutes: view.etaMinutes }), flags: ['may_confirm' as const, 'may_cancel' as const] };
  } catch (err) {
    if (!(err instanceof QueueError)) throw err;
    return { text: ctx.t(err.info.status === 'postponed' ? 'remind.late_once' : 'remind.late_not_possible'), flags: ['may_cancel' as const] };
  }
}

const onMyWay = defineAction({
  outcomes: ['gone'],
  flags: ['may_cancel'],
  run: async (ctx) => {
    const found = await noticeTicket(ctx);
    if (!found) return { outcome: 'gone' };
    return confirmOnTheWay(ctx, found.queue, found.ticket);
  },
});

const runningLate = defineAction({
  outcomes: ['gone'],
  flags: ['may_confirm', 'may_cancel'],
  run: async (ctx) => {
    const found = await noticeTicket(ctx);
    if (!found) return { outcome: 'gone' };
    return postponeLate(ctx, found.queue, found.ticket);
  },
});

const cancelFromNotice = defineAction({
  outcomes: ['confirm'],
  run: (ctx) => {
    ctx.session.vars.cancelTicket = ctx.session.vars.ticket ?? '';
    return { outcome: 'confirm' };
  },
});

export const reminderActions: ActionRegistry = { nearNotice, calledNotice, noShowNotice, onMyWay, runningLate, cancelFromNotice };
