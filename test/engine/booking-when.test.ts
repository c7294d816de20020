import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { nearestSlot } from '../../src/engine/actions/booking-when.js';
import { allText } from '../helpers.js';
import { citizen, intentEngine, pushedChoices, pushedText } from './intent-engine.js';

// MONDAY_9AM: Monday 23 November 2026, 09.00 WIB.
const PASPOR = 'imigrasi-paspor-baru'; // slots 08, 09, 10, 11, 13, 14; capacity 5; 14 days ahead
const SAMSAT = 'samsat-balik-nama'; // slots 08, 09, 10, 13; capacity 4
const NPWP = 'djp-npwp'; // takes no bookings

const when = (service: string, w: { date?: string; time?: string }) => ({ service, when: w });

describe('a day and time typed with a service (state booking-when)', () => {
  it('takes a ticket now for a time later today, and says the reminders warn when the turn is near', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { time: '14:00' }));
    expect(pushedText(out)).toContain('Antrean diambil sekarang untuk hari ini, bukan untuk pukul 14.00');
    expect(pushedText(out)).toContain('Pengingat akan memberi tahu Anda');
    expect(pushedChoices(out)).toContain('confirm');
  });

  it('goes straight to the ticket for today with no time, or a time already past', async () => {
    const { engine } = await intentEngine();
    for (const w of [{ date: '2026-11-23' }, { time: '08:00' }]) {
      const u = await citizen(engine);
      const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, w));
      expect(pushedText(out)).not.toContain('Pengingat');
      expect(pushedText(out)).toMatch(/tersisa \d+ dari \d+/);
      expect(pushedChoices(out)).toEqual(['confirm', 'confirm-priority', 'book', 'menu'].filter((c) => pushedChoices(out).includes(c)));
    }
  });

  it('preselects tomorrow at the time asked and books it on "ya"', async () => {
    const { engine, appointments, catalogue } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { date: '2026-11-24', time: '10:00' }));
    expect(pushedText(out)).toBe(`Buat janji temu untuk ${catalogue.services.get(PASPOR)!.name.id} pada Selasa, 24 November pukul 10.00?`);
    const booked = await engine.handle({ ...u, text: 'ya' });
    expect(allText(booked)).toContain('Janji temu Anda sudah tercatat');
    expect((await appointments.mine(u.channel, u.userKey))[0]).toMatchObject({ serviceId: PASPOR, day: '2026-11-24', slot: '10:00' });
  });

  it('picks the nearest slot at or after the time asked, else the last before it, and says so', async () => {
    const { engine } = await intentEngine();
    const noon = await citizen(engine);
    const atNoon = await engine.push(noon.channel, noon.userKey, 'booking_when', when(PASPOR, { date: '2026-11-24', time: '12:00' }));
    expect(pushedText(atNoon)).toContain('Pukul 12.00 tidak tersedia; saya pilihkan jam terdekat, pukul 13.00.');
    expect(pushedText(atNoon)).toContain('pukul 13.00?');
    const late = await citizen(engine);
    const atFour = await engine.push(late.channel, late.userKey, 'booking_when', when(PASPOR, { date: '2026-11-24', time: '16:00' }));
    expect(pushedText(atFour)).toContain('pukul 14.00?');
  });

  it('skips a full slot for the next free one', async () => {
    const { engine, appointments } = await intentEngine();
    for (let i = 0; i < 4; i++) await appointments.book(SAMSAT, '2026-11-24', '09:00', { channel: 'test', userKey: `full-${i}` });
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(SAMSAT, { date: '2026-11-24', time: '09:00' }));
    expect(pushedText(out)).toContain('pukul 10.00?');
  });

  it('offers the slots of the day when only the day is given', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { date: '2026-11-25' }));
    expect(pushedText(out)).toContain('Rabu, 25 November. Pilih jam kedatangan');
    expect(pushedChoices(out)).toContain('t.0800');
  });

  it('says why a closed Sunday cannot be booked and offers the days that can', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { date: '2026-11-29', time: '09:00' }));
    expect(out[0]!.text).toBe('Pada Minggu, 29 November MPP tutup.');
    expect(pushedChoices(out)).toContain('d.2026-11-24');
    expect(pushedChoices(out)).not.toContain('d.2026-11-29');
  });

  it('names the holiday, in the citizen language', async () => {
    const { engine } = await intentEngine({ clock: new ManualClock(new Date('2026-12-21T02:00:00Z')) });
    const id = await citizen(engine);
    const out = await engine.push(id.channel, id.userKey, 'booking_when', when(PASPOR, { date: '2026-12-25', time: '09:00' }));
    expect(out[0]!.text).toBe('Pada Jumat, 25 Desember MPP tutup (Hari Raya Natal).');
    const en = await citizen(engine, 'en');
    const outEn = await engine.push(en.channel, en.userKey, 'booking_when', when(PASPOR, { date: '2026-12-25', time: '09:00' }));
    expect(outEn[0]!.text).toBe('The MPP is closed on Friday 25 December (Christmas Day).');
    expect(pushedText(outEn)).toContain('Choose the day you will come');
  });

  it('says a day beyond the booking window is too far', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { date: '2026-12-10', time: '09:00' }));
    expect(out[0]!.text).toBe('Kamis, 10 Desember terlalu jauh: janji temu hanya bisa dibuat paling lama 14 hari ke depan.');
  });

  it('says a fully booked day is full', async () => {
    const { engine, appointments } = await intentEngine();
    for (const slot of ['08:00', '09:00', '10:00', '13:00']) for (let i = 0; i < 4; i++) await appointments.book(SAMSAT, '2026-11-25', slot, { channel: 'test', userKey: `f-${slot}-${i}` });
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(SAMSAT, { date: '2026-11-25' }));
    expect(out[0]!.text).toBe('Janji temu pada Rabu, 25 November sudah penuh.');
    expect(pushedChoices(out)).toContain('d.2026-11-24');
  });

  it('says a service without bookings takes tickets on the day only, and offers today', async () => {
    const { engine, catalogue } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(NPWP, { date: '2026-11-25', time: '09:00' }));
    expect(pushedText(out)).toContain(`Layanan ${catalogue.services.get(NPWP)!.name.id} tidak menerima janji temu, jadi antrean untuk Rabu, 25 November belum bisa diambil sekarang.`);
    expect(pushedChoices(out)).toEqual(['take', 'menu']);
    const en = await citizen(engine, 'en');
    const outEn = await engine.push(en.channel, en.userKey, 'booking_when', when(NPWP, { date: '2026-11-25' }));
    expect(pushedText(outEn)).toContain('takes no appointments, so a ticket for Wednesday 25 November cannot be taken now');
  });

  it('shows the booking already held for the service instead of a second one', async () => {
    const { engine, appointments } = await intentEngine();
    const u = await citizen(engine);
    await appointments.book(PASPOR, '2026-11-24', '08:00', u);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', when(PASPOR, { date: '2026-11-26', time: '09:00' }));
    expect(pushedText(out)).toContain('Anda sudah punya janji temu untuk');
    expect(pushedChoices(out)).toContain('change');
  });

  it('asks for a service when none is in context', async () => {
    const { engine } = await intentEngine();
    const u = await citizen(engine);
    const out = await engine.push(u.channel, u.userKey, 'booking_when', { when: { date: '2026-11-24' } });
    expect(pushedChoices(out)).toContain('browse');
  });
});

describe('nearestSlot', () => {
  const slot = (hhmm: string) => ({ slot: hhmm, minutes: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), startsAt: new Date(0), free: 1 });
  it('takes the first at or after the time, else the last before', () => {
    const free = [slot('13:00'), slot('08:00'), slot('10:00')];
    expect(nearestSlot(free, 9 * 60)?.slot).toBe('10:00');
    expect(nearestSlot(free, 10 * 60)?.slot).toBe('10:00');
    expect(nearestSlot(free, 15 * 60)?.slot).toBe('13:00');
    expect(nearestSlot([], 9 * 60)).toBeUndefined();
  });
});
