import { siteLabel } from '../../catalogue/sites.js';
import type { Appointments } from '../../appointments/appointments.js';
import type { BookableService, SlotOffer } from '../../appointments/plan.js';
import { hhmmToMinutes, localTime, zonedTime } from '../../catalogue/local-time.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { dayLabel, slotLabel } from './appointments.js';

/**
 * "paspor besok jam 9", "skck rabu": a day and/or time understood in free text (`vars.when`) for
 * the service in `vars.service`. Today is a ticket (tickets are only ever for today); a later day
 * is a booking where the service takes them, with the day and the nearest slot chosen already.
 */

const DAY_MS = 86_400_000;

/** Days from `from` to `to`, both local dates (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/**
 * The slot nearest to the time asked: the first at or after it (a citizen who says "jam 9" can
 * come at 9 or later, rarely earlier), else the last one before it.
 */
export function nearestSlot(free: readonly SlotOffer[], minutes: number): SlotOffer | undefined {
  const sorted = [...free].sort((a, b) => a.minutes - b.minutes);
  return sorted.find((s) => s.minutes >= minutes) ?? sorted.at(-1);
}

/** With several sites, a closed day names the one that is closed (Kec. Utara closes on Saturday, the city does not). */
function atSite(ctx: ActionContext, key: string): string {
  return ctx.services.sites?.several ? `${key}_at` : key;
}

/** Why a later day cannot be booked, in one line; undefined when it can. */
async function whyNotOffered(ctx: ActionContext, appts: Appointments, service: BookableService, day: string): Promise<string | undefined> {
  const { mpp } = ctx.services.catalogue;
  const label = dayLabel(ctx, day);
  const ahead = service.appointments.days_ahead;
  if (daysBetween(localTime(ctx.now, mpp.timezone).date, day) > ahead) return ctx.t('booking.when_too_far', { day: label, count: ahead });
  const holiday = mpp.holidays.find((h) => h.date === day);
  if (holiday) return ctx.t(atSite(ctx, 'booking.when_holiday'), { day: label, holiday: holiday.name[ctx.locale], site: siteLabel(mpp) });
  const weekday = localTime(zonedTime(day, 12 * 60, mpp.timezone), mpp.timezone).weekday;
  if (!mpp.hours[weekday]) return ctx.t(atSite(ctx, 'booking.when_closed_day'), { day: label, site: siteLabel(mpp) });
  const slots = await appts.slots(service.id, day);
  if (slots.length === 0) return ctx.t('booking.when_no_slots', { day: label });
  if (slots.every((s) => s.free === 0)) return ctx.t('booking.when_full', { day: label });
  return undefined;
}

const bookingFromWhen = defineAction({
  outcomes: ['no_service', 'today', 'already', 'not_offered', 'pick_slot', 'confirm'],
  flags: ['ticket_today'],
  run: async (ctx) => {
    const when = ctx.session.vars.when ?? {};
    delete ctx.session.vars.when;
    const service = ctx.services.catalogue.services.get(ctx.session.vars.service ?? '');
    if (!service) return { before: [{ text: ctx.t('ticket.pick_service') }], outcome: 'no_service' };
    const now = localTime(ctx.now, ctx.services.catalogue.mpp.timezone);
    // Today, or only a time: a ticket now (a day already past reads as today, the parser's slip).
    if (!when.date || when.date <= now.date) {
      const later = when.time !== undefined && hhmmToMinutes(when.time) > now.minutes;
      return { ...(later ? { before: [{ text: ctx.t('booking.when_ticket_now', { time: slotLabel(when.time!) }) }] } : {}), outcome: 'today' };
    }
    const day = when.date;
    const appts = ctx.services.appointments;
    const bookable = appts?.bookable(service.id);
    if (!appts || !bookable) return { text: ctx.t('booking.when_no_bookings', { service: service.name[ctx.locale], day: dayLabel(ctx, day) }), flags: ['ticket_today'] };
    delete ctx.session.vars.changeBooking;
    delete ctx.session.vars.releaseTicket;
    const existing = (await appts.mine(ctx.citizen.channel, ctx.citizen.userKey)).find((b) => b.serviceId === service.id);
    if (existing) {
      ctx.session.vars.booking = existing.id;
      return { before: [{ text: ctx.t('booking.already', { service: service.name[ctx.locale] }) }], outcome: 'already' };
    }
    const reason = await whyNotOffered(ctx, appts, bookable, day);
    if (reason) return { before: [{ text: reason }], outcome: 'not_offered' };
    ctx.session.vars.bookingDay = day;
    delete ctx.session.vars.bookingSlot;
    if (!when.time) return { outcome: 'pick_slot' };
    const slot = nearestSlot((await appts.slots(service.id, day)).filter((s) => s.free > 0), hhmmToMinutes(when.time))!;
    ctx.session.vars.bookingSlot = slot.slot;
    const moved = slot.slot !== when.time;
    return { ...(moved ? { before: [{ text: ctx.t('booking.when_nearest', { asked: slotLabel(when.time), time: slotLabel(slot.slot) }) }] } : {}), outcome: 'confirm' };
  },
});

export const bookingWhenActions: ActionRegistry = { bookingFromWhen };
