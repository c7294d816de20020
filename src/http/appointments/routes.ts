import express, { Router } from 'express';
import { z } from 'zod';
import type { Appointments } from '../../appointments/appointments.js';
import { AppError } from '../../errors.js';
import type { StaffAuth } from '../staff/index.js';

const checkInBody = z.strictObject({ code: z.string().trim().min(4).max(12) });

/**
 * Staff check-in of a booking by its code (the citizen shows it at the counter or the front desk):
 * `POST /staff/api/bookings/check-in {"code": "JT-4K7Q"}` -> the ticket it became. Any signed-in
 * staff member, with the CSRF token. Within the window the ticket keeps the slot's place; staff may
 * also check in a latecomer, who then queues like a walk-in.
 */
export function appointmentRoutes({ appointments, staff }: { appointments: Appointments; staff: StaffAuth }): Router {
  const router = Router();
  router.post('/staff/api/bookings/check-in', staff.loadStaff, staff.requireStaff({ page: false }), staff.requireCsrf(), express.json({ limit: '1kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = checkInBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', 'Send {"code": "<booking code>"}.');
    const booking = await appointments.store.byCode(body.data.code);
    if (!booking) throw new AppError('unknown_booking', 'No booking with that code.');
    const { booking: done, ticket } = await appointments.checkIn(booking.id, { by: 'staff' });
    res.json({ booking: { code: done.code, serviceId: done.serviceId, day: done.day, slot: done.slot, status: done.status }, ticket: { id: ticket.id, number: ticket.number, ahead: ticket.ahead, etaMinutes: ticket.etaMinutes } });
  });
  return router;
}
