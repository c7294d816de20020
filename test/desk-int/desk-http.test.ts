import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { allText, choiceIds, MONDAY_9AM, staffSession, startTestApp, type TestApp } from '../helpers.js';


let app: TestApp;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({}, clock);
});
afterAll(async () => {
  await app?.close();
});

type Session = Awaited<ReturnType<typeof staffSession>>;
/** The answers as the tests read them: an error's code, or the route's own fields. */
interface Json {
  error: { code: string };
  [field: string]: unknown;
}
async function api(who: Session, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${app.url}/desk/api${path}`, {
    method,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

const say = (userKey: string, text: string) => app.engine.handle({ channel: 'webchat', userKey, text });

describe('help desk over HTTP', () => {
  it('lets exactly one of two officers claim the same conversation at once', async () => {
    await say('race-citizen', 'halo');
    const opened = await say('race-citizen', 'mau bicara dengan petugas');
    expect(allText(opened)).toContain('sambungkan Anda dengan petugas');
    const a = await staffSession(app, 'petugas.a', 'helpdesk');
    const b = await staffSession(app, 'petugas.b', 'helpdesk');
    const { json } = await api(a, 'GET', '/conversations');
    const id = (json.waiting as Array<{ id: string }>)[0]!.id;

    const results = await Promise.all([api(a, 'POST', `/conversations/${id}/claim`), api(b, 'POST', `/conversations/${id}/claim`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.json.error.code).toBe('claimed_by_other');
    // The loser cannot answer either: two officers never both reply.
    const loserSession = results[0].status === 409 ? a : b;
    expect((await api(loserSession, 'POST', `/conversations/${id}/reply`, { text: 'Halo' })).status).toBe(409);
  });

  it('keeps the assistant silent while held, delivers the reply, and answers again after "menu"', async () => {
    const officer = await staffSession(app, 'petugas.c', 'helpdesk');
    await say('quiet-citizen', 'halo');
    await say('quiet-citizen', 'saya mau ngomong sama orang');
    const { json } = await api(officer, 'GET', '/conversations');
    const id = (json.waiting as Array<{ id: string; channel: string }>).find((h) => h.channel === 'webchat')!.id;
    // An officer's reply on an unclaimed conversation claims it.
    const reply = await api(officer, 'POST', `/conversations/${id}/reply`, { text: 'Selamat pagi, ada yang bisa dibantu?' });
    expect(reply.json).toMatchObject({ claimedNow: true, message: { delivery: 'sent' } });
    expect((await app.hub.takePending('quiet-citizen')).map((m) => m.text)).toContain('Selamat pagi, ada yang bisa dibantu?');

    expect((await say('quiet-citizen', 'syarat paspor baru')).messages).toEqual([]);
    const view = await api(officer, 'GET', `/conversations/${id}`);
    expect((view.json.messages as Array<{ text: string }>).map((m) => m.text)).toContain('syarat paspor baru');

    const back = await say('quiet-citizen', 'menu');
    expect(allText(back)).toContain('kembali terhubung dengan asisten');
    expect(allText(await say('quiet-citizen', 'syarat paspor baru'))).toMatch(/Paspor/i);
  });

  it('refuses every desk route without a staff session, the live stream included', async () => {
    for (const [method, path] of [['GET', '/desk/api/conversations'], ['GET', '/desk/api/events'], ['POST', '/desk/api/conversations/h0123456789abcdef/claim'], ['GET', '/desk/api/complaints']] as const) {
      expect((await fetch(`${app.url}${path}`, { method, headers: { accept: 'application/json' } })).status, path).toBe(401);
    }
    expect((await fetch(`${app.url}/desk`, { redirect: 'manual' })).status).toBe(303);
  });

  it('refuses the desk to counter staff', async () => {
    const counter = await staffSession(app, 'loket.satu', 'counter', ['loket-1']);
    expect((await api(counter, 'GET', '/conversations')).status).toBe(403);
  });

  it('takes a complaint from the chat to selesai, telling the citizen at each step', async () => {
    const citizen = 'complaint-citizen';
    await say(citizen, 'halo');
    expect(allText(await say(citizen, 'saya mau komplain, pelayanannya lama banget'))).toContain('ceritakan apa yang terjadi');
    const agency = await say(citizen, 'Saya menunggu 3 jam di loket paspor dan tidak dipanggil');
    // No service in context: the agency question is skipped.
    expect(choiceIds(agency)).toEqual(expect.arrayContaining(['today', 'yesterday', 'skip']));
    expect(choiceIds(await app.engine.handle({ channel: 'webchat', userKey: citizen, choice: 'today' }))).toContain('skip');
    await say(citizen, 'A-012');
    const filed = await app.engine.handle({ channel: 'webchat', userKey: citizen, choice: 'hide' });
    const reference = /ADU-\d{8}-\d{4}/.exec(allText(filed))![0];
    expect(allText(filed)).toContain('Nama Anda dirahasiakan');

    const officer = await staffSession(app, 'petugas.aduan', 'helpdesk');
    const list = await api(officer, 'GET', '/complaints');
    expect((list.json.complaints as Array<{ reference: string }>).map((c) => c.reference)).toContain(reference);
    const detail = await api(officer, 'GET', `/complaints/${reference}`);
    expect(detail.json.complaint).toMatchObject({ status: 'baru', category: 'pelayanan_lambat', ticketNumber: 'A-012', anonymous: true });

    for (const to of ['diproses', 'selesai'] as const) {
      clock.advance(30 * 60_000);
      const r = await api(officer, 'POST', `/complaints/${reference}/transition`, { to });
      expect(r.json).toMatchObject({ complaint: { status: to }, told: 'sent' });
    }
    const told = (await app.hub.takePending(citizen)).map((m) => m.text);
    expect(told).toEqual([`Aduan ${reference}: Sedang diproses.`, `Aduan ${reference}: Selesai.`]);
    expect((await api(officer, 'POST', `/complaints/${reference}/transition`, { to: 'diproses' })).json.error.code).toBe('illegal_transition');

    expect(allText(await say(citizen, `status aduan ${reference}`))).toContain('Selesai');

    // Its figures in the report (page and CSV), with the desk's hand-overs of the day.
    const operator = await staffSession(app, 'operator.lantai', 'operator');
    const page = await (await fetch(`${app.url}/admin/report?day=2026-11-23`, { headers: { cookie: operator.cookie } })).text();
    expect(page).toContain('Meja layanan dan aduan');
    expect(page).toContain('Pelayanan lambat');
    const csv = await (await fetch(`${app.url}/admin/report/desk.csv?day=2026-11-23`, { headers: { cookie: operator.cookie } })).text();
    expect(csv).toContain('2026-11-23,complaints,,1\r\n');
    expect(csv).toContain('2026-11-23,complaints_category,pelayanan_lambat,1\r\n');
    expect(csv).toMatch(/2026-11-23,handed_over,,[1-9]/);
    expect(csv).toMatch(/complaint_resolution_mean_min,none,60\r\n/);
  });

  it('gives pungli reports the Ombudsman and LAPOR!, never Saber Pungli', async () => {
    const citizen = 'pungli-citizen';
    await say(citizen, 'halo');
    await say(citizen, 'lapor pungli');
    await say(citizen, 'Petugas minta uang tambahan 200 ribu supaya cepat');
    await app.engine.handle({ channel: 'webchat', userKey: citizen, choice: 'skip' });
    await app.engine.handle({ channel: 'webchat', userKey: citizen, choice: 'skip' });
    const text = allText(await app.engine.handle({ channel: 'webchat', userKey: citizen, choice: 'show' }));
    expect(text).toMatch(/Ombudsman RI \(call center 137/);
    expect(text).toContain('lapor.go.id');
    expect(text).not.toMatch(/saber/i);
  });
});
