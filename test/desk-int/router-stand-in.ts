import { findReference } from '../../src/complaints/complaint.js';
import type { Action, ActionRegistry } from '../../src/engine/action.js';

/**
 * Stands in for the free-text router being written in src/engine/actions/conversation.ts: it
 * returns the default text action's outcomes `human`, `complaint` and `complaint_status` (and
 * sets the session vars the router will set) for a few plain phrases, and leaves everything
 * else to the real action. Use with
 * `vi.mock(…/conversation.js, async (orig) => (await import('./router-stand-in.js')).standInRouter(await orig()))`;
 * drop it once the router lands: the flows it leads to are the real ones.
 */
export function standInRouter<M extends { conversationActions: ActionRegistry }>(mod: M): M {
  const real = mod.conversationActions.answerText!;
  const answerText: Action = {
    ...real,
    run: (ctx) => {
      const text = (ctx.text ?? '').toLowerCase();
      const reference = findReference(text);
      if (reference && /status|aduan/.test(text)) {
        ctx.session.vars.complaintRef = reference;
        return { outcome: 'complaint_status' };
      }
      if (/\b(petugas|orang|a person)\b/.test(text)) {
        ctx.session.vars.handoverText = ctx.text;
        return { outcome: 'human' };
      }
      if (/\b(aduan|komplain|lapor|pungli)\b/.test(text)) {
        if (/pungli|suap|pungutan/.test(text)) ctx.session.vars.complaintCategory = 'pungli';
        else if (/lama|lambat/.test(text)) ctx.session.vars.complaintCategory = 'pelayanan_lambat';
        return { outcome: 'complaint' };
      }
      return real.run(ctx);
    },
  };
  return { ...mod, conversationActions: { ...mod.conversationActions, answerText } };
}
