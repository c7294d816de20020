import { describe, expect, it } from 'vitest';
import { BookingError } from '../../src/appointments/booking.js';
import { allText, choiceIds, staffSession } from '../helpers.js';
import { setupNotices, tuesdayAt, until } from './support.js';

const PASPOR = 'imigrasi-paspor-baru'; // capacity 5 per slot in content
const citizen = (n: string | number) => ({ channel: 'test', userKey: `citizen-${n}` });
const HOUR = 3_600_000;

describe('appointments', () => {
  it('gives a slot to no more citizens than its capacity, however many book at once', async () => {
    const { app } = await setupNotices();
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen(i))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0]!.reason as BookingError).code).toBe('slot_full');
    expect((await app.appointments.slots(PASPOR, '2026-11-24')).find((s) => s.slot === '10:00')!.free).toBe(0);
  });

  it('holds one active booking per citizen per service', async () => {
    const { app } = await setupNotices();
    const first = await app.appointments.book(PASPOR, '2026-11-24', '09:00', citizen('one'));
    const again = await app.appointments.book(PASPOR, '2026-11-25', '13:00', citizen('one')).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(BookingError);
    expect((again as BookingError).code).toBe('already_booked');
    expect((again as BookingError).info.existing).toBe(first.id);
    // Another service is another booking; after cancelling, the same service can be booked again.
    await app.appointments.book('polri-skck-baru', '2026-11-24', '09:00', citizen('one'));
    await app.appointments.cancel(first.id, citizen('one'));
    await app.appointments.book(PASPOR, '2026-11-25', '13:00', citizen('one'));
    expect((await app.appointments.mine('test', 'citizen-one')).map((b) => b.serviceId).sort()).toEqual([PASPOR, 'polri-skck-baru']);
  });

  it('refuses a slot that is not offered that day (Friday prayer, a closed Sunday)', async () => {
    const { app } = await setupNotices();
    await expect(app.appointments.book(PASPOR, '2026-11-27', '13:00', citizen('fri'))).rejects.toMatchObject({ code: 'not_bookable' });
    await expect(app.appointments.book(PASPOR, '2026-11-29', '09:00', citizen('sun'))).rejects.toMatchObject({ code: 'not_bookable' });
    expect((await app.appointments.slots(PASPOR, '2026-11-27')).map((s) => s.slot)).toEqual(['08:00', '09:00', '10:00', '11:00', '14:00']);
    expect((await app.appointments.days(PASPOR)).map((d) => d.day)).not.toContain('2026-11-29');
  });

  it('plans a reminder the day before (18.00) and one an hour before, with deterministic ids', async () => {
    const { app } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('jobs'));
    const outbox = app.reminders.outbox.queue('test');
    const dayBefore = await outbox.getJob(`booking-${booking.id}-daybefore`);
    const hour = await outbox.getJob(`booking-${booking.id}-hour`);
    // Monday 09.00 -> Monday 18.00 and Tuesday 09.00.
    expect(dayBefore?.delay).toBe(9 * HOUR);
    expect(hour?.delay).toBe(24 * HOUR);
    expect(await dayBefore!.getState()).toBe('delayed');
    expect(hour!.data).toMatchObject({ kind: 'booking-hour', bookingId: booking.id, version: 1 });
  });

  it('moves the reminders when the booking changes, and gives the old place back', async () => {
    const { app } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('move'));
    const moved = await app.appointments.change(booking.id, '2026-11-25', '13:00', citizen('move'));
    expect(moved).toMatchObject({ day: '2026-11-25', slot: '13:00', version: 2, code: booking.code });
    const outbox = app.reminders.outbox.queue('test');
    const dayBefore = await outbox.getJob(`booking-${booking.id}-daybefore`);
    const hour = await outbox.getJob(`booking-${booking.id}-hour`);
    // Tuesday 18.00 and Wednesday 12.00, from Monday 09.00.
    expect(dayBefore?.delay).toBe(33 * HOUR);
    expect(hour?.delay).toBe(51 * HOUR);
    expect(hour!.data).toMatchObject({ version: 2 });
    expect(await outbox.getDelayedCount()).toBe(2);
    expect((await app.appointments.slots(PASPOR, '2026-11-24')).find((s) => s.slot === '10:00')!.free).toBe(5);
    expect((await app.appointments.slots(PASPOR, '2026-11-25')).find((s) => s.slot === '13:00')!.free).toBe(4);
  });

  it('removes the reminders when the booking is cancelled', async () => {
    const { app } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('cancel'));
    await app.appointments.cancel(booking.id, citizen('cancel'));
    const outbox = app.reminders.outbox.queue('test');
    expect(await outbox.getJob(`booking-${booking.id}-daybefore`)).toBeUndefined();
    expect(await outbox.getJob(`booking-${booking.id}-hour`)).toBeUndefined();
    expect((await app.appointments.slots(PASPOR, '2026-11-24')).find((s) => s.slot === '10:00')!.free).toBe(5);
    await expect(app.appointments.cancel(booking.id, citizen('someone-else'))).rejects.toMatchObject({ code: 'unknown_booking' });
  });

  it('sends a reminder for the booking as it is, and nothing for one planned before it changed', async () => {
    const { app, runtime, sent, reports } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('stale'));
    await app.appointments.change(booking.id, '2026-11-24', '14:00', citizen('stale'));
    const outbox = app.reminders.outbox;
    // A late copy of the first plan (version 1), due now.
    const ref = { kind: 'booking-hour' as const, ticketId: '', n: 0, bookingId: booking.id };
    await outbox.withdraw('test', ref);
    await outbox.schedule('test', { ...ref, version: 1, eventAt: Date.now() });
    await runtime.start({ scheduler: false });
    await until(() => reports.some((r) => r.outcome === 'stale'));
    expect(sent).toHaveLength(0);
    // The current version goes out, spoken by the remind-booking state.
    await outbox.withdraw('test', { ...ref, kind: 'booking-daybefore' });
    await outbox.schedule('test', { ...ref, kind: 'booking-daybefore', version: 2, eventAt: Date.now() });
    await until(() => sent.length === 1);
    expect(sent[0]!.to).toBe('citizen-stale');
    expect(sent[0]!.message.text).toContain('Pengingat: besok');
    expect(sent[0]!.message.text).toContain('14.00');
    expect(sent[0]!.message.choices?.map((c) => c.id)).toEqual(['change', 'cancel', 'menu']);
  });

  it('turns the booking into a ticket at check-in, ahead of walk-ins who came after the slot', async () => {
    const { app, clock } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('booked'));
    clock.set(tuesdayAt('09:20'));
    await expect(app.appointments.checkIn(booking.id, { by: 'citizen', citizen: citizen('booked') })).rejects.toMatchObject({ code: 'check_in_window' });
    const walkIn = async (n: string, at: string) => {
      clock.set(tuesdayAt(at));
      return (await app.queue.take({ serviceId: PASPOR, citizen: { channel: 'api', userKey: n }, source: 'test' })).ticket;
    };
    const early = await walkIn('early', '09:40');
    const after1 = await walkIn('after-1', '10:05');
    await walkIn('after-2', '10:10');
    clock.set(tuesdayAt('10:15'));
    const { ticket, booking: checked } = await app.appointments.checkIn(booking.id, { by: 'citizen', citizen: citizen('booked') });
    expect(checked.status).toBe('checked-in');
    expect(ticket).toMatchObject({ serviceId: PASPOR, status: 'waiting', ahead: 1, priority: false });
    // Checking in twice gives the same ticket.
    expect((await app.appointments.checkIn(booking.id, { by: 'staff' })).ticket.id).toBe(ticket.id);
    const order = [];
    for (let i = 0; i < 3; i++) {
      const called = (await app.queue.callNext('loket-3'))!;
      order.push(called.id);
      await app.queue.act(called.id, 'done');
    }
    expect(order).toEqual([early.id, ticket.id, after1.id]);
  });

  it('erases a citizen\'s bookings on request: active ones cancelled, addresses removed', async () => {
    const { app } = await setupNotices();
    const active = await app.appointments.book(PASPOR, '2026-11-24', '10:00', citizen('forget'));
    const old = await app.appointments.book('polri-skck-baru', '2026-11-24', '10:00', citizen('forget'));
    await app.appointments.cancel(old.id, citizen('forget'));
    expect(await app.appointments.forgetCitizen('test', 'citizen-forget')).toBe(2);
    for (const id of [active.id, old.id]) expect(await app.appointments.store.get(id)).toMatchObject({ status: 'cancelled', channel: '', to: '', subject: '' });
    expect(await app.reminders.outbox.queue('test').getJob(`booking-${active.id}-hour`)).toBeUndefined();
    expect(await app.appointments.mine('test', 'citizen-forget')).toEqual([]);
  });

  it('lets staff check a booking in by its code', async () => {
    const { app, clock } = await setupNotices();
    const booking = await app.appointments.book(PASPOR, '2026-11-24', '13:00', citizen('desk'));
    clock.set(tuesdayAt('13:50'));
    const desk = await staffSession(app, 'desk1', 'counter', ['loket-3']);
    const post = (body: unknown, csrf = desk.csrf) => fetch(`${app.url}/staff/api/bookings/check-in`, { method: 'POST', headers: { cookie: desk.cookie, 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    expect((await post({ code: booking.code }, 'wrong')).status).toBe(403);
    expect((await post({ code: 'JT-NONE0' })).status).toBe(404);
    // Later than the citizen's window: staff may still check the latecomer in.
    const res = await post({ code: booking.code.toLowerCase() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { booking: { status: string }; ticket: { number: string } };
    expect(body.booking.status).toBe('checked-in');
    expect(body.ticket.number).toBe('B-001');
  });

  it('books and cancels through the chat, from the service card', async () => {
    const { app } = await setupNotices();
    const u = citizen('chat');
    const card = await app.engine.handle({ ...u, text: 'paspor baru' });
    expect(choiceIds(card)).toContain('book');
    const days = await app.engine.handle({ ...u, choice: 'book' });
    expect(allText(days)).toContain('Pilih hari');
    const firstDay = choiceIds(days).find((id) => id.startsWith('d.'))!;
    expect(firstDay).toBe('d.2026-11-24');
    const slots = await app.engine.handle({ ...u, choice: firstDay });
    expect(choiceIds(slots)).toEqual(['t.0800', 't.0900', 't.1000', 't.1100', 't.1300', 't.1400', 'other-day', 'menu']);
    const confirm = await app.engine.handle({ ...u, text: '3' });
    expect(allText(confirm)).toContain('10.00');
    const made = await app.engine.handle({ ...u, choice: 'yes' });
    const text = allText(made);
    expect(text).toContain('Janji temu Anda sudah tercatat');
    expect(text).toMatch(/JT-[A-Z0-9]{5}/);
    expect(text).toContain('KTP-el');
    const [booking] = await app.appointments.mine('test', 'citizen-chat');
    expect(booking).toMatchObject({ serviceId: PASPOR, day: '2026-11-24', slot: '10:00' });

    await app.engine.handle({ ...u, text: 'menu' });
    const mine = await app.engine.handle({ ...u, choice: 'bookings' });
    expect(allText(mine)).toContain(booking!.code);
    expect(choiceIds(mine)).toEqual(['change', 'cancel', 'menu']);
    const ask = await app.engine.handle({ ...u, choice: 'cancel' });
    expect(allText(ask)).toContain('Yakin ingin membatalkan janji temu');
    const done = await app.engine.handle({ ...u, choice: 'yes' });
    expect(allText(done)).toContain(`Janji temu ${booking!.code} sudah dibatalkan`);
    expect((await app.appointments.store.get(booking!.id))!.status).toBe('cancelled');
    expect(await app.reminders.outbox.queue('test').getJob(`booking-${booking!.id}-hour`)).toBeUndefined();
  });

  it('offers another day when the MPP is closed, and checks in from chat on the day', async () => {
    const { app, clock } = await setupNotices();
    const u = citizen('closed');
    clock.set(new Date('2026-11-22T12:00:00+07:00')); // Sunday
    await app.engine.handle({ ...u, text: 'paspor baru' });
    const take = await app.engine.handle({ ...u, choice: 'take' });
    expect(allText(take)).toContain('MPP sedang tutup');
    expect(choiceIds(take)).toEqual(['book', 'menu']);
    const days = await app.engine.handle({ ...u, choice: 'book' });
    await app.engine.handle({ ...u, choice: choiceIds(days).find((id) => id === 'd.2026-11-24')! });
    await app.engine.handle({ ...u, choice: 't.0900' });
    await app.engine.handle({ ...u, choice: 'yes' });
    clock.set(tuesdayAt('08:45'));
    await app.engine.handle({ ...u, text: 'menu' });
    const detail = await app.engine.handle({ ...u, choice: 'bookings' });
    expect(choiceIds(detail)).toEqual(['check-in', 'change', 'cancel', 'menu']);
    const checkedIn = await app.engine.handle({ ...u, choice: 'check-in' });
    expect(allText(checkedIn)).toContain('Check-in berhasil');
    expect(allText(checkedIn)).toContain('Nomor antrean: B-001');
    expect(await app.queue.activeTickets('test', 'citizen-closed')).toHaveLength(1);
  });
});
