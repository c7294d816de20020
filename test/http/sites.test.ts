import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { BoardState } from '../../src/http/board/snapshot.js';
import { STAFF_COOKIE } from '../../src/http/staff/index.js';
import type { Site } from '../../src/sites/sites.js';
import { MONDAY_9AM, STAFF_PASSWORD, startTestApp, type TestApp } from '../helpers.js';

const KIA = 'dukcapil-kia';
/** Offered at the main site only (kec-utara's offers list leaves immigration out). */
const PASPOR = 'imigrasi-paspor-baru';
const TOKEN = 'api-token-0123456789abcdefghij';
const KIOSK_TOKEN = 'kiosk-token-0123456789abcdefghij';
let app: TestApp;
let utara: Site;

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN, MPP_KIOSK_TOKEN: KIOSK_TOKEN }, new ManualClock(MONDAY_9AM));
  utara = app.sites.get('kec-utara')!;
});
afterAll(async () => {
  await app.close();
});

/** A staff session bound to `sites` (none: every site). */
async function officer(username: string, counters: string[], sites: string[] = []) {
  const account = await app.staff.store.create(username, STAFF_PASSWORD, 'counter', counters, sites);
  const session = await app.staff.sessions.create(account);
  return { cookie: `${STAFF_COOKIE}=${session.id}`, csrf: session.csrf };
}

async function counterApi(who: { cookie: string; csrf: string }, method: 'GET' | 'POST', path: string, site?: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${app.url}/counter/api/${path}${site ? `?site=${site}` : ''}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as { called?: string | null; error?: { code: string }; state?: { current: { number: string } | null } } };
}

/** What the ticket API and the kiosk answer (the fields these tests read). */
interface TicketAnswer {
  ticket: { id: string; number: string; status: string };
  trackUrl: string;
  site: { id: string; name: string; address?: string };
  error: { code: string; details?: unknown };
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(app.url + path, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as TicketAnswer };
}

/** Reads a Server-Sent Events stream until `done` says enough (or 8 s pass); returns the text read. */
async function readStream(path: string, done: (text: string) => boolean, onOpen: () => Promise<void>): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 8000);
  const res = await fetch(app.url + path, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let opened = false;
  try {
    while (!done(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
      // After the first state, so the call happens while the page is open.
      if (!opened && text.includes('event: state')) {
        opened = true;
        await onOpen();
      }
    }
  } catch {
    // Aborted at the time limit: the caller's expectation says what was missing.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}

describe('several MPP sites over HTTP', () => {
  it('opens no event stream for a site until its board or tracking page is asked', () => {
    // Only the main site's feed (made at start, on the one shared tail) exists.
    expect(app.boards.values()).toEqual([app.board]);
  });

  it('shows each call on its own site board only: A-001 at both sites at once', async () => {
    const [atMain, atUtara] = await Promise.all([app.queue.take({ serviceId: KIA, source: 'test' }), utara.queue.take({ serviceId: KIA, source: 'test' })]);
    expect(atMain.ticket.number).toBe(atUtara.ticket.number);
    await Promise.all([app.queue.callNext('loket-1'), utara.queue.callNext('loket-1')]);
    const board = async (q: string) => (await (await fetch(`${app.url}/board/state${q}`)).json()) as BoardState;
    const [main, north] = [await board(''), await board('?site=kec-utara')];
    expect(main.mpp).toBe(app.sites.main.mpp.name);
    expect(north.mpp).toBe(utara.mpp.name);
    expect(main.calling).toEqual([expect.objectContaining({ counter: 'loket-1', number: atMain.ticket.number })]);
    expect(north.calling).toEqual([expect.objectContaining({ counter: 'loket-1', number: atUtara.ticket.number })]);
    // Kec. Utara's board lists its own counters only (seven), not the main site's.
    expect(north.counters.map((c) => c.counterName)).toContain('Loket 3 Samsat Keliling');
    expect(north.counters).toHaveLength(utara.mpp.counters.length);
    const page = await (await fetch(`${app.url}/board?site=kec-utara`)).text();
    expect(page).toContain('<h1>Mal Pelayanan Publik Kecamatan Contoh Utara (DEMO)</h1>');
    // Finish both so the other tests start from idle counters.
    await Promise.all([app.queue.act(atMain.ticket.id, 'done'), utara.queue.act(atUtara.ticket.id, 'done')]);
  });

  it('answers an unknown site with a page listing the sites, and JSON with unknown_site', async () => {
    const page = await fetch(`${app.url}/board?site=nowhere`);
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('href="/board"');
    expect(html).toContain('href="/board?site=kec-utara"');
    const state = await fetch(`${app.url}/board/state?site=nowhere`);
    expect(state.status).toBe(400);
    expect(await state.json()).toMatchObject({ error: { code: 'unknown_site' } });
    expect((await fetch(`${app.url}/board/events?site=${'x'.repeat(500)}`)).status).toBe(400);
  });

  it('keeps a kec-utara console on kec-utara: its calls, its tickets, never the main site', async () => {
    const me = await officer('utara1', ['loket-1'], ['kec-utara']);
    const main = (await app.queue.take({ serviceId: KIA, source: 'test' })).ticket;
    const north = (await utara.queue.take({ serviceId: KIA, source: 'test' })).ticket;
    // The main site's loket-1 is not this officer's, with or without ?site=main.
    expect((await counterApi(me, 'POST', 'loket-1/call-next')).status).toBe(403);
    expect((await counterApi(me, 'POST', 'loket-1/call-next', 'main')).body.error?.code).toBe('forbidden');
    // Calling the main site's ticket from the kec-utara console: it is not in this site's queue.
    const cross = await counterApi(me, 'POST', `loket-1/tickets/${main.id}/call`, 'kec-utara', { reason: 'dipanggil duluan' });
    expect(cross.status).toBe(404);
    expect(cross.body.error?.code).toBe('unknown_ticket');
    expect((await app.queue.get(main.id))?.status).toBe('waiting');
    const called = await counterApi(me, 'POST', 'loket-1/call-next', 'kec-utara');
    expect(called.status).toBe(200);
    expect(called.body.called).toBe(north.number);
    expect((await utara.queue.get(north.id))?.status).toBe('called');
    expect((await app.queue.get(main.id))?.status).toBe('waiting');
    await utara.queue.act(north.id, 'done');
    await app.queue.act(main.id, 'cancel');
  });

  it('refuses staff bound to one site on another site’s pages, and offers their own', async () => {
    const me = await officer('utara2', ['loket-1'], ['kec-utara']);
    const mainPage = await fetch(`${app.url}/counter?site=main`, { headers: { cookie: me.cookie } });
    expect(mainPage.status).toBe(403);
    expect(await mainPage.text()).toContain('href="/counter?site=kec-utara"');
    // Without ?site= the console opens at the officer's own site.
    const own = await fetch(`${app.url}/counter`, { headers: { cookie: me.cookie }, redirect: 'manual' });
    expect(own.headers.get('location')).toBe('/counter/loket-1?site=kec-utara');
    const consolePage = await fetch(`${app.url}/counter/loket-1?site=kec-utara`, { headers: { cookie: me.cookie } });
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain(utara.mpp.name);
    expect((await fetch(`${app.url}/counter/loket-1?site=nowhere`, { headers: { cookie: me.cookie } })).status).toBe(404);
    // An account whose only site left the content is refused everywhere, not given every site.
    const orphan = await officer('yatim', ['loket-1'], ['gone-site']);
    expect((await fetch(`${app.url}/counter`, { headers: { cookie: orphan.cookie } })).status).toBe(403);
    expect((await counterApi(orphan, 'GET', 'loket-1/state')).status).toBe(403);
    // A counter officer without sites (made before sites) stays at the main site: their loket-1 is
    // main's, and kec-utara's loket-1 is another desk, opened only once bound with --site.
    const before = await officer('lama', ['loket-1']);
    expect((await counterApi(before, 'GET', 'loket-1/state')).status).toBe(200);
    expect((await counterApi(before, 'GET', 'loket-1/state', 'kec-utara')).status).toBe(403);
    expect((await fetch(`${app.url}/counter/loket-1?site=kec-utara`, { headers: { cookie: before.cookie } })).status).toBe(403);
    // Operators and admins without sites work at every site.
    const op = await app.staff.store.create('operator-lama', STAFF_PASSWORD, 'operator', []);
    const opSession = await app.staff.sessions.create(op);
    const opWho = { cookie: `${STAFF_COOKIE}=${opSession.id}`, csrf: opSession.csrf };
    expect((await counterApi(opWho, 'GET', 'loket-1/state', 'kec-utara')).status).toBe(200);
    expect((await counterApi(opWho, 'GET', 'loket-1/state')).status).toBe(200);
  });

  it('takes API tickets at the site asked, and refuses unknown sites and services not offered there', async () => {
    const unknown = await api('POST', '/api/tickets', { serviceId: KIA, site: 'nowhere' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_site');
    const notHere = await api('POST', '/api/tickets', { serviceId: PASPOR, site: 'kec-utara' });
    expect(notHere.status).toBe(422);
    expect(notHere.body.error).toMatchObject({ code: 'not_offered_here', details: { offeredAt: ['main'] } });
    const taken = await api('POST', '/api/tickets', { serviceId: KIA, site: 'kec-utara' });
    expect(taken.status).toBe(201);
    expect(taken.body.site).toEqual({ id: 'kec-utara', name: utara.mpp.name });
    expect(await utara.queue.get(taken.body.ticket.id)).toBeDefined();
    expect(await app.queue.get(taken.body.ticket.id)).toBeUndefined();
    // A ticket's routes find its site.
    expect((await api('POST', `/api/tickets/${taken.body.ticket.id}/cancel`)).body.ticket.status).toBe('cancelled');
    const main = await api('POST', '/api/tickets', { serviceId: KIA });
    expect(main.body.site).toEqual({ id: 'main', name: app.sites.main.mpp.name });
    await api('POST', `/api/tickets/${main.body.ticket.id}/cancel`);

    // The tracking page names the ticket's site, with its address.
    const page = await (await fetch(app.url + taken.body.trackUrl)).text();
    expect(page).toContain(utara.mpp.name);
    expect(page).toContain(utara.mpp.address);
    expect(page).not.toContain(app.sites.main.mpp.name);
  });

  it('lists services offered at a site, and where each search result is offered', async () => {
    const at = (await (await fetch(`${app.url}/api/services?q=paspor&site=kec-utara`)).json()) as { results: Array<{ id: string }>; site: { id: string } };
    expect(at.site.id).toBe('kec-utara');
    expect(at.results.some((r) => r.id.startsWith('imigrasi-'))).toBe(false);
    const all = (await (await fetch(`${app.url}/api/services?q=paspor`)).json()) as { results: Array<{ id: string }>; sites: Record<string, string[]> };
    expect(all.results[0]!.id.startsWith('imigrasi-')).toBe(true);
    expect(all.sites[all.results[0]!.id]).toEqual(['main']);
    const kia = (await (await fetch(`${app.url}/api/services/${KIA}`)).json()) as { sites: string[] };
    expect(kia.sites).toEqual(['main', 'kec-utara']);
    expect((await fetch(`${app.url}/api/services?q=kia&site=nowhere`)).status).toBe(400);
  });

  it('binds a kiosk to the site it was enrolled at: its tickets and its page are that site’s', async () => {
    // The technician opens the kiosk at its site: the enrolment form posts back to that site.
    const enrol = await fetch(`${app.url}/kiosk?site=kec-utara`);
    expect(enrol.status).toBe(401);
    const form = await enrol.text();
    expect(form).toContain('action="/kiosk/enrol?site=kec-utara"');
    expect(form).toContain(utara.mpp.name);
    const res = await fetch(`${app.url}/kiosk/enrol?site=kec-utara`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: KIOSK_TOKEN }).toString() });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${app.url}/kiosk`, { headers: { cookie } })).text();
    expect(page).toContain(utara.mpp.name);
    expect(page).toContain(utara.mpp.address);
    const take = async (c: string, serviceId: string, key: string) => {
      const r = await fetch(`${app.url}/kiosk/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: c }, body: JSON.stringify({ serviceId, key }) });
      return { status: r.status, body: (await r.json()) as TicketAnswer };
    };
    const ticket = await take(cookie, KIA, 'kiosk-utara-0001');
    expect(ticket.status).toBe(201);
    expect(ticket.body.site).toMatchObject({ id: 'kec-utara', address: utara.mpp.address });
    const found = await app.sites.ticket((await app.tracking.resolve(ticket.body.trackUrl.split('/').pop()!))!);
    expect(found?.site.id).toBe('kec-utara');
    // A service kec-utara does not offer is not on its kiosk.
    expect((await take(cookie, PASPOR, 'kiosk-utara-0002')).body.error.code).toBe('unknown_service');
    // The cookie names its site under the proof: moving it to another site un-enrols the device.
    const [name, value] = cookie.split('=') as [string, string];
    const moved = `${name}=main.${value.split('.')[1]}`;
    expect((await take(moved, KIA, 'kiosk-utara-0003')).status).toBe(401);
    expect((await fetch(`${app.url}/kiosk?site=nowhere`)).status).toBe(404);
  });

  it("follows a kec-utara ticket's tracking page live from kec-utara's own queue events", async () => {
    const taken = await api('POST', '/api/tickets', { serviceId: KIA, site: 'kec-utara' });
    expect(taken.status).toBe(201);
    const code = taken.body.trackUrl.split('/').pop()!;
    // Earlier tests left kec-utara tickets waiting (the kiosk's): this one is to be called next.
    for (const t of await utara.queue.waiting(KIA)) if (t.id !== taken.body.ticket.id) await utara.queue.act(t.id, 'cancel');
    const text = await readStream(`/t/${code}/events`, (t) => /"status":"called"/.test(t), async () => {
      // The main site calls at its own loket-1 first: that must not move this ticket.
      await app.queue.take({ serviceId: KIA, source: 'test' });
      await app.queue.callNext('loket-1');
      await utara.queue.callNext('loket-1');
    });
    expect(text).toMatch(/"status":"called"/);
    expect(text).toMatch(/"counterName":"Loket 1 Dukcapil"/);
    expect((await utara.queue.get(taken.body.ticket.id))?.status).toBe('called');
  });
});
