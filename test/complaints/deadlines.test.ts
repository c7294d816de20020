import { describe, expect, it } from 'vitest';
import { addWorkingDays, complaintTargets, isWorkingDay, overdue, workingCalendar } from '../../src/complaints/deadlines.js';
import { demoCatalogue } from '../helpers.js';
import { calendar, slow, testComplaints, wib } from './support.js';

const at = (date: string, hhmm = '09:00') => wib(date, hhmm).getTime();

describe('working days', () => {
  it('skips weekends and the given holidays', () => {
    expect(isWorkingDay('2026-11-23', calendar)).toBe(true); // Monday
    expect(isWorkingDay('2026-11-28', calendar)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-29', calendar)).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-25', calendar)).toBe(false); // Christmas, a Friday
    expect(addWorkingDays('2026-11-23', 3, calendar)).toBe('2026-11-26'); // Mon → Thu
    expect(addWorkingDays('2026-11-26', 3, calendar)).toBe('2026-12-01'); // Thu → Tue, over the weekend
    expect(addWorkingDays('2026-11-28', 1, calendar)).toBe('2026-11-30'); // filed on Saturday
    // Tue 22 Dec + 3: Wed 23, (Thu 24 cuti bersama, Fri 25 Christmas, weekend) Mon 28, Tue 29.
    expect(addWorkingDays('2026-12-22', 3, calendar)).toBe('2026-12-29');
    // New Year's Day 2027 is a Friday holiday.
    expect(addWorkingDays('2026-12-30', 2, calendar)).toBe('2027-01-04');
    expect(addWorkingDays('2026-11-23', 0, calendar)).toBe('2026-11-23');
  });

  it('takes other working weeks (a six-day MPP) when told', () => {
    const sixDays = { ...calendar, weekdays: [1, 2, 3, 4, 5, 6] };
    expect(addWorkingDays('2026-11-26', 3, sixDays)).toBe('2026-11-30');
  });
});

describe('LAPOR! targets and overdue complaints', () => {
  it('sets 3 working days to verify and 5 more to follow up, from the local filing day', () => {
    // Filed Friday 27 Nov at 23:30 WIB (still Friday locally, Friday 16:30 UTC).
    const filed = { createdAt: at('2026-11-27', '23:30') };
    expect(complaintTargets(filed, calendar)).toEqual({ verifyBy: '2026-12-02', followUpBy: '2026-12-09' });
    // Verified early (Monday 30 Nov): follow-up counts from then.
    expect(complaintTargets({ ...filed, firstResponseAt: at('2026-11-30') }, calendar)).toEqual({ verifyBy: '2026-12-02', followUpBy: '2026-12-07' });
    // Over Christmas: filed Tue 22 Dec.
    expect(complaintTargets({ createdAt: at('2026-12-22') }, calendar)).toEqual({ verifyBy: '2026-12-29', followUpBy: '2027-01-06' });
  });

  it('is overdue for verification only after the whole third working day', () => {
    const c = { createdAt: at('2026-11-23'), status: 'baru' as const };
    expect(overdue(c, wib('2026-11-26', '23:59'), calendar)).toBeUndefined();
    expect(overdue(c, wib('2026-11-27', '00:00'), calendar)).toBe('verify');
    expect(overdue({ ...c, status: 'diproses', firstResponseAt: at('2026-11-27') }, wib('2026-11-27', '10:00'), calendar)).toBeUndefined();
  });

  it('is overdue for follow-up when nothing happened within 5 working days of verification, not when done or noted', () => {
    const verified = { createdAt: at('2026-11-23'), firstResponseAt: at('2026-11-24'), status: 'diproses' as const };
    // 24 Nov + 5 working days = Tue 1 Dec.
    expect(overdue(verified, wib('2026-12-01', '15:00'), calendar)).toBeUndefined();
    expect(overdue(verified, wib('2026-12-02'), calendar)).toBe('follow_up');
    expect(overdue({ ...verified, status: 'diteruskan' }, wib('2026-12-02'), calendar)).toBe('follow_up');
    expect(overdue({ ...verified, followUpAt: at('2026-11-30') }, wib('2026-12-02'), calendar)).toBeUndefined();
    expect(overdue({ ...verified, status: 'selesai' }, wib('2027-06-01'), calendar)).toBeUndefined();
  });

  it('lists open complaints oldest first with their targets and what is overdue', async () => {
    const { store, clock } = testComplaints();
    const old = await store.create(slow, { locale: 'id' });
    clock.set(wib('2026-11-25'));
    const noted = await store.create(slow, { locale: 'id' });
    const fresh = await store.create(slow, { locale: 'id' });
    const done = await store.create(slow, { locale: 'id' });
    await store.transition(noted.reference, 'diproses', 'ani');
    await store.note(noted.reference, 'ani');
    await store.transition(done.reference, 'diproses', 'ani');
    await store.transition(done.reference, 'selesai', 'ani');
    const list = await store.open(wib('2026-11-30'));
    expect(list.map((c) => [c.reference, c.overdue])).toEqual([
      [old.reference, 'verify'],
      [noted.reference, undefined],
      [fresh.reference, undefined],
    ]);
    expect(list[0]!.targets).toEqual({ verifyBy: '2026-11-26', followUpBy: '2026-12-03' });
    expect(list[1]!.followUpAt).toBeDefined();
    const later = await store.open(wib('2026-12-03'));
    expect(later.map((c) => c.overdue)).toEqual(['verify', undefined, 'verify']);
  });
});

describe('the working calendar of the MPP', () => {
  it('takes the zone and holidays from content, and Monday–Friday even when the MPP opens on Saturday', async () => {
    const { mpp } = await demoCatalogue();
    const fromContent = workingCalendar(mpp);
    expect(fromContent.timezone).toBe('Asia/Jakarta');
    expect(fromContent.holidays.has('2026-12-25')).toBe(true);
    expect(mpp.hours.saturday).not.toBeNull();
    expect(isWorkingDay('2026-11-28', fromContent)).toBe(false);
    expect(addWorkingDays('2026-12-22', 3, fromContent)).toBe('2026-12-29');
  });
});
