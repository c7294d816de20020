import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, staffSession, type TestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
let app: TestApp;
let officer: { cookie: string; csrf: string };

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN });
  officer = await staffSession(app, 'rina', 'counter', ['loket-3']);
});
afterAll(async () => {
  await app.close();
});

/** A finished passport ticket of a Telegram citizen, recorded as an application. */
async function application(userKey: string) {
  const { ticket } = await app.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen: { channel: 'telegram', userKey }, source: 'chat' });
  await app.queue.callNext('loket-3');
  return (await app.pickups.recordDone(await app.queue.act(ticket.id, 'done')))!;
}

async function api(method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(app.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { pickup?: Record<string, unknown>; changed?: boolean; error?: { code: string; message: string } } };
}

async function form(fields: Record<string, string>, who: { cookie: string; csrf: string } | null = officer, csrf = true) {
  const res = await fetch(`${app.url}/pickup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    body: new URLSearchParams({ ...(who && csrf ? { _csrf: who.csrf } : {}), ...fields }).toString(),
  });
  return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() };
}

describe('pickup Bearer API', () => {
  it('refuses a missing or wrong token with 401', async () => {
    const p = await application('api-1');
    expect((await api('GET', `/api/pickups/${p.reference}`, undefined, null)).status).toBe(401);
    expect((await api('POST', `/api/pickups/${p.reference}/ready`, {}, 'wrong-token-wrong-token-wrong')).status).toBe(401);
    expect((await app.pickups.get(p.id))!.status).toBe('applied');
  });

  it('shows an application by reference without the citizen\'s address', async () => {
    const p = await application('api-2');
    const res = await api('GET', `/api/pickups/${p.reference}`);
    expect(res.status).toBe(200);
    expect(res.body.pickup).toMatchObject({ reference: p.reference, status: 'applied', expectedDay: '2026-11-26', notifiable: true });
    expect(JSON.stringify(res.body)).not.toContain('api-2');
  });

  it('marks ready, then collected; ready again after collection is 409, an unknown number 404', async () => {
    const p = await application('api-3');
    const ready = await api('POST', `/api/pickups/${p.reference}/ready`, {});
    expect(ready).toMatchObject({ status: 200, body: { changed: true, pickup: { status: 'ready' } } });
    expect((await api('POST', `/api/pickups/${p.reference}/ready`)).body.changed).toBe(false);
    expect((await api('POST', `/api/pickups/${p.reference}/collected`)).body).toMatchObject({ changed: true, pickup: { status: 'collected' } });
    const again = await api('POST', `/api/pickups/${p.reference}/ready`);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('illegal_transition');
    const unknown = await api('POST', '/api/pickups/B-999-20990101/ready');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('not_found');
  });

  it('notes a receipt number, then finds the application by it', async () => {
    const p = await application('api-4');
    expect((await api('POST', `/api/pickups/${p.reference}/receipt`, { receipt: 'W12345' })).status).toBe(200);
    expect((await api('GET', '/api/pickups/w12345')).body.pickup).toMatchObject({ reference: p.reference, receipt: 'W12345' });
  });

  it('answers bad input with 400 naming the problem', async () => {
    const p = await application('api-5');
    const shortRef = await api('POST', '/api/pickups/x/ready', {});
    expect(shortRef.status).toBe(400);
    const extra = await api('POST', `/api/pickups/${p.reference}/ready`, { receipt: 'R-1', who: 'me' });
    expect(extra.status).toBe(400);
    expect(extra.body.error?.code).toBe('bad_request');
    const noReceipt = await api('POST', `/api/pickups/${p.reference}/receipt`, {});
    expect(noReceipt.status).toBe(400);
    expect(noReceipt.body.error?.message).toContain('receipt');
    const badJson = await api('POST', `/api/pickups/${p.reference}/ready`, '{nope');
    expect(badJson.status).toBe(400);
    expect((await app.pickups.get(p.id))!.status).toBe('applied');
  });
});

describe('pickup staff page', () => {
  it('sends a visitor without a staff session to the sign-in page', async () => {
    const res = await fetch(`${app.url}/pickup`, { redirect: 'manual' });
    expect([302, 303]).toContain(res.status);
    expect(res.headers.get('location')).toContain('/login');
  });

  it('lists applications and marks one ready from the form, saying the citizen is told', async () => {
    const p = await application('page-1');
    const page = await fetch(`${app.url}/pickup`, { headers: { cookie: officer.cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(p.reference);
    expect(html).toContain('Diproses');
    const done = await form({ reference: p.reference.toLowerCase(), receipt: '', action: 'ready' });
    expect(done.status).toBe(303);
    const after = await fetch(app.url + done.location, { headers: { cookie: officer.cookie } });
    const text = await after.text();
    expect(text).toContain('ditandai siap diambil');
    expect(text).toContain('Warga diberi tahu lewat chat');
    expect((await app.pickups.get(p.id))!.status).toBe('ready');
  });

  it('lets a counter officer mark only documents of the services their counters serve', async () => {
    const p = await application('page-4');
    const other = await staffSession(app, 'budi', 'counter', ['loket-4']);
    const refused = await form({ reference: p.reference, action: 'ready' }, other);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('bukan layanan loket Anda');
    expect((await app.pickups.get(p.id))!.status).toBe('applied');
    const operator = await staffSession(app, 'sari', 'operator');
    expect((await form({ reference: p.reference, action: 'ready' }, operator)).status).toBe(303);
  });

  it('refuses a form without the CSRF token and changes nothing', async () => {
    const p = await application('page-2');
    const res = await form({ reference: p.reference, action: 'ready' }, officer, false);
    expect(res.status).toBe(403);
    expect((await app.pickups.get(p.id))!.status).toBe('applied');
  });

  it('answers an empty or unknown number, and a collected document, on the page with the reason', async () => {
    const empty = await form({ reference: '', action: 'ready' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Isi nomor tanda terima atau referensi yang benar');
    const unknown = await form({ reference: 'B-999-20990101', action: 'ready' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('tidak ditemukan');
    expect(unknown.text).toContain('B-999-20990101');
    const p = await application('page-3');
    await form({ reference: p.reference, action: 'collected' });
    const again = await form({ reference: p.reference, action: 'ready' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('sudah diambil');
    const bogusAction = await form({ reference: p.reference, action: 'delete' });
    expect(bogusAction.status).toBe(400);
  });

  it('escapes what was typed when it shows it back', async () => {
    const res = await form({ reference: '<script>x</script>', action: 'ready' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>x</script>');
  });
});
