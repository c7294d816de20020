import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

/**
 * WEBCHAT_SITE: whose web chat `/` is. A web chat sits on an MPP's website, so by default it is the
 * main site's (citizens are not asked "di MPP mana?" there, and can still "ganti MPP"); `none`
 * makes one chat for every site, which asks.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface Reply {
  sessionId: string;
  messages: Array<{ text: string; choices?: Array<{ id: string; label: string }> }>;
}

async function chat(env: Record<string, string>) {
  const app: TestApp = await startTestApp({ HTTP_RATE_PER_MINUTE: '1000', OPENING_HOURS: 'always', ...env }, undefined, { siteHint: null });
  cleanups.push(() => app.close());
  let sessionId: string | undefined;
  const say = async (body: { text?: string; choice?: string; site?: string }) => {
    const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(sessionId ? { sessionId } : {}), ...body }) });
    const json = (await res.json()) as Reply;
    sessionId = json.sessionId;
    return { text: json.messages.map((m) => m.text).join('\n'), choices: json.messages.at(-1)?.choices ?? [] };
  };
  return { app, say };
}

describe('the web chat of a site (WEBCHAT_SITE)', () => {
  it("is the main site's by default: a ticket without being asked which MPP, numbered in the main site's line, and \"ganti MPP\" still offered", async () => {
    const { app, say } = await chat({});
    const card = await say({ text: 'syarat kk baru' });
    expect(card.text).toContain('Tersedia di: MPP Kota Contoh, MPP Kec. Utara');
    const take = await say({ choice: 'take' });
    expect(take.text).not.toMatch(/Di MPP mana/);
    await say({ choice: 'confirm' });
    const ticket = await say({ choice: 'all-ready' });
    expect(ticket.text).toMatch(/A-001/);
    expect(ticket.text).toMatch(/MPP Kota Contoh/);
    expect((await app.sites.main.queue.snapshot()).services.find((s) => s.serviceId === 'dukcapil-kk-baru')?.waiting).toBe(1);
    const menu = await say({ text: 'menu' });
    expect(menu.choices.map((c) => c.label)).toContain('Ganti MPP');
  });

  it("answers for the configured site's hours, and a page opened with ?site= for its own", async () => {
    const { say } = await chat({ WEBCHAT_SITE: 'kec-utara' });
    expect((await say({ text: 'jam buka hari ini' })).text).toMatch(/08\.00–14\.00/);
    const other = await chat({ WEBCHAT_SITE: 'kec-utara' });
    expect((await other.say({ text: 'jam buka hari ini', site: 'main' })).text).toMatch(/08\.00–15\.00/);
  });

  it('asks "di MPP mana?" when it is the chat of every site (none)', async () => {
    const { say } = await chat({ WEBCHAT_SITE: 'none' });
    expect((await say({ text: 'jam buka hari ini' })).text).toMatch(/Di MPP mana/);
  });

  it('refuses to start with a site the content lacks', async () => {
    const err = await startTestApp({ WEBCHAT_SITE: 'kec-timur' }, undefined, { siteHint: null }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/WEBCHAT_SITE: no site "kec-timur"/);
  });
});
