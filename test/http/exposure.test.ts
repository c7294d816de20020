import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const TOKEN = 'scrape-token-0123456789';

describe('/metrics exposure', () => {
  it('is not served in production without METRICS_TOKEN', async () => {
    app = await startTestApp({ NODE_ENV: 'production' });
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('mpp_');
  });

  it('needs the bearer token in production when one is set', async () => {
    app = await startTestApp({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN });
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('mpp_');
  });
});

describe('public read endpoints are rate-limited per address', () => {
  it.each(['/api/services?q=ktp', '/api/services/polri-skck-baru', '/board/state'])('%s answers 429 with a JSON error past HTTP_RATE_PER_MINUTE', async (path) => {
    app = await startTestApp({ HTTP_RATE_PER_MINUTE: '3' });
    const statuses: number[] = [];
    let body: unknown;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(app.url + path);
      statuses.push(res.status);
      if (res.status === 429) body = await res.json();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
  });
});
