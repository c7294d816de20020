import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers.js';

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('catalogue HTTP API', () => {
  it('GET /healthz says it is alive', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports Redis', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', redis: 'ok' });
  });

  it('GET /api/services?q= returns the same ranked results as the search', async () => {
    const res = await fetch(`${app.url}/api/services?q=${encodeURIComponent('paspor hilang')}`);
    const body = (await res.json()) as { query: string; results: Array<{ id: string; score: number }> };
    expect(body.query).toBe('paspor hilang');
    expect(body.results).toEqual(app.search.search('paspor hilang').results);
    expect(body.results[0]!.id).toBe('imigrasi-paspor-hilang-rusak');
  });

  it('GET /api/services?q= returns an empty list for out-of-scope questions and 400 without q', async () => {
    const empty = (await (await fetch(`${app.url}/api/services?q=cuaca%20besok`)).json()) as { results: unknown[] };
    expect(empty.results).toEqual([]);
    const missing = await fetch(`${app.url}/api/services`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('GET /api/services/:id returns the whole service, 404 for an unknown id', async () => {
    const res = await fetch(`${app.url}/api/services/polri-skck-baru`);
    const body = (await res.json()) as { service: { id: string; requirements: unknown[] }; agency: { id: string } };
    expect(body.service.id).toBe('polri-skck-baru');
    expect(body.service.requirements.length).toBeGreaterThan(0);
    expect(body.agency.id).toBe('polri');
    const missing = await fetch(`${app.url}/api/services/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'unknown_service' } });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(`${app.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
