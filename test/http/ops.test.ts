import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

/** Every path an Express app answers, from its router stacks (so a new route cannot slip through). */
function routesOf(router: unknown, prefix = ''): Array<{ method: string; path: string }> {
  const stack = (router as { stack?: unknown[] }).stack ?? (router as { _router?: { stack: unknown[] } })._router?.stack ?? (router as { router?: { stack: unknown[] } }).router?.stack ?? [];
  const out: Array<{ method: string; path: string }> = [];
  for (const layer of stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: unknown; name?: string; rawPath?: unknown }>) {
    if (layer.route) {
      for (const p of ([] as string[]).concat(layer.route.path)) for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: prefix + p });
    } else if (layer.name === 'router' && layer.handle) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...routesOf(layer.handle, prefix + mount));
    }
  }
  return out;
}

describe('operations endpoints', () => {
  it('GET /readyz reports Redis, each channel and the workers', async () => {
    const body = (await (await fetch(`${app.url}/readyz`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ready', redis: 'ok', channels: { webchat: { state: 'running' } }, workers: { deliveryChannels: expect.arrayContaining(['webchat']) } });
  });

  it('GET /metrics speaks Prometheus: messages per channel, search latency, tickets per service', async () => {
    await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'syarat skck' }) });
    await app.queue.take({ serviceId: 'djp-npwp', source: 'test' });
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/mpp_messages_in_total\{channel="webchat"\} [1-9]/);
    expect(text).toContain('mpp_search_seconds_bucket');
    expect(text).toMatch(/mpp_tickets_waiting\{service="djp-npwp",site="main"\} 1/);
    expect(text).toContain('mpp_reminder_latency_seconds');
    expect(text).not.toMatch(/syarat|skck baru/i);
  });

  it('tags every response with a request id', async () => {
    const res = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'probe-12345678' } });
    expect(res.headers.get('x-request-id')).toBe('probe-12345678');
    const other = await fetch(`${app.url}/healthz`);
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses anonymous access to every staff and admin route', async () => {
    // Mounted sub-apps (bull-board) do not list their routes: name them.
    const mounted = [{ method: 'GET', path: '/admin/jobs' }, { method: 'GET', path: '/admin/jobs/api/queues' }, { method: 'PUT', path: '/admin/jobs/api/queues/x/retry/failed' }];
    const routes = [...routesOf(app.app).filter((r) => /^\/(counter|desk|admin|staff\/api)/.test(r.path)), ...mounted];
    expect(routes.length).toBeGreaterThan(8);
    for (const { method, path } of routes) {
      const url = app.url + path.replace(/:(\w+)/g, 'x1').replace(/\(.*?\)/g, 'done').replace(/\*.*$/, 'x');
      const res = await fetch(url, { method, redirect: 'manual', headers: { 'content-type': 'application/json' }, ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }) });
      expect([401, 403, 303, 302], `${method} ${path} -> ${res.status}`).toContain(res.status);
    }
  });

  it('sends security headers and a Content Security Policy on pages', async () => {
    for (const path of ['/', '/login', '/board']) {
      const res = await fetch(app.url + path);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBeTruthy();
    }
  });
});
