import { describe, expect, it } from 'vitest';
import { OpeningHours } from '../../src/catalogue/hours.js';
import { localTime, zonedTime } from '../../src/catalogue/local-time.js';
import type { Mpp } from '../../src/catalogue/schema.js';

const day = { open: '08:00', close: '15:00', breaks: [{ start: '12:00', end: '13:00' }] };
const mpp = (timezone: string): Pick<Mpp, 'hours' | 'holidays' | 'timezone'> => ({
  timezone,
  hours: { monday: day, tuesday: day, wednesday: day, thursday: day, friday: { open: '08:00', close: '15:30', breaks: [{ start: '11:30', end: '13:30' }] }, saturday: { open: '08:00', close: '12:00', breaks: [] }, sunday: null },
  holidays: [{ date: '2026-12-25', name: { id: 'Hari Raya Natal', en: 'Christmas Day' } }],
});

describe('opening hours in the MPP time zone', () => {
  const wib = new OpeningHours(mpp('Asia/Jakarta'));

  it('is open on a weekday morning in WIB (UTC+7)', () => {
    // Monday 23 Nov 2026 09:00 WIB = 02:00 UTC
    const s = wib.status(new Date('2026-11-23T02:00:00Z'));
    expect(s).toMatchObject({ open: true, state: 'open', closesAt: 15 * 60 });
    expect(s.local).toEqual({ date: '2026-11-23', weekday: 'monday', minutes: 9 * 60 });
  });

  it('is on a break at lunch and reopens at the end of the break', () => {
    const s = wib.status(new Date('2026-11-23T05:30:00Z')); // 12:30 WIB
    expect(s.state).toBe('break');
    expect(s.nextOpen).toMatchObject({ date: '2026-11-23', minutes: 13 * 60 });
    expect(s.nextOpen!.at.toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });

  it('closes for Friday prayer from 11:30 to 13:30', () => {
    expect(wib.status(new Date('2026-11-27T04:45:00Z')).state).toBe('break'); // Fri 11:45 WIB
    expect(wib.status(new Date('2026-11-27T06:30:00Z')).state).toBe('open'); // Fri 13:30 WIB
  });

  it('is closed on Sunday and opens Monday 08:00', () => {
    const s = wib.status(new Date('2026-11-29T03:00:00Z')); // Sunday 10:00 WIB
    expect(s.state).toBe('closed_day');
    expect(s.nextOpen!.at.toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });

  it('is closed on a public holiday, naming it, and skips it when looking for the next opening', () => {
    const s = wib.status(new Date('2026-12-25T02:00:00Z')); // Friday 25 Dec, 09:00 WIB
    expect(s).toMatchObject({ open: false, state: 'holiday', holiday: 'Hari Raya Natal' });
    expect(s.nextOpen!.date).toBe('2026-12-26');
  });

  it('before opening points at today, after closing at the next day', () => {
    expect(wib.status(new Date('2026-11-23T00:30:00Z')).nextOpen!.date).toBe('2026-11-23'); // 07:30
    expect(wib.status(new Date('2026-11-23T09:00:00Z')).nextOpen!.date).toBe('2026-11-24'); // 16:00
    // Saturday after noon: next opening is Monday, Sunday is closed.
    expect(wib.status(new Date('2026-11-28T06:00:00Z')).nextOpen!.date).toBe('2026-11-30');
  });

  it('uses the local day in WITA (UTC+8) and WIT (UTC+9), not UTC', () => {
    // 2026-11-22T23:30Z is Sunday in UTC but Monday 07:30 WITA and 08:30 WIT.
    const at = new Date('2026-11-22T23:30:00Z');
    expect(new OpeningHours(mpp('Asia/Makassar')).status(at)).toMatchObject({ state: 'before_open', local: { date: '2026-11-23', weekday: 'monday' } });
    expect(new OpeningHours(mpp('Asia/Jayapura')).status(at)).toMatchObject({ state: 'open', local: { date: '2026-11-23', weekday: 'monday', minutes: 8 * 60 + 30 } });
  });

  it('is always open when OPENING_HOURS=always', () => {
    expect(new OpeningHours(mpp('Asia/Jakarta'), 'always').status(new Date('2026-11-29T03:00:00Z')).open).toBe(true);
  });

  it('converts wall-clock times back to instants in any zone', () => {
    expect(zonedTime('2026-11-23', 8 * 60, 'Asia/Jayapura').toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(localTime(zonedTime('2026-03-08', 9 * 60, 'America/New_York'), 'America/New_York').minutes).toBe(9 * 60);
  });
});
