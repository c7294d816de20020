import { defineAction, type ActionRegistry } from '../action.js';
import { conversationActions } from './conversation.js';

/**
 * The default text action of flows/global.yaml (`text: answerText`): text in the checklist that is
 * no checklist answer ("biayanya brp?") is answered as anywhere else, so its outcomes are ours too.
 */
const answerText = conversationActions.answerText!;

/**
 * Free text in ticket-checklist (state of flows/tickets.yaml): "udah semua" is the all-ready
 * choice; "yg kk belum" marks the requirements naming KK missing, the others not yet answered
 * ready, and goes to the review; "belum semua" goes on one document at a time.
 */
const checklistText = defineAction({
  outcomes: ['no_service', 'next', 'done', ...answerText.outcomes],
  flags: answerText.flags,
  run: (ctx) => {
    const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { outcome: 'no_service' };
    const reading = ctx.services.checklistReader?.read(ctx.text ?? '', service.requirements);
    if (!reading) return answerText.run(ctx);
    const total = service.requirements.length;
    const answers = ctx.session.vars.checklist ?? '';
    switch (reading.kind) {
      case 'all_ready':
        ctx.session.vars.checklist = answers.padEnd(total, 'y');
        return { outcome: 'next' };
      case 'missing':
        // Answers already given stand ("belum" to the first item stays missing).
        ctx.session.vars.checklist = Array.from({ length: total }, (_, i) => (reading.indexes.includes(i) ? 'n' : (answers[i] ?? 'y'))).join('');
        return { outcome: 'done' };
      case 'not_all':
        return { before: [{ text: ctx.t('ticket.checklist_one_by_one') }], outcome: 'next' };
      case 'unknown_item':
        return { before: [{ text: ctx.t('ticket.checklist_which') }], outcome: 'next' };
    }
  },
});

export const checklistTextActions: ActionRegistry = { checklistText };
