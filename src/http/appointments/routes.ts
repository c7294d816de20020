import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Appointments } from '../../appointments/appointments.js';
import { BookingError, type Booking } from '../../appointments/booking.js';
import type { Catalogue } from '../../catalogue/loader.js';
import { localTime, minutesToHhmm } from '../../catalogue/local-time.js';
import { AppError, type ErrorCode } from '../../errors.js';
import type { Translator } from '../../i18n.js';
import type { Locale } from '../../message.js';
import { escapeHtml, fillPage, pageLanguage } from '../../pages/html-page.js';
import { readPage } from '../../pages/partials.js';
import type { Ticket } from '../../queue/ticket.js';
import { errorBody, httpStatus } from '../errors.js';
import { staffOf, type StaffAuth } from '../staff/index.js';

const template = readPage(import.meta.dirname, 'bookings.html');
const checkInBody = z.strictObject({ code: z.string().trim().min(4).max(12) });
const checkInForm = z.object({ code: z.string().trim().min(4).max(12) });

export interface AppointmentRoutesOptions {
  appointments: Appointments;
  staff: StaffAuth;
  translator: Translator;
  catalogue: Catalogue;
  queue: { get(id: string): Promise<Ticket | undefined>; today(at?: Date): string };
  /** `site=<id>` that the page's form carries (src/http/sites/per-site-router.ts); '' for the main site. */
  at?: string;
  /** The name of another site holding a booking with this code (a citizen at the wrong MPP), if any. */
  elsewhere?: (code: string) => Promise<string | undefined>;
}

/** What a check-in by code came to: the ticket, or a refusal with its code and the words for staff. */
type CheckInResult = { ok: true; booking: Booking; ticket: { id: string; number: string; ahead: number; etaMinutes: number }; again: boolean } | { ok: false; code: ErrorCode; key: string; params?: Record<string, unknown> };

/**
 * Staff check-in of a booking by its code (the citizen shows it at the counter or the front desk),
 * for any signed-in staff member with the CSRF token:
 * - `GET /staff/bookings`: today's bookings by slot (code, service, status, ticket number; no
 *   contact details) and a check-in form posting to `POST /staff/bookings/check-in`;
 * - `POST /staff/api/bookings/check-in {"code": "JT-4K7QX"}` -> `{booking, ticket, message}`; refusals
 *   are `{"error": {"code", "message"}}` with the message in the page language (Indonesian unless
 *   the client asks for English).
 * Within the window the ticket keeps the slot's place; staff may also check in a latecomer of the
 * day, who then queues like a walk-in. A booking of another day is refused with its day.
 */
export function appointmentRoutes({ appointments, staff, translator, catalogue, queue, at = '', elsewhere }: AppointmentRoutesOptions): Router {
  const router = Router();
  const t = (locale: Locale, key: string, params?: Record<string, unknown>) => translator.t(locale, `booking.staff.${key}`, params);
  const longDay = (locale: Locale, day: string) => new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  router.use('/staff/bookings/assets', express.static(path.join(import.meta.dirname, 'public'), { index: false, maxAge: '1h' }));

  const checkIn = async (code: string, locale: Locale): Promise<CheckInResult> => {
    const booking = await appointments.store.byCode(code);
    if (!booking) {
      // Booked at another MPP of the deployment: say where, rather than "not found" to a citizen holding a real code.
      const site = await elsewhere?.(code);
      if (site) return { ok: false, code: 'unknown_booking', key: 'other_site', params: { code: code.toUpperCase(), site } };
      return { ok: false, code: 'unknown_booking', key: 'unknown_code', params: { code: code.toUpperCase() } };
    }
    const today = queue.today();
    if (booking.status === 'cancelled') return { ok: false, code: 'illegal_transition', key: 'cancelled', params: { code: booking.code } };
    if (booking.day !== today && booking.status === 'active') return { ok: false, code: 'check_in_window', key: 'other_day', params: { code: booking.code, day: longDay(locale, booking.day) } };
    try {
      const again = booking.status === 'checked-in';
      const done = await appointments.checkIn(booking.id, { by: 'staff' });
      return { ok: true, booking: done.booking, ticket: done.ticket, again };
    } catch (err) {
      if (!(err instanceof BookingError)) throw err;
      if (err.code === 'check_in_window') {
        const opens = err.info.opensAt ? minutesToHhmm(localTime(err.info.opensAt, catalogue.mpp.timezone).minutes) : '';
        return { ok: false, code: err.code, key: 'too_early', params: { code: booking.code, time: opens } };
      }
      return { ok: false, code: err.code, key: 'not_active', params: { code: booking.code } };
    }
  };
  const successText = (locale: Locale, r: Extract<CheckInResult, { ok: true }>) =>
    t(locale, r.again ? 'already_checked_in' : 'checked_in', { code: r.booking.code, number: r.ticket.number, ahead: r.ticket.ahead, service: catalogue.services.get(r.booking.serviceId)?.name[locale] ?? r.booking.serviceId });

  router.post('/staff/api/bookings/check-in', staff.loadStaff, staff.requireStaff({ page: false }), staff.requireCsrf(), express.json({ limit: '1kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const locale = pageLanguage(req);
    const body = checkInBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', t(locale, 'bad_body'));
    const r = await checkIn(body.data.code, locale);
    if (!r.ok) {
      res.status(httpStatus(r.code)).json(errorBody(r.code, t(locale, r.key, r.params)));
      return;
    }
    const { booking: b, ticket } = r;
    res.json({ booking: { code: b.code, serviceId: b.serviceId, day: b.day, slot: b.slot, status: b.status }, ticket: { id: ticket.id, number: ticket.number, ahead: ticket.ahead, etaMinutes: ticket.etaMinutes }, message: successText(locale, r) });
  });

  const render = async (req: Request, res: Response, status: number, notice?: { kind: 'info' | 'error'; text: string }, code = '') => {
    const locale = pageLanguage(req);
    const me = staffOf(req);
    const day = queue.today();
    const rows: Array<{ booking: Booking; number: string }> = [];
    for (const serviceId of catalogue.services.keys()) {
      if (!appointments.bookable(serviceId)) continue;
      for (const booking of await appointments.store.heldOnDay(serviceId, day)) {
        const ticket = booking.ticketId ? await queue.get(booking.ticketId) : undefined;
        rows.push({ booking, number: ticket?.number ?? '' });
      }
    }
    rows.sort((a, b) => a.booking.slot.localeCompare(b.booking.slot) || a.booking.code.localeCompare(b.booking.code));
    const slots = [...new Set(rows.map((r) => r.booking.slot))];
    const head = ['code', 'service', 'status', 'ticket'].map((k) => `<th scope="col">${escapeHtml(t(locale, `col_${k}`))}</th>`).join('');
    const body = slots
      .map((slot) => {
        const inSlot = rows.filter((r) => r.booking.slot === slot);
        const checked = inSlot.filter((r) => r.booking.status === 'checked-in').length;
        const title = `<tr class="slot"><th colspan="4" scope="rowgroup">${escapeHtml(t(locale, 'slot_title', { time: slot.replace(':', '.'), count: inSlot.length, checked }))}</th></tr>`;
        return (
          title +
          inSlot
            .map(({ booking: b, number }) => `<tr class="${b.status}"><td class="code">${escapeHtml(b.code)}</td><td>${escapeHtml(catalogue.services.get(b.serviceId)?.name[locale] ?? b.serviceId)}</td><td>${escapeHtml(t(locale, `status_${b.status === 'checked-in' ? 'checked_in' : 'active'}`))}</td><td class="number">${escapeHtml(number || '–')}</td></tr>`)
            .join('')
        );
      })
      .join('\n');
    const list = rows.length ? `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>` : `<p class="intro">${escapeHtml(t(locale, 'none_today'))}</p>`;
    const checkedIn = rows.filter((r) => r.booking.status === 'checked-in').length;
    res
      .status(status)
      .type('html')
      .send(
        fillPage(template, translator, locale, {
          username: me.username,
          csrf: me.csrf,
          check_in_action: `/staff/bookings/check-in${at ? `?${at}` : ''}`,
          // Back to the counters of the site this page is about, not the main site's.
          counter_href: `/counter${at ? `?${at}` : ''}`,
          site_name: catalogue.mpp.name,
          notice: notice?.text ?? '',
          notice_kind: notice?.kind ?? '',
          code,
          day_title: t(locale, 'day_title', { day: longDay(locale, day) }),
          totals: t(locale, 'totals', { count: rows.length, checked: checkedIn, waiting: rows.length - checkedIn }),
        }, { list }),
      );
  };

  const pageGuards = [staff.loadStaff, staff.requireStaff({ page: true })];
  router.get('/staff/bookings', ...pageGuards, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    await render(req, res, 200);
  });
  router.post('/staff/bookings/check-in', ...pageGuards, staff.requireCsrf(), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const locale = pageLanguage(req);
    const form = checkInForm.safeParse(req.body ?? {});
    if (!form.success) return render(req, res, 400, { kind: 'error', text: t(locale, 'bad_body') });
    const r = await checkIn(form.data.code, locale);
    if (!r.ok) return render(req, res, httpStatus(r.code), { kind: 'error', text: t(locale, r.key, r.params) }, form.data.code.slice(0, 12));
    return render(req, res, 200, { kind: 'info', text: successText(locale, r) });
  });
  return router;
}
