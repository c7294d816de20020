import type { ActionContext } from '../action.js';

/** "Senin, 30 November" / "Monday 30 November", on the MPP's own calendar. */
export function dayLabel(ctx: Pick<ActionContext, 'locale' | 'services'>, at: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', day: 'numeric', month: 'long', timeZone: ctx.services.catalogue.mpp.timezone }).format(at);
}
