import { BookingError, type Booking } from '../../appointments/booking.js';
import { siteLabel } from '../../catalogue/sites.js';
import { hhmmToMinutes, minutesToHhmm, zonedTime } from '../../catalogue/local-time.js';
import { QueueError } from '../../queue/ticket.js';
import { dayLabel as instantLabel } from './dates.js';
import { defineAction, type ActionContext, type ActionRegistry } from '../action.js';
import { encodePayload } from '../payload.js';
import { local } from './service-card.js';
import { ticketLines } from './tickets.js';

/**
 * Appointments from chat. The service is `vars.service`; the day and slot being picked are
 * `vars.bookingDay` / `vars.bookingSlot`; `vars.booking` is the booking looked at;
 * `vars.changeBooking` the booking being moved; `vars.releaseTicket` a ticket of today given up
 * for the booking (an incident's "move").
 */
const unavailable = (ctx: ActionContext) => ({ text: ctx.t('booking.unavailable'), flags: [] as [] });

/** A local date (YYYY-MM-DD) as a day name and date. */
export function dayLabel(ctx: ActionContext, day: string): string {
  return instantLabel(ctx, zonedTime(day, 12 * 60, ctx.services.catalogue.mpp.timezone));
}

export function slotLabel(slot: string): string {
  return minutesToHhmm(hhmmToMinutes(slot));
}

function serviceName(ctx: ActionContext, serviceId: string): string {
  return ctx.services.catalogue.services.get(serviceId)?.name[ctx.locale] ?? serviceId;
}

/** The booking card: code, service, when, where, what to bring, how to check in, change or cancel. */
export function bookingLines(ctx: ActionContext, b: Booking): string {
  const { catalogue } = ctx.services;
  const service = catalogue.services.get(b.serviceId);
  const agency = service ? catalogue.agencies.get(service.agency) : undefined;
  const lines = [ctx.t('booking.card_code', { code: b.code }), ctx.t('booking.card_service', { service: serviceName(ctx, b.serviceId) }), ctx.t('booking.card_when', { day: dayLabel(ctx, b.day), time: slotLabel(b.slot) })];
  if (agency) lines.push(ctx.t('booking.card_where', { agency: agency.name[ctx.locale], location: local(agency.location, ctx.locale) }));
  if (service) {
    lines.push('', ctx.t('booking.bring'));
    for (const r of service.requirements) lines.push(ctx.t('card.item', { item: r[ctx.locale] }));
  }
  lines.push('', ctx.t('booking.how_to_check_in'), ctx.t('booking.how_to_change'));
  return lines.join('\n');
}

/** The citizen-facing sentence for a booking or check-in refusal. */
function refusal(ctx: ActionContext, err: BookingError | QueueError): string {
  if (err instanceof BookingError && err.code === 'check_in_window' && err.info.opensAt) {
    const tz = ctx.services.catalogue.mpp.timezone;
    const opens = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(err.info.opensAt).replace(':', '.');
    return ctx.t('booking.check_in_window', { time: opens });
  }
  switch (err.code) {
    case 'slot_full':
      return ctx.t('booking.slot_full');
    case 'not_bookable':
      return ctx.t('booking.not_bookable');
    case 'illegal_transition':
      return ctx.t('booking.not_active');
    default:
      return ctx.t(`errors.${err.code}`);
  }
}

async function ownBooking(ctx: ActionContext, id: string | undefined): Promise<Booking | undefined> {
  const booking = id ? await ctx.services.appointments?.store.get(id) : undefined;
  return booking && booking.status === 'active' && booking.channel === ctx.citizen.channel && booking.to === ctx.citizen.userKey ? booking : undefined;
}

const startBooking = defineAction({
  outcomes: ['pick_service', 'already', 'pick_day'],
  flags: ['offer_ticket'],
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    if (!appts) return unavailable(ctx);
    const serviceId = ctx.session.vars.service;
    if (!serviceId || !ctx.services.catalogue.services.has(serviceId)) return { before: [{ text: ctx.t('booking.pick_service') }], outcome: 'pick_service' };
    if (!appts.bookable(serviceId)) return { text: ctx.t('booking.not_offered', { service: serviceName(ctx, serviceId) }), flags: ['offer_ticket'] };
    delete ctx.session.vars.changeBooking;
    delete ctx.session.vars.releaseTicket;
    const existing = (await appts.mine(ctx.citizen.channel, ctx.citizen.userKey)).find((b) => b.serviceId === serviceId);
    if (existing) {
      ctx.session.vars.booking = existing.id;
      return { before: [{ text: ctx.t('booking.already', { service: serviceName(ctx, serviceId) }) }], outcome: 'already' };
    }
    return { outcome: 'pick_day' };
  },
});

const offerBookingDays = defineAction({
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    const serviceId = ctx.session.vars.service ?? '';
    if (!appts || !appts.bookable(serviceId)) return unavailable(ctx);
    const days = await appts.days(serviceId);
    const service = serviceName(ctx, serviceId);
    if (days.length === 0) return { text: ctx.t('booking.no_days', { service }), flags: [] };
    return {
      text: ctx.t(ctx.session.vars.changeBooking ? 'booking.pick_day_change' : 'booking.pick_day', { service }),
      choices: days.map((d) => ({ id: encodePayload({ kind: 'day', day: d.day }), label: ctx.t('booking.day_option', { day: dayLabel(ctx, d.day), count: d.free }) })),
    };
  },
});

const pickBookingDay = defineAction({
  accepts: ['day'],
  outcomes: ['picked'],
  run: (ctx) => {
    if (!ctx.payload) return {};
    ctx.session.vars.bookingDay = ctx.payload.day;
    return { outcome: 'picked' };
  },
});

const offerBookingSlots = defineAction({
  outcomes: ['no_day'],
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    const serviceId = ctx.session.vars.service ?? '';
    const day = ctx.session.vars.bookingDay;
    if (!appts || !appts.bookable(serviceId) || !day) return { outcome: 'no_day' };
    const free = (await appts.slots(serviceId, day)).filter((s) => s.free > 0);
    if (free.length === 0) return { text: ctx.t('booking.day_full', { day: dayLabel(ctx, day) }) };
    return {
      text: ctx.t('booking.pick_slot', { day: dayLabel(ctx, day) }),
      choices: free.map((s) => ({ id: encodePayload({ kind: 'slot', slot: s.slot }), label: ctx.t('booking.slot_option', { time: slotLabel(s.slot), count: s.free }) })),
    };
  },
});

const pickBookingSlot = defineAction({
  accepts: ['slot'],
  outcomes: ['picked'],
  run: (ctx) => {
    if (!ctx.payload) return {};
    ctx.session.vars.bookingSlot = ctx.payload.slot;
    return { outcome: 'picked' };
  },
});

const bookingConfirmPrompt = defineAction({
  outcomes: ['no_day'],
  run: (ctx) => {
    const { service, bookingDay, bookingSlot } = ctx.session.vars;
    if (!service || !bookingDay || !bookingSlot) return { outcome: 'no_day' };
    const key = ctx.session.vars.changeBooking ? 'booking.confirm_change' : 'booking.confirm_prompt';
    return { text: ctx.t(key, { service: serviceName(ctx, service), day: dayLabel(ctx, bookingDay), time: slotLabel(bookingSlot) }) };
  },
});

const makeBooking = defineAction({
  outcomes: ['nothing_picked', 'already'],
  flags: ['booked', 'refused'],
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    if (!appts) return unavailable(ctx);
    const { service, bookingDay, bookingSlot, changeBooking, releaseTicket } = ctx.session.vars;
    if (!service || !bookingDay || !bookingSlot) return { outcome: 'nothing_picked' };
    try {
      const booking = changeBooking ? await appts.change(changeBooking, bookingDay, bookingSlot, ctx.citizen) : await appts.book(service, bookingDay, bookingSlot, ctx.citizen);
      for (const key of ['bookingDay', 'bookingSlot', 'changeBooking', 'releaseTicket'] as const) delete ctx.session.vars[key];
      ctx.session.vars.booking = booking.id;
      const lines = [ctx.t(changeBooking ? 'booking.changed' : 'booking.booked'), bookingLines(ctx, booking)];
      if (releaseTicket) {
        const ticket = await ctx.services.queue?.cancelOwn(releaseTicket, ctx.citizen.channel, ctx.citizen.userKey).catch(() => undefined);
        if (ticket) lines.push('', ctx.t('booking.ticket_released', { number: ticket.number }));
      }
      return { text: lines.join('\n'), flags: ['booked'] };
    } catch (err) {
      if (!(err instanceof BookingError)) throw err;
      if (err.code === 'already_booked' && err.info.existing) {
        ctx.session.vars.booking = err.info.existing;
        return { before: [{ text: ctx.t('booking.already', { service: serviceName(ctx, service) }) }], outcome: 'already' };
      }
      return { text: refusal(ctx, err), flags: ['refused'] };
    }
  },
});

/** The citizen's bookings at the deployment's other MPP sites: a line each site. */
async function bookingsElsewhere(ctx: ActionContext): Promise<string[]> {
  const sites = ctx.services.sites;
  if (!sites?.several) return [];
  const here = sites.get(ctx.session.vars.site) ?? sites.main;
  const found = await Promise.all(sites.list.filter((s) => s !== here).map(async (site) => ({ site, mine: await site.appointments.mine(ctx.citizen.channel, ctx.citizen.userKey) })));
  return found.filter((f) => f.mine.length > 0).map(({ site, mine }) => ctx.t('sites.bookings_elsewhere', { site: siteLabel(site.mpp), codes: mine.map((b) => b.code).join(', ') }));
}

const listBookings = defineAction({
  outcomes: ['one'],
  flags: ['elsewhere'],
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    if (!appts) return unavailable(ctx);
    const mine = await appts.mine(ctx.citizen.channel, ctx.citizen.userKey);
    // Bookings at another site are named, with "Ganti MPP" to see them there.
    const elsewhere = await bookingsElsewhere(ctx);
    if (mine.length === 0) return { text: [ctx.t('booking.none'), ...elsewhere].join('\n\n'), flags: elsewhere.length ? ['elsewhere'] : [] };
    if (mine.length === 1) {
      ctx.session.vars.booking = mine[0]!.id;
      return { outcome: 'one' };
    }
    return {
      text: [ctx.t('booking.mine_title'), ...elsewhere].join('\n\n'),
      flags: elsewhere.length ? ['elsewhere'] : [],
      choices: mine.map((b) => ({ id: encodePayload({ kind: 'booking', id: b.id }), label: ctx.t('booking.mine_option', { code: b.code, service: serviceName(ctx, b.serviceId), day: dayLabel(ctx, b.day), time: slotLabel(b.slot) }) })),
    };
  },
});

const pickBooking = defineAction({
  accepts: ['booking'],
  outcomes: ['picked'],
  run: (ctx) => {
    if (!ctx.payload) return {};
    ctx.session.vars.booking = ctx.payload.id;
    return { outcome: 'picked' };
  },
});

const showBooking = defineAction({
  outcomes: ['gone'],
  flags: ['active', 'can_check_in'],
  run: async (ctx) => {
    const booking = await ownBooking(ctx, ctx.session.vars.booking);
    if (!booking) return { outcome: 'gone' };
    const canCheckIn = ctx.services.appointments!.checkInOpen(booking);
    return { text: bookingLines(ctx, booking), flags: canCheckIn ? ['active', 'can_check_in'] : ['active'] };
  },
});

const beginBookingChange = defineAction({
  outcomes: ['gone', 'pick_day'],
  run: async (ctx) => {
    const booking = await ownBooking(ctx, ctx.session.vars.booking);
    if (!booking) return { outcome: 'gone' };
    ctx.session.vars.changeBooking = booking.id;
    ctx.session.vars.service = booking.serviceId;
    delete ctx.session.vars.releaseTicket;
    return { outcome: 'pick_day' };
  },
});

const bookingCancelPrompt = defineAction({
  outcomes: ['gone'],
  flags: ['asking'],
  run: async (ctx) => {
    const booking = await ownBooking(ctx, ctx.session.vars.booking);
    if (!booking) return { outcome: 'gone' };
    return { text: ctx.t('booking.cancel_confirm', { code: booking.code, service: serviceName(ctx, booking.serviceId), day: dayLabel(ctx, booking.day), time: slotLabel(booking.slot) }), flags: ['asking'] };
  },
});

const cancelBooking = defineAction({
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    if (!appts) return unavailable(ctx);
    try {
      const booking = await appts.cancel(ctx.session.vars.booking ?? '', ctx.citizen);
      return { text: ctx.t('booking.cancelled', { code: booking.code }), flags: [] };
    } catch (err) {
      if (err instanceof BookingError) return { text: refusal(ctx, err), flags: [] };
      throw err;
    }
  },
});

const checkInBooking = defineAction({
  flags: ['checked_in'],
  run: async (ctx) => {
    const appts = ctx.services.appointments;
    if (!appts) return unavailable(ctx);
    try {
      const { ticket } = await appts.checkIn(ctx.session.vars.booking ?? '', { by: 'citizen', citizen: ctx.citizen });
      return { text: [ctx.t('booking.checked_in'), ticketLines(ctx, ticket)].join('\n'), flags: ['checked_in'], card: { kind: 'ticket', ticketId: ticket.id } };
    } catch (err) {
      if (err instanceof BookingError || err instanceof QueueError) return { text: refusal(ctx, err), flags: [] };
      throw err;
    }
  },
});

/** The day-before and hour-before reminders (pushed by the outbox workers). */
const bookingNotice = defineAction({
  outcomes: ['gone'],
  run: async (ctx) => {
    const booking = await ownBooking(ctx, ctx.session.vars.booking);
    if (!booking) return { outcome: 'gone' };
    const key = ctx.session.vars.notice === 'booking-hour' ? 'booking.remind_hour' : 'booking.remind_daybefore';
    return { text: [ctx.t(key, { service: serviceName(ctx, booking.serviceId), day: dayLabel(ctx, booking.day), time: slotLabel(booking.slot), code: booking.code }), '', bookingLines(ctx, booking)].join('\n') };
  },
});

export const appointmentActions: ActionRegistry = {
  startBooking,
  offerBookingDays,
  pickBookingDay,
  offerBookingSlots,
  pickBookingSlot,
  bookingConfirmPrompt,
  makeBooking,
  listBookings,
  pickBooking,
  showBooking,
  beginBookingChange,
  bookingCancelPrompt,
  cancelBooking,
  checkInBooking,
  bookingNotice,
};
