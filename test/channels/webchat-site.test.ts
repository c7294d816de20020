import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

/** The web chat opened for one MPP site (`/?site=kec-utara` sends `site` with each message). */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ HTTP_RATE_PER_MINUTE: '1000', WEBCHAT_SITE: 'none' }, undefined, { siteHint: null });
});
afterAll(async () => {
  await app?.close();
});

interface Reply {
  sessionId: string;
  messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }>;
  error?: { code: string; message: string };
}

async function post(body: unknown): Promise<{ status: number; json: Reply }> {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Reply };
}
const text = (r: Reply) => r.messages.map((m) => m.text).join('\n');

describe('web chat with a site', () => {
  it('greets by the site of the page and answers for it without asking which MPP', async () => {
    const first = await post({ open: true, site: 'kec-utara' });
    expect(first.status).toBe(200);
    expect(text(first.json)).toContain('Mal Pelayanan Publik Kecamatan Contoh Utara');
    const hours = await post({ sessionId: first.json.sessionId, text: 'jam buka hari ini', site: 'kec-utara' });
    expect(text(hours.json)).toContain('08.00–14.00');
    expect(text(hours.json)).not.toContain('Di MPP mana');
  });

  it('keeps the citizen\'s own choice over the page\'s site', async () => {
    const first = await post({ text: 'pindah ke mpp kota', site: 'kec-utara' });
    expect(text(first.json)).toContain('Sekarang: MPP Kota Contoh');
    const hours = await post({ sessionId: first.json.sessionId, text: 'jam buka hari ini', site: 'kec-utara' });
    expect(text(hours.json)).not.toContain('08.00–14.00');
  });

  it('ignores an unknown site and answers a malformed one with a clear 400, never a crash', async () => {
    const unknown = await post({ text: 'jam buka hari ini', site: 'tidak-ada' });
    expect(unknown.status).toBe(200);
    expect(text(unknown.json)).toContain('Di MPP mana');
    const long = await post({ text: 'halo', site: 'x'.repeat(61) });
    expect(long.status).toBe(400);
    expect(long.json.error?.code).toBe('bad_request');
    expect(long.json.error?.message).toContain('site');
    const wrongType = await post({ text: 'halo', site: 7 });
    expect(wrongType.status).toBe(400);
  });
});
