import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { csvCell } from '../../src/http/admin/csv.js';
import { SurveyStore, cleanComment } from '../../src/survey/store.js';
import { MONDAY_9AM, leafKeys, startTestApp, staffSession, testRedis, type TestApp } from '../helpers.js';
import { parseCsv } from '../reports/parse-csv.js';

const SKCK = 'polri-skck-baru';
const KIA = 'dukcapil-kia';
const DAY = '2026-11-23';
let app: TestApp;
let clock: ManualClock;
let operator: { cookie: string; csrf: string };
let survey: SurveyStore;

beforeEach(async () => {
  clock = new ManualClock(MONDAY_9AM);
  app = await startTestApp({}, clock);
  operator = await staffSession(app, 'sari', 'operator');
  survey = new SurveyStore(testRedis(), app.queue.ticketSlot);
});
afterEach(async () => {
  await app.close();
});

const take = (serviceId: string, userKey: string, channel = 'test', source = 'chat') => app.queue.take({ serviceId, citizen: { channel, userKey }, source }).then((r) => r.ticket);
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie: operator.cookie, ...headers } });
const cellsOf = (row: string) => [...row.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]);
const rowOf = (html: string, first: string) => new RegExp(`<tr><th scope="row">${first.replace(/[()]/g, '\\$&')}</th>.*?</tr>`).exec(html)?.[0] ?? '';

/**
 * SKCK at loket-4 on Monday 23 Nov: three tickets at 09:00; the first called at 09:05 by "budi"
 * and done at 09:15 (wait 5 min, service 10 min) with a full survey, the second a no-show, the
 * third cancelled. KIA: one ticket waiting.
 */
async function seedDay() {
  const first = await take(SKCK, 'warga-1');
  const second = await take(SKCK, 'warga-2', 'kiosk', 'kiosk');
  const third = await take(SKCK, 'warga-3', 'counter', 'counter');
  await take(KIA, 'warga-4');
  clock.advance(5 * 60_000);
  expect((await app.queue.callNext('loket-4', 'budi'))?.id).toBe(first.id);
  await app.queue.act(first.id, 'start');
  clock.advance(10 * 60_000);
  await app.queue.act(first.id, 'done');
  expect((await app.queue.callNext('loket-4'))?.id).toBe(second.id);
  await app.queue.act(second.id, 'no-show');
  await app.queue.act(third.id, 'cancel');
  // Σ = 35 over 9 elements → 3.8889 × 25 = 97.22 → A.
  expect(await survey.record(first, [4, 4, 4, 4, 4, 4, 4, 4, 3])).toBe('recorded');
  return first;
}

/** Serves one new SKCK ticket after `waitMin` minutes at loket-4 by `officer`. */
async function serveAfter(userKey: string, waitMin: number, officer?: string) {
  const t = await take(SKCK, userKey);
  clock.advance(waitMin * 60_000);
  expect((await app.queue.callNext('loket-4', officer))?.id).toBe(t.id);
  clock.advance(60_000);
  await app.queue.act(t.id, 'done');
  return t;
}

describe("the MPP head's report", () => {
  it('sends a visitor to the login page and keeps counter staff out of every report page', async () => {
    const clerk = await staffSession(app, 'budi', 'counter', ['loket-4']);
    for (const path of ['/admin', '/admin/report', '/admin/report?range=week', '/admin/report.csv?day=2026-11-23', '/admin/report-excel.csv', '/admin/report/comments']) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect((await fetch(`${app.url}${path}`, { headers: { cookie: clerk.cookie } })).status).toBe(403);
    }
  });

  it("shows a day's figures: per service, agency, counter, officer and channel, waits, the IKM and the charts", async () => {
    await seedDay();
    const res = await get('/admin/report');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/\{\{|\}\}/);
    expect(html).toContain('Senin, 23 November 2026');
    // issued 3, served 1, no-show 1, cancelled 1, wait 5,0 min, service 10,0 min, no transfers, 1 response, IKM 97,22 A.
    expect(cellsOf(rowOf(html, 'SKCK baru')).slice(2)).toEqual(['3', '1', '1', '1', '5,0 mnt', '10,0 mnt', '0', '0', '1', '97,22 (A)']);
    expect(cellsOf(rowOf(html, 'Kartu Identitas Anak (KIA)')).slice(2, 8)).toEqual(['1', '0', '0', '0', '–', '–']);
    expect(cellsOf(rowOf(html, 'Loket 4 Polres (SKCK)'))).toEqual(['Loket 4 Polres (SKCK)', '1', '1']);
    expect(cellsOf(rowOf(html, 'budi'))).toEqual(['budi', '1']);
    expect(cellsOf(rowOf(html, 'Kios'))).toEqual(['Kios', '1', '25,0%']);
    expect(cellsOf(rowOf(html, 'Langsung di loket'))).toEqual(['Langsung di loket', '1', '25,0%']);
    // "test" channel with source "chat" counts as chat.
    expect(cellsOf(rowOf(html, 'Chat (web, Telegram, WhatsApp)'))).toEqual(['Chat (web, Telegram, WhatsApp)', '2', '50,0%']);
    // No-show share: 1 of the 2 called.
    expect(html).toMatch(/Tidak hadir \(dari yang dipanggil\)<\/dt><dd>50,0%/);
    expect(html).toMatch(/Tunggu median<\/dt><dd>5 mnt/);
    // One response is below the minimum sample for 1 citizen served (Krejcie & Morgan: 1).
    expect(html).not.toContain('di bawah sampel minimal');
    expect(html).toContain('Jam tersibuk: 09.00–10.00 (4 antrean diambil).');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(html).toContain('U1 Persyaratan');
    expect(html).not.toContain('warga-');
    expect(html).not.toMatch(/\b[A-Z]-\d{3}\b/);
  });

  it('pools the IKM over every answer of the period, not the average of daily indexes, and warns under the minimum sample', async () => {
    // Monday: ten served, each answering 4 everywhere (daily IKM 100). Tuesday: one answering 1 everywhere (daily IKM 25).
    for (let i = 0; i < 10; i++) {
      const t = await serveAfter(`m-${i}`, 1, 'budi');
      expect(await survey.record(t, [4, 4, 4, 4, 4, 4, 4, 4, 4])).toBe('recorded');
    }
    clock.set(new Date('2026-11-24T02:00:00Z'));
    const t = await serveAfter('t-1', 1, 'budi');
    expect(await survey.record(t, [1, 1, 1, 1, 1, 1, 1, 1, 1])).toBe('recorded');
    const html = await (await get('/admin/report?range=week&day=2026-11-25')).text();
    // Pooled: (10·4 + 1)/11 = 3.7273 → ×25 = 93.18 (A); the mean of daily indexes would be 62.5.
    expect(html).toMatch(/IKM<\/dt><dd>93,18 \(A\)/);
    expect(html).not.toContain('62,50');
    // 11 served: Krejcie & Morgan asks 11 of 11; 11 answered, so no warning.
    expect(html).not.toContain('di bawah sampel minimal');
    expect(html).toContain('Minggu 23 November 2026 – 29 November 2026');

    const strict = await startTestApp({ REPORT_IKM_MIN_SAMPLE: '50' }, clock);
    try {
      const admin = await staffSession(strict, 'ani', 'admin');
      const t2 = await strict.queue.take({ serviceId: SKCK, citizen: { channel: 'test', userKey: 'x' }, source: 'chat' });
      await strict.queue.callNext('loket-4');
      await strict.queue.act(t2.ticket.id, 'done');
      await new SurveyStore(testRedis(), strict.queue.ticketSlot).record(t2.ticket, [3, 3, 3, 3, 3, 3, 3, 3, 3]);
      const page = await (await fetch(`${strict.url}/admin/report`, { headers: { cookie: admin.cookie } })).text();
      expect(page).toContain('Jumlah responden SKM (1) di bawah sampel minimal (50)');
    } finally {
      await strict.close();
    }
  });

  it('gives the median, p90 and longest wait and the share at or over the target', async () => {
    const waits = [2, 4, 6, 8, 10, 12, 14, 16, 35, 50];
    for (const [i, w] of waits.entries()) await serveAfter(`w-${i}`, w, i % 2 ? 'budi' : 'sari');
    const html = await (await get('/admin/report')).text();
    expect(html).toMatch(/Tunggu median<\/dt><dd>10 mnt/);
    expect(html).toMatch(/Tunggu p90 \(9 dari 10 warga\)<\/dt><dd>35 mnt/);
    expect(html).toMatch(/Tunggu terlama<\/dt><dd>50,0 mnt/);
    expect(html).toMatch(/Menunggu ≥ 30 menit<\/dt><dd>20,0%<\/dd><dd class="card-note">2 warga/);
    expect(cellsOf(rowOf(html, 'budi'))).toEqual(['budi', '5']);
    expect(cellsOf(rowOf(html, 'sari'))).toEqual(['sari', '5']);
    const custom = await startTestApp({ MPP_WAIT_TARGET_MINUTES: '15' }, clock);
    try {
      const admin = await staffSession(custom, 'ani', 'admin');
      expect(await (await fetch(`${custom.url}/admin/report`, { headers: { cookie: admin.cookie } })).text()).toContain('Menunggu ≥ 15 menit');
    } finally {
      await custom.close();
    }
    for (const bad of ['0', '-5', '2.5', 'tiga puluh', '601']) expect(() => loadConfig({ MPP_WAIT_TARGET_MINUTES: bad })).toThrow(/MPP_WAIT_TARGET_MINUTES/);
  });

  it('reconciles transfers: every ticket sent out is received by its target service', async () => {
    const a = await take(SKCK, 'x-1');
    await take(SKCK, 'x-2');
    await app.queue.transfer(a.id, KIA);
    const html = await (await get('/admin/report')).text();
    expect(html).toContain('Cocok: 1 antrean dipindahkan keluar = 1 diterima layanan tujuan.');
    expect(cellsOf(rowOf(html, 'SKCK baru')).slice(8, 10)).toEqual(['0', '1']);
    expect(cellsOf(rowOf(html, 'Kartu Identitas Anak (KIA)')).slice(8, 10)).toEqual(['1', '0']);
  });

  it('lists the numbers called before their turn with the officer and reason the console asked for, escaped, over the whole range', async () => {
    expect(await (await get('/admin/report')).text()).toContain('Tidak ada nomor yang dipanggil sebelum gilirannya pada periode ini.');
    await take(SKCK, 'y-1');
    const jumped = await take(SKCK, 'y-2');
    await app.queue.callTicket('loket-4', jumped.id, 'Kembali setelah melengkapi berkas', 'budi');
    clock.advance(24 * 3600_000);
    await take(SKCK, 'y-3');
    const nextDay = await take(SKCK, 'y-4');
    await app.queue.callTicket('loket-4', nextDay.id, '<img src=x onerror=alert(1)> & "cepat"', 'sari');

    const week = await (await get('/admin/report?range=week&day=2026-11-24')).text();
    expect(week).toContain('2 nomor dipanggil sebelum gilirannya, dengan alasan dari petugas.');
    const section = /<section class="out-of-order">.*?<\/section>/s.exec(week)![0];
    const rows = [...section.matchAll(/<tr><td>.*?<\/tr>/g)].map((m) => cellsOf(m[0]));
    expect(rows).toEqual([
      ['2026-11-24 09.00', 'Loket 4 Polres (SKCK)', 'sari', nextDay.number, 'SKCK baru', '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;cepat&quot;'],
      ['2026-11-23 09.00', 'Loket 4 Polres (SKCK)', 'budi', jumped.number, 'SKCK baru', 'Kembali setelah melengkapi berkas'],
    ]);
    expect(week).not.toContain('<img src=x');
    // A day's report shows only that day's.
    expect(await (await get('/admin/report?range=day&day=2026-11-23')).text()).toContain('1 nomor dipanggil sebelum gilirannya');
  });

  it('counts days recorded before the detail existed in totals and averages, and says which days lack the detail', async () => {
    // A stats hash as the queue wrote it before this version: counts only (same key layout as the queue's).
    await testRedis().hset(app.queue.ticketSlot.key('stats', SKCK, '2026-11-20'), { issued: 6, served: 4, noshow: 1, cancelled: 1, waitMs: 4 * 12 * 60_000, serviceMs: 4 * 8 * 60_000 });
    await serveAfter('new-1', 10, 'budi');
    const html = await (await get('/admin/report?range=custom&from=2026-11-20&to=2026-11-23')).text();
    expect(cellsOf(rowOf(html, 'SKCK baru')).slice(2, 8)).toEqual(['7', '5', '1', '1', '11,6 mnt', '6,6 mnt']);
    expect(html).toContain('1 hari (2026-11-20 s.d. 2026-11-20) tercatat sebelum rincian per jam');
    // Percentiles cover only the detailed day: one wait of 10 minutes.
    expect(html).toMatch(/Tunggu median<\/dt><dd>10 mnt/);
    expect(html).toContain('20 November 2026 – 23 November 2026 (4 hari)');
  });

  it('answers a bad range with 400 and the reason, on the page and on both exports', async () => {
    const cases: Array<[string, string]> = [
      ['range=year', 'Periode tidak dikenal'],
      ['day=2026-02-30', 'Tanggal tidak valid'],
      ['day=2026-11-23%27%3E', 'Tanggal tidak valid'],
      ['range=custom&from=2026-11-01', 'memerlukan tanggal'],
      ['range=custom&from=2026-11-05&to=2026-11-01', 'jatuh sesudah'],
      ['range=custom&from=2025-01-01&to=2026-06-30', 'paling lama 366 hari'],
    ];
    for (const [query, words] of cases) {
      const res = await get(`/admin/report?${query}`);
      expect(res.status, query).toBe(400);
      const html = await res.text();
      expect(html).toContain(words);
      expect(html).toContain('value="2026-11-23"');
      for (const exp of ['/admin/report.csv', '/admin/report-excel.csv', '/admin/report/comments']) {
        const r = await get(`${exp}?${query}`);
        expect(r.status, `${exp}?${query}`).toBe(400);
        expect(((await r.json()) as { error: { code: string; message: string } }).error.code).toBe('bad_request');
      }
    }
    expect((await get('/admin/report/comments?page=0')).status).toBe(400);
  });

  it('exports CSV and the Excel (semicolon, decimal comma) sheet that parse back, with a total row equal to the sum of the rows', async () => {
    await seedDay();
    await serveAfter('e-1', 7, 'budi');
    clock.set(new Date('2026-11-25T03:00:00Z'));
    await take(KIA, 'e-2');
    await serveAfter('e-3', 3, 'sari');
    for (const [path, sep] of [['/admin/report.csv', ','], ['/admin/report-excel.csv', ';']] as const) {
      const res = await get(`${path}?range=week&day=${DAY}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(/mpp-report(-excel)?-2026-11-23_2026-11-29\.csv/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(new TextDecoder().decode(bytes).replace(/^\ufeff/, ''), sep);
      const head = rows[0]!;
      expect(head.slice(0, 6)).toEqual(['dari', 'sampai', 'id_layanan', 'layanan', 'instansi', 'diambil']);
      const body = rows.slice(1, -1);
      const total = rows.at(-1)!;
      expect(total[3]).toBe('Jumlah seluruh layanan');
      expect(body.map((r) => r[2]).sort()).toEqual([KIA, SKCK]);
      const num = (v: string) => Number(sep === ';' ? v.replace(',', '.') : v);
      for (const col of ['diambil', 'dilayani', 'tidak_hadir', 'dibatalkan', 'pindahan_masuk', 'pindahan_keluar', 'responden_skm']) {
        const i = head.indexOf(col);
        expect(num(total[i]!), col).toBe(body.reduce((s, r) => s + num(r[i]!), 0));
      }
      const skck = body.find((r) => r[2] === SKCK)!;
      expect(skck[head.indexOf('diambil')]).toBe('5');
      // Waits 5, 7 and 3 minutes → 5 on average; service 10, 1 and 1 → 4 minutes.
      expect(skck[head.indexOf('rata_tunggu_menit')]).toBe('5');
      expect(skck[head.indexOf('rata_layanan_menit')]).toBe('4');
      expect(skck[head.indexOf('ikm')]).toBe(sep === ';' ? '97,22' : '97.22');
    }
  });

  it('pages the survey comments of the period, masked', async () => {
    const first = await seedDay();
    expect(await survey.comment(first, 'Petugas ramah, hubungi saya 0812-3456-7890')).toBe(true);
    // A comment stored before comments were masked: the page masks it.
    await testRedis().lpush(survey.commentsKey(SKCK, DAY), 'NIK saya 3174012345678901 tolong dicek');
    await testRedis().hincrby(survey.totalsKey(SKCK, DAY), 'comments', 1);
    for (let i = 0; i < 23; i++) {
      const t = await serveAfter(`c-${i}`, 1);
      await survey.record(t, [3, 3, 3, 3, 3, 3, 3, 3, 3]);
      await survey.comment(t, `komentar nomor ${i}`);
    }
    const one = await (await get('/admin/report/comments?range=day&day=2026-11-23')).text();
    expect(one).toContain('25 komentar');
    expect(one.match(/<li>/g)).toHaveLength(20);
    expect(one).toContain('Halaman 1 dari 2');
    expect(one).toContain('href="/admin/report/comments?range=day&amp;day=2026-11-23&amp;page=2"');
    const two = await (await get('/admin/report/comments?range=day&day=2026-11-23&page=2')).text();
    expect(two.match(/<li>/g)).toHaveLength(5);
    expect(two).toContain('<ol class="comments" start="21">');
    const all = one + two;
    expect(all).toContain('hubungi saya [phone]');
    expect(all).toContain('NIK saya [nik] tolong dicek');
    expect(all).not.toMatch(/0812|3174012345678901/);
    expect(all).toContain('komentar nomor 0');
    expect((await (await get('/admin/report/comments?range=day&day=2026-11-22')).text())).toContain('Belum ada komentar');
  });

  it('guards CSV cells against formulas and breaks, in both dialects', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+62 811')).toBe("'+62 811");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b', { separator: ';', decimal: ',' })).toBe('"a;b"');
    expect(csvCell(12.5, { separator: ';', decimal: ',' })).toBe('12,5');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
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
    expect(cleanComment('x'.repeat(900))).toHaveLength(500);
  });
});
