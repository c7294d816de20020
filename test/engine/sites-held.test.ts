import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, startTestApp, type TestApp } from '../helpers.js';

/**
 * "Antrean saya" never asks "di MPP mana?": a ticket is found wherever it was taken. A citizen with
 * no MPP chosen holds one when a kiosk ticket was claimed in the chat, or their choice expired.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ OPENING_HOURS: 'always', WEBCHAT_SITE: 'none' }, undefined, { siteHint: null });
});
afterAll(async () => {
  await app?.close();
});

describe('queue status across sites, with no MPP chosen', () => {
  it("shows the ticket at the site that issued it, named, without asking which MPP", async () => {
    const citizen = { channel: 'webchat', userKey: 'held-utara' };
    const { ticket } = await app.sites.get('kec-utara')!.queue.take({ serviceId: 'polri-skck-baru', citizen, source: 'kiosk' });
    const reply = allText(await app.engine.handle({ ...citizen, text: 'nomor antrian saya brp ya' }));
    expect(reply).not.toMatch(/Di MPP mana/);
    expect(reply).toContain(ticket.number);
    expect(reply).toMatch(/MPP Kec\. Utara/);
    // The turn after acts on that site: cancelling finds the same ticket.
    const cancel = allText(await app.engine.handle({ ...citizen, text: 'batal antrean' }));
    expect(cancel).toContain(ticket.number);
  });

  it('says at once that there is no ticket anywhere', async () => {
    const reply = allText(await app.engine.handle({ channel: 'webchat', userKey: 'held-none', text: 'cek antrean saya' }));
    expect(reply).toMatch(/belum punya antrean/);
    expect(reply).not.toMatch(/Di MPP mana/);
  });

  it('with tickets at both sites, shows one and names the other', async () => {
    const citizen = { channel: 'webchat', userKey: 'held-both' };
    const atMain = (await app.sites.main.queue.take({ serviceId: 'imigrasi-paspor-baru', citizen, source: 'kiosk' })).ticket;
    const atUtara = (await app.sites.get('kec-utara')!.queue.take({ serviceId: 'pdam-pasang-baru', citizen, source: 'kiosk' })).ticket;
    const reply = allText(await app.engine.handle({ ...citizen, text: 'antrean saya' }));
    expect(reply).toContain(atMain.number);
    expect(reply).toMatch(new RegExp(`MPP Kec\\. Utara: ${atUtara.number}`));
  });
});
