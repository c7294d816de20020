import { cleanText } from '../../catalogue/normalise.js';
import { siteLabel } from '../../catalogue/sites.js';
import type { Site } from '../../sites/sites.js';
import type { ActionContext } from '../action.js';

/**
 * What a text says about the MPP site: a site it names ("yang di kec utara aja"), whether it asks
 * to change or list sites ("ganti MPP", "di MPP mana saja ada?"), and whether it says nothing else.
 */
export interface SiteWords {
  site?: Site;
  change: boolean;
  /** Only the site's words and fillers ("yg utara", "pindah ke mpp kota aja"). */
  only: boolean;
  /** Words besides the change words, the site's and fillers ("di mpp mana aja ada *paspor*?"). */
  more: boolean;
}

export function siteWords(ctx: ActionContext, text: string): SiteWords {
  const sites = ctx.services.sites;
  if (!sites?.several) return { change: false, only: false, more: false };
  const normaliser = ctx.services.search.plainNormaliser;
  const padded = ` ${cleanText(text)} `;
  const changeWords = ctx.list('sites.change_words').filter((w) => padded.includes(` ${cleanText(w)} `));
  const change = changeWords.length > 0;
  const filler = new Set(ctx.list('sites.filler_words').flatMap((w) => normaliser.tokens(w)));
  const site = sites.named(text, normaliser);
  const own = new Set(site ? [site.id.replace(/-/g, ' '), site.mpp.name, siteLabel(site.mpp), ...site.mpp.aliases].flatMap((n) => normaliser.tokens(n)) : []);
  const changing = new Set(changeWords.flatMap((w) => normaliser.tokens(w)));
  const words = normaliser.tokens(text);
  const only = site !== undefined && words.every((w) => own.has(w) || filler.has(w));
  const more = words.some((w) => !own.has(w) && !filler.has(w) && !changing.has(w));
  return { ...(site ? { site } : {}), change, only, more };
}

/** "Buka hari ini 08.00–14.00", "Hari ini tutup", "Hari ini libur: Natal", on the site's own clock. */
export function todayAt(ctx: ActionContext, site: Site): string {
  const status = site.hours.status(ctx.now);
  const holiday = site.mpp.holidays.find((h) => h.date === status.local.date);
  if (holiday) return ctx.t('sites.today_holiday', { name: (ctx.locale === 'en' && holiday.name.en) || holiday.name.id });
  const day = site.mpp.hours[status.local.weekday];
  if (!day) return ctx.t('sites.today_closed');
  return ctx.t('sites.today_open', { open: day.open.replace(':', '.'), close: day.close.replace(':', '.') });
}

/** The one line that confirms a choice: "Sekarang: MPP Kec. Utara, Jl. … Buka hari ini 08.00–14.00." */
export function siteChosen(ctx: ActionContext, site: Site): string {
  return ctx.t('sites.chosen', { site: siteLabel(site.mpp), address: site.mpp.address, today: todayAt(ctx, site) });
}

/** Sets the citizen's site (remembered by the engine after the turn). */
export function chooseSite(ctx: ActionContext, site: Site): void {
  ctx.session.vars.site = site.id;
}
