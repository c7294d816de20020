import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, staffSession, type TestApp } from '../helpers.js';

let app: TestApp;
let operator: { cookie: string; csrf: string };

beforeEach(async () => {
  app = await startTestApp();
  operator = await staffSession(app, 'sari', 'operator');
});
afterEach(async () => {
  await app.close();
});

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('bull-board at /admin/jobs', () => {
  it('sends a visitor to the login page and answers its API with 401', async () => {
    const page = await get('/admin/jobs');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadmin%2Fjobs');
    expect((await get('/admin/jobs/api/queues')).status).toBe(401);
    const clerk = await staffSession(app, 'budi', 'counter', ['loket-4']);
    expect((await get('/admin/jobs', clerk.cookie)).status).toBe(403);
  });

  it('serves the board, its scripts and the outbox queues to an operator, under a CSP with no CDN', async () => {
    const page = await get('/admin/jobs', operator.cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/admin/jobs/"');
    expect(html).toContain('MPP · Antrian pesan');
    expect(page.headers.get('x-powered-by')).toBeNull();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/font-src 'self' data:(;|$)/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'(;|$)/);
    // Every script the page loads comes from here and is served.
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^(https?:)?\/\//);
      const asset = await get(`/admin/jobs/${src}`, operator.cookie);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    }
    const api = await get('/admin/jobs/api/queues', operator.cookie);
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['notify-telegram', 'notify-webchat', 'notify-whatsapp-cloud', 'notify-whatsapp-web']);
  });

  it('lets operators look but only admins change jobs, and only from this site', async () => {
    const put = (cookie: string, headers: Record<string, string> = {}) => fetch(`${app.url}/admin/jobs/api/queues/notify-webchat/clean/completed`, { method: 'PUT', headers: { cookie, ...headers } });
    const byOperator = await put(operator.cookie, { origin: app.url });
    expect(byOperator.status).toBe(403);
    expect(((await byOperator.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    const admin = await staffSession(app, 'admin', 'admin');
    const crossSite = await put(admin.cookie, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { code: string } }).error.code).toBe('csrf');
    expect((await put(admin.cookie, { 'sec-fetch-site': 'cross-site', origin: app.url })).status).toBe(403);
    expect((await put(admin.cookie, { origin: app.url })).status).toBe(200);
  });
});
