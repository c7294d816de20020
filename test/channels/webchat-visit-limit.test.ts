import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

/**
 * The web chat's own limits (a share of each quota, a cap per network address) are not the day's
 * quota: a visit refused by them says so and where a number can still be had, instead of "the
 * quota is used up, come back tomorrow".
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ WEBCHAT_TICKETS_PER_ADDRESS: '1', CHAT_RATE_PER_MINUTE: '600', HTTP_RATE_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await app?.close();
});

async function say(body: Record<string, unknown>): Promise<{ sessionId: string; text: string; choices: string[] }> {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const json = (await res.json()) as { sessionId: string; messages: Array<{ text: string; choices?: Array<{ id: string }> }> };
  return { sessionId: json.sessionId, text: json.messages.map((m) => m.text).join('\n'), choices: json.messages.at(-1)?.choices?.map((c) => c.id) ?? [] };
}

describe('a visit refused by the web chat limits, not by the quota', () => {
  it('names the network cap and the other ways to get a number, and keeps a way back', async () => {
    // Someone on the same network took the one SIM number the web chat allows per address.
    const first = await say({ text: 'mau antri perpanjang sim' });
    await say({ sessionId: first.sessionId, text: 'ya' });
    expect((await say({ sessionId: first.sessionId, choice: 'all-ready' })).text).toMatch(/Nomor antrean: [A-Z]-\d{3}/);

    const plan = await say({ text: 'mau perpanjang sim sama bayar pajak motor sekalian' });
    expect(plan.text).toContain('Rencana kunjungan');
    const refused = await say({ sessionId: plan.sessionId, text: 'ambil antrian semua' });
    expect(refused.text).toContain('jaringan internet ini');
    expect(refused.text).toContain('Telegram');
    expect(refused.text).not.toContain('sudah habis');
    expect(refused.choices).toContain('menu');
  });
});
