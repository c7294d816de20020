import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, until, type TestApp } from '../helpers.js';
import { fakeClients, type FakeWWebClient } from './fake-wweb-client.js';

const FAST = { WHATSAPP_WEB_ENABLED: 'true', WHATSAPP_WEB_READY_TIMEOUT_SECONDS: '5', WHATSAPP_WEB_RATE_PER_MINUTE: '600', HTTP_RATE_PER_MINUTE: '10000' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The app with the fake whatsapp-web.js client, its citizens arriving with no MPP chosen (no test hint). */
async function whatsApp(env: Record<string, string>): Promise<{ app: TestApp; client: FakeWWebClient }> {
  const fakes = fakeClients();
  const app = await startTestApp({ ...FAST, ...env }, new ManualClock(MONDAY_9AM), { whatsappWebClientFactory: fakes.factory, siteHint: null });
  cleanups.push(() => app.close());
  await app.whatsappWeb!.start();
  fakes.latest.becomeReady();
  await until(() => app.whatsappWeb!.status().state === 'ready');
  return { app, client: fakes.latest };
}

async function nth(client: FakeWWebClient, chatId: string, n: number): Promise<string> {
  await until(() => client.sent.filter((m) => m.chatId === chatId).length >= n);
  return client.sent.filter((m) => m.chatId === chatId)[n - 1]!.content;
}

describe('a WhatsApp number of one site (WHATSAPP_SITE)', () => {
  it("answers a citizen who chose no MPP for the number's site, without asking which, and still lets them change", async () => {
    const { app, client } = await whatsApp({ WHATSAPP_SITE: 'kec-utara' });
    const me = '6281200000001@c.us';
    client.receive({ from: me, body: 'jam buka mpp hari ini?' });
    const hours = await nth(client, me, 1);
    expect(hours).not.toMatch(/Di MPP mana/);
    // Kec. Utara's own hours today (Monday): until 14.00, where the main site is open until 15.00.
    expect(hours).toMatch(/Kecamatan Contoh Utara/);
    expect(hours).toMatch(/Senin: 08\.00–14\.00/);
    client.receive({ from: me, body: 'ganti mpp' });
    expect(await nth(client, me, 2)).toMatch(/MPP Kota Contoh[\s\S]*MPP Kec\. Utara/);
    client.receive({ from: me, body: 'yg kota' });
    expect(await nth(client, me, 3)).toMatch(/Sekarang: MPP Kota Contoh/);
    client.receive({ from: me, body: 'jam buka?' });
    expect(await nth(client, me, 4)).toMatch(/Senin: 08\.00–15\.00/);
    expect(app.sites.get('kec-utara')).toBeDefined();
  });

  it('asks "di MPP mana?" on a deployment-wide number (no WHATSAPP_SITE)', async () => {
    const { client } = await whatsApp({});
    const me = '6281200000002@c.us';
    client.receive({ from: me, body: 'jam buka mpp hari ini?' });
    expect(await nth(client, me, 1)).toMatch(/Di MPP mana/);
  });

  it('refuses to start with a WHATSAPP_SITE the content does not have, naming the sites', async () => {
    const err = await startTestApp({ ...FAST, WHATSAPP_SITE: 'kec-selatan' }, new ManualClock(MONDAY_9AM), { siteHint: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/WHATSAPP_SITE: no site "kec-selatan".*main, kec-utara/);
    const bad = await startTestApp({ ...FAST, WHATSAPP_SITE: 'Kec Selatan' }, new ManualClock(MONDAY_9AM), { siteHint: null }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/WHATSAPP_SITE/);
  });
});
