import { minutesToHhmm } from '../../catalogue/local-time.js';
import { siteLabel } from '../../catalogue/sites.js';
import type { Weekday } from '../../catalogue/schema.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { dayLabel } from './dates.js';
import { local } from './service-card.js';

const WEEK: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Indonesia's three zones have names citizens know; anything else shows the IANA name. */
const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/**
 * A heading that names the MPP when the deployment has several ("Jam layanan MPP Kec. Utara"):
 * a citizen who switched sites must see whose hours, facilities or contacts these are.
 */
function heading(ctx: ActionContext, key: 'hours_title' | 'facilities_title' | 'contacts_title', params: Record<string, string> = {}): string {
  if (!ctx.services.sites?.several) return ctx.t(`info.${key}`, params);
  return ctx.t(`info.${key}_at`, { ...params, site: siteLabel(ctx.services.catalogue.mpp) });
}

function zone(ctx: ActionContext): string {
  const tz = ctx.services.catalogue.mpp.timezone;
  return ZONE_NAMES[tz] ?? tz;
}


/** "Are you open now?" answered on the MPP's own clock and zone. */
function openNowText(ctx: ActionContext): string {
  const status = ctx.services.hours.status(ctx.now);
  const tz = zone(ctx);
  const time = minutesToHhmm(status.local.minutes);
  if (status.open) {
    return status.closesAt === undefined ? ctx.t('info.open_now_always') : ctx.t('info.open_now', { time, close: minutesToHhmm(status.closesAt), tz });
  }
  const next = status.nextOpen!;
  const when = next.date === status.local.date ? ctx.t('info.today') : dayLabel(ctx, next.at);
  return ctx.t(`info.closed_${status.state}`, { time, tz, holiday: status.holiday ?? '', next: ctx.t('info.next_open', { when, time: minutesToHhmm(next.minutes), tz }) });
}

const showOpenNow = defineAction({ run: (ctx) => ({ text: openNowText(ctx) }) });

/** One day's hours ("Jumat: 08.00–15.00 (istirahat 11.30–13.00 salat Jumat)"). */
function dayLine(ctx: ActionContext, day: Weekday): string {
  const hours = ctx.services.catalogue.mpp.hours[day];
  const name = ctx.t(`days.${day}`);
  if (!hours) return ctx.t('info.hours_closed', { day: name });
  const breaks = hours.breaks.map((b) => ctx.t('info.hours_break', { start: b.start.replace(':', '.'), end: b.end.replace(':', '.'), reason: b.reason ? local(b.reason, ctx.locale) : '' }));
  return ctx.t('info.hours_line', { day: name, open: hours.open.replace(':', '.'), close: hours.close.replace(':', '.') }) + (breaks.length ? ` (${breaks.join('; ')})` : '');
}

/**
 * A question about the MPP answered in place: a weekday's hours when one was named ("jumat buka
 * sampai jam brp"), else the week; the address, facilities or contacts.
 */
export function mppInfoText(ctx: ActionContext, topic: 'hours' | 'address' | 'facilities' | 'contact', weekday?: Weekday): string {
  switch (topic) {
    case 'hours':
      if (weekday) return [heading(ctx, 'hours_title', { tz: zone(ctx) }), dayLine(ctx, weekday), '', openNowText(ctx)].join('\n');
      return hoursText(ctx);
    case 'address':
      return addressText(ctx);
    case 'facilities':
      return facilitiesText(ctx);
    case 'contact':
      return contactsText(ctx);
  }
}

function hoursText(ctx: ActionContext): string {
  const { mpp } = ctx.services.catalogue;
  const lines = [heading(ctx, 'hours_title', { tz: zone(ctx) }), ...WEEK.map((day) => dayLine(ctx, day))];
  const upcoming = mpp.holidays.filter((h) => h.date >= ctx.services.hours.status(ctx.now).local.date).slice(0, 3);
  if (upcoming.length) {
    lines.push('', ctx.t('info.holidays'));
    for (const h of upcoming) lines.push(ctx.t('info.holiday_line', { date: h.date, name: local(h.name, ctx.locale) }));
  }
  lines.push('', openNowText(ctx));
  if (mpp.demo) lines.push('', ctx.t('info.demo'));
  return lines.join('\n');
}

function addressText(ctx: ActionContext): string {
  const { mpp } = ctx.services.catalogue;
  return ctx.t('info.address', { name: mpp.name, address: mpp.address, city: mpp.city }) + (mpp.demo ? '\n\n' + ctx.t('info.demo') : '');
}

function facilitiesText(ctx: ActionContext): string {
  const lines = [heading(ctx, 'facilities_title')];
  for (const f of ctx.services.catalogue.mpp.facilities) {
    lines.push(ctx.t('info.facility_line', { name: f.name[ctx.locale] }) + (f.description ? ` (${local(f.description, ctx.locale)})` : ''));
  }
  return lines.join('\n');
}

/** The MPP's contacts (also where a citizen reaches a person). */
export function contactsText(ctx: ActionContext): string {
  const { contacts, demo } = ctx.services.catalogue.mpp;
  const lines = [heading(ctx, 'contacts_title')];
  for (const [kind, value] of Object.entries(contacts)) if (value) lines.push(ctx.t(`info.contact_${kind}`, { value }));
  if (demo) lines.push('', ctx.t('info.demo'));
  return lines.join('\n');
}

const showHours = defineAction({ run: (ctx) => ({ text: hoursText(ctx) }) });
const showAddress = defineAction({ run: (ctx) => ({ text: addressText(ctx) }) });
const showFacilities = defineAction({ run: (ctx) => ({ text: facilitiesText(ctx) }) });
const showContacts = defineAction({ run: (ctx) => ({ text: contactsText(ctx) }) });

export const infoActions: ActionRegistry = { showOpenNow, showHours, showAddress, showFacilities, showContacts };
