import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { csvCell } from '../../src/http/admin/csv.js';
import { SurveyStore, cleanComment } from '../../src/survey/store.js';
import { MONDAY_9AM, leafKeys, startTestApp, staffSession, testRedis, type TestApp } from '../helpers.js';

const SKCK = 'polri-skck-baru';
const KIA = 'dukcapil-kia';
const DAY = '2026-11-23';
let app: TestApp;
let clock: ManualClock;
let operator: { cookie: string; csrf: string };

beforeEach(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({}, clock);
  operator = await staffSession(app, 'sari', 'operator');
});
afterEach(async () => {
  await app.close();
});

const take = (serviceId: string, userKey: string) => app.queue.take({ serviceId, citizen: { channel: 'test', userKey }, source: 'test' }).then((r) => r.ticket);

/**
 * SKCK: three tickets at 09:00; the first called at 09:05 and done at 09:15 (wait 5 min, service
 * 10 min) with a full survey, the second a no-show, the third cancelled. KIA: one ticket waiting.
 */
async function seedDay() {
  const first = await take(SKCK, 'warga-1');
  const second = await take(SKCK, 'warga-2');
  const third = await take(SKCK, 'warga-3');
  await take(KIA, 'warga-4');
  clock.advance(5 * 60_000);
  expect((await app.queue.callNext('loket-4'))?.id).toBe(first.id);
  await app.queue.act(first.id, 'start');
  clock.advance(10 * 60_000);
  await app.queue.act(first.id, 'done');
  expect((await app.queue.callNext('loket-4'))?.id).toBe(second.id);
  await app.queue.act(second.id, 'no-show');
  await app.queue.act(third.id, 'cancel');
  const store = new SurveyStore(testRedis(), app.queue.ticketSlot);
  // Σ = 35 over 9 elements → 3.8889 × 25 = 97.22 → A.
  expect(await store.record(first, [4, 4, 4, 4, 4, 4, 4, 4, 3])).toBe('recorded');
}

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie: operator.cookie, ...headers } });

describe('operator report', () => {
  it('sends a visitor to the login page and keeps counter staff out', async () => {
    for (const path of ['/admin', '/admin/report', '/admin/report.csv?day=2026-11-23']) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const clerk = await staffSession(app, 'budi', 'counter', ['loket-4']);
    expect((await fetch(`${app.url}/admin/report`, { headers: { cookie: clerk.cookie } })).status).toBe(403);
  });

  it("shows today's figures per service, the totals, the IKM with its grade and the charts", async () => {
    await seedDay();
    const res = await get('/admin/report');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/\{\{|\}\}/);
    expect(html).toContain('value="2026-11-23"');
    expect(html).toContain('Senin, 23 November 2026');
    const skckRow = /<tr><td>SKCK baru<\/td>.*?<\/tr>/.exec(html)?.[0] ?? '';
    // issued 3, served 1, no-show 1, cancelled 1, wait 5,0 min, service 10,0 min, 1 response, IKM 97,22 A.
    expect([...skckRow.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).slice(2)).toEqual(['3', '1', '1', '1', '5,0 mnt', '10,0 mnt', '1', '97,22']);
    expect(skckRow).toContain('<span class="grade grade-A">A</span> Sangat baik');
    const kiaRow = /<tr><td>Kartu Identitas Anak \(KIA\)<\/td>.*?<\/tr>/.exec(html)?.[0] ?? '';
    expect([...kiaRow.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]).slice(2, 8)).toEqual(['1', '0', '0', '0', '–', '–']);
    expect(/<tfoot>.*<\/tfoot>/s.exec(html)?.[0]).toContain('<td>4</td>');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toContain('U1 Persyaratan');
    // Numbers and names only: no ticket numbers, no citizen keys.
    expect(html).not.toContain('warga-');
    expect(html).not.toMatch(/\b[A-Z]-?\d{3}\b/);
  });

  it('shows a chosen day, in English when asked, and says when a day has nothing', async () => {
    await seedDay();
    const en = await (await get('/admin/report?day=2026-11-23&lang=en')).text();
    expect(en).toContain('Police clearance certificate (SKCK), new');
    expect(en).toContain('97.22');
    expect(en).toContain('Very good');
    const empty = await get('/admin/report?day=2026-11-22');
    expect(empty.status).toBe(200);
    const html = await empty.text();
    expect(html).toContain('Belum ada data antrean atau survei');
    expect(html).toContain('href="/admin/report?day=2026-11-21"');
    expect(html).toContain('href="/admin/report?day=2026-11-23"');
  });

  it('refuses a malformed day and shows today instead', async () => {
    for (const day of ['2026-02-30', '23-11-2026', '2026-11-23%27%3E', '1999-12-31']) {
      const res = await get(`/admin/report?day=${day}`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('Tanggal tidak valid');
      expect(html).toContain('value="2026-11-23"');
    }
    expect((await get('/admin/report.csv?day=2026-13-01')).status).toBe(400);
  });

  it('exports the day as CSV: a header and one line per service, quoted where needed', async () => {
    await seedDay();
    const res = await get(`/admin/report.csv?day=${DAY}`, { 'accept-language': 'en' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?mpp-report-2026-11-23\.csv"?$/);
    const text = (await res.text()).replace(/^\ufeff/, '');
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('date,service_id,service,agency,issued,served,no_show,cancelled,avg_wait_min,avg_service_min,skm_responses,ikm,grade,u1_persyaratan,u2_prosedur,u3_waktu,u4_biaya,u5_produk,u6_kompetensi,u7_perilaku,u8_pengaduan,u9_sarana');
    const skck = lines.find((l) => l.includes(SKCK))!;
    expect(skck).toMatch(/^2026-11-23,polri-skck-baru,"Police clearance certificate \(SKCK\), new",[^,]*,3,1,1,1,5,10,1,97.22,A,4,4,4,4,4,4,4,4,3$/);
    expect(lines.find((l) => l.includes(KIA))).toMatch(/,1,0,0,0,,,0,,,,,,,,,,,$/);
  });

  it('guards CSV cells against formulas and breaks', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+62 811')).toBe("'+62 811");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(undefined)).toBe('');
  });

  it('lists the admin pages on /admin', async () => {
    const html = await (await get('/admin')).text();
    expect(html).toContain('href="/admin/report"');
    expect(html).toContain('href="/admin/jobs"');
    expect(html).not.toContain('href="/admin/whatsapp"');
  });

  it('keeps the report and admin locales in step', () => {
    for (const file of ['report', 'admin', 'survey']) expect(leafKeys(`locales/en/${file}.json`)).toEqual(leafKeys(`locales/id/${file}.json`));
  });

  it('masks contact details in survey comments and cuts them to 500 characters', () => {
    expect(cleanComment('hubungi 0812-3456-7890 atau a.b@mail.co.id, NIK 3174012345678901')).toBe('hubungi [phone] atau [email], NIK [nik]');
    expect(cleanComment('loket 3 lama, 2 jam')).toBe('loket 3 lama, 2 jam');
    expect(cleanComment('x'.repeat(900))).toHaveLength(500);
  });
});
