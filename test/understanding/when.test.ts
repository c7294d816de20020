import { describe, expect, it } from 'vitest';
import { WhenParser, type When } from '../../src/understanding/when.js';
import { understander } from './fixture.js';
import { loadUnderstandingData } from '../../src/understanding/load.js';

/** Monday 23 Nov 2026 09:00 WIB (02:00 UTC). */
const NOW = new Date('2026-11-23T02:00:00Z');

async function parser(): Promise<WhenParser> {
  await understander();
  return new WhenParser((await loadUnderstandingData('content')).intents.dates);
}

const cases: Array<[string, When | undefined]> = [
  ['besok', { date: '2026-11-24', weekday: 'tuesday' }],
  ['bsk aja', { date: '2026-11-24', weekday: 'tuesday' }],
  ['lusa', { date: '2026-11-25', weekday: 'wednesday' }],
  ['hari ini', { date: '2026-11-23', weekday: 'monday' }],
  ['rabu', { date: '2026-11-25', weekday: 'wednesday' }],
  ['hari rabu bisa?', { date: '2026-11-25', weekday: 'wednesday' }],
  ['senin', { date: '2026-11-23', weekday: 'monday' }],
  ['minggu', { date: '2026-11-29', weekday: 'sunday' }],
  ['rabu depan', { date: '2026-12-02', weekday: 'wednesday' }],
  ['senin depan', { date: '2026-11-30', weekday: 'monday' }],
  ['minggu depan hari kamis', { date: '2026-12-03', weekday: 'thursday' }],
  ['jumat jam 8', { date: '2026-11-27', weekday: 'friday', time: '08:00' }],
  ["jum'at pagi", { date: '2026-11-27', weekday: 'friday' }],
  ['tgl 5', { date: '2026-12-05', weekday: 'saturday' }],
  ['tanggal 30', { date: '2026-11-30', weekday: 'monday' }],
  ['tgl 25 jam 10', { date: '2026-11-25', weekday: 'wednesday', time: '10:00' }],
  ['5 desember', { date: '2026-12-05', weekday: 'saturday' }],
  ['2 januari', { date: '2027-01-02', weekday: 'saturday' }],
  ['10 nov', { date: '2027-11-10', weekday: 'wednesday' }],
  ['5/12', { date: '2026-12-05', weekday: 'saturday' }],
  ['jam 9', { time: '09:00' }],
  ['jam 9.30', { time: '09:30' }],
  ['pukul 09.30', { time: '09:30' }],
  ['pkl 13:15', { time: '13:15' }],
  ['jam 2 siang', { time: '14:00' }],
  ['jam 3 sore', { time: '15:00' }],
  ['jam 10 pagi', { time: '10:00' }],
  ['jam setengah 10', { time: '09:30' }],
  ['besok jam 9', { date: '2026-11-24', weekday: 'tuesday', time: '09:00' }],
  ['besok jam 1 siang', { date: '2026-11-24', weekday: 'tuesday', time: '13:00' }],
  ['besok 9 pagi', { date: '2026-11-24', weekday: 'tuesday', time: '09:00' }],
  ['besok lusa', { date: '2026-11-25', weekday: 'wednesday' }],
  ['tomorrow', { date: '2026-11-24', weekday: 'tuesday' }],
  ['tomorrow at 10', { date: '2026-11-24', weekday: 'tuesday', time: '10:00' }],
  ['tomorrow 2pm', { date: '2026-11-24', weekday: 'tuesday', time: '14:00' }],
  ['day after tomorrow', { date: '2026-11-25', weekday: 'wednesday' }],
  ['next monday', { date: '2026-11-30', weekday: 'monday' }],
  ['next friday at 8:30', { date: '2026-12-04', weekday: 'friday', time: '08:30' }],
  ['on wednesday', { date: '2026-11-25', weekday: 'wednesday' }],
  ['on the 5th at 9am', { date: '2026-12-05', weekday: 'saturday', time: '09:00' }],
  ['december 5', { date: '2026-12-05', weekday: 'saturday' }],
  ['the 28th', { date: '2026-11-28', weekday: 'saturday' }],
  ['at 11 am', { time: '11:00' }],
  ['10 menit lagi', { inMinutes: 10 }],
  ['15 mnt lagi sampai', { inMinutes: 15 }],
  ['setengah jam lagi', { inMinutes: 30 }],
  ['2 jam lagi', { inMinutes: 120 }],
  ['in 20 minutes', { inMinutes: 20 }],
  ['in 2 hours', { inMinutes: 120 }],
  ['half an hour', { inMinutes: 30 }],
  ['syarat ktp', undefined],
  ['paspor 10 tahun', undefined],
  ['naik daya 1300 ke 2200', undefined],
  ['faskes 1', undefined],
  ['', undefined],
];

describe('day and time in words', () => {
  it.each(cases)('"%s"', async (text, expected) => {
    expect((await parser()).parse(text, NOW)).toEqual(expected);
  });

  it('reads the day in the given zone: 23:30 WIB Monday is already Tuesday in Jayapura', async () => {
    const lateMonday = new Date('2026-11-23T16:30:00Z');
    expect((await parser()).parse('besok', lateMonday, 'Asia/Jakarta')?.date).toBe('2026-11-24');
    expect((await parser()).parse('besok', lateMonday, 'Asia/Jayapura')?.date).toBe('2026-11-25');
  });

  it('a day of the month already past is next month, across the year end', async () => {
    const dec30 = new Date('2026-12-30T02:00:00Z');
    expect((await parser()).parse('tgl 2', dec30)?.date).toBe('2027-01-02');
    expect((await parser()).parse('tgl 31', dec30)?.date).toBe('2026-12-31');
  });

  it('a 31st in a shorter month is the month\'s last day', async () => {
    const feb1 = new Date('2027-02-01T02:00:00Z');
    expect((await parser()).parse('tgl 31', feb1)?.date).toBe('2027-02-28');
  });

  it('a day and time for a ticket is a when intent', async () => {
    const u = (await understander()).understand('besok jam 9 bisa?', { now: NOW });
    expect(u.intents[0]).toEqual({ kind: 'when', when: { date: '2026-11-24', weekday: 'tuesday', time: '09:00' } });
  });
});
