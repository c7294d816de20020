import { QueueError } from '../../queue/ticket.js';
import type { Action, ActionContext, ActionRegistry } from '../action.js';

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

const nearNotice: Action = async (ctx) => {
  const found = await noticeTicket(ctx);
  if (!found) return { goto: 'ticket-status' };
  const view = await found.queue.view(found.ticket);
  const params = { number: view.number, service: serviceName(ctx, view.serviceId), count: view.ahead, minutes: view.etaMinutes };
  return { text: ctx.t(view.ahead === 0 ? 'remind.next' : 'remind.near', params), show: found.ticket.postponed ? ['on-my-way', 'cancel-ticket', 'menu'] : undefined };
};

const calledNotice: Action = async (ctx) => {
  const found = await noticeTicket(ctx);
  if (!found) return { goto: 'ticket-status' };
  const key = ctx.session.vars.notice === 'recalled' ? 'remind.recalled' : 'remind.called';
  return { text: ctx.t(key, { number: found.ticket.number, counter: counterName(ctx, found.ticket.counter), service: serviceName(ctx, found.ticket.serviceId) }) };
};

const noShowNotice: Action = async (ctx) => {
  const found = await noticeTicket(ctx);
  if (!found) return { goto: 'ticket-status' };
  return { text: ctx.t('remind.no_show', { number: found.ticket.number }) };
};

const onMyWay: Action = async (ctx) => {
  const found = await noticeTicket(ctx);
  if (!found) return { goto: 'ticket-status' };
  await found.queue.markOnTheWay(found.ticket.id, ctx.citizen.channel, ctx.citizen.userKey);
  return { text: ctx.t('remind.on_my_way_ok', { number: found.ticket.number }), show: ['cancel-ticket', 'menu'] };
};

const runningLate: Action = async (ctx) => {
  const found = await noticeTicket(ctx);
  if (!found) return { goto: 'ticket-status' };
  try {
    const { moved, ticket: view } = await found.queue.postpone(found.ticket.id, ctx.citizen.channel, ctx.citizen.userKey, found.queue.policy.latePlaces);
    return { text: ctx.t('remind.late_ok', { count: moved, ahead: view.ahead, minutes: view.etaMinutes }), show: ['on-my-way', 'cancel-ticket', 'menu'] };
  } catch (err) {
    if (!(err instanceof QueueError)) throw err;
    return { text: ctx.t(err.info.status === 'postponed' ? 'remind.late_once' : 'remind.late_not_possible'), show: ['cancel-ticket', 'menu'] };
  }
};

const cancelFromNotice: Action = (ctx) => {
  ctx.session.vars.cancel = ctx.session.vars.ticket ?? '';
  return { goto: 'ticket-cancel-confirm' };
};

export const reminderActions: ActionRegistry = { nearNotice, calledNotice, noShowNotice, onMyWay, runningLate, cancelFromNotice };
