import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';

const TOKEN = 'test-token-0123456789abcdefghij';
let app: TestApp;
const clock = new ManualClock(MONDAY_9AM);

beforeAll(async () => {
  app = await startTestApp({ MPP_API_TOKEN: TOKEN }, clock);
  await app.reminders.start({ scheduler: true });
});
afterAll(() => app.close());

async function kioskTicket(serviceId: string): Promise<{ id: string; number: string; trackUrl: string }> {
  const res = await fetch(`${app.url}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId }) });
  const body = (await res.json()) as { ticket: { id: string; number: string }; trackUrl: string };
  return { ...body.ticket, trackUrl: body.trackUrl };
}

/** Follows a tracking page's "Lanjut di web chat" link: the claim token it redirects with. */
async function claimToken(trackUrl: string): Promise<string> {
  const res = await fetch(`${app.url}${trackUrl}/chat`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/\?claim=[A-Za-z0-9_-]{22}$/);
  expect(location).not.toContain(trackUrl.slice(3));
  return location.slice('/?claim='.length);
}

async function openChat(body: Record<string, unknown>) {
  const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ open: true, ...body }) });
  return { status: res.status, json: (await res.json()) as { sessionId: string; messages: Array<{ text: string }> } };
}

describe('continuing from a tracking page in the web chat', () => {
  it('offers the link on the tracking page; the claim attaches the kiosk ticket to the session, and its call reaches that chat', async () => {
    const ticket = await kioskTicket('polri-skck-baru');
    const page = await (await fetch(app.url + ticket.trackUrl)).text();
    expect(page).toContain(`href="${ticket.trackUrl}/chat"`);
    expect(page).toContain('Lanjut di web chat');
    // No bot username configured: no Telegram link.
    expect(page).not.toContain('t.me');
    expect((await fetch(`${app.url}${ticket.trackUrl}/telegram`, { redirect: 'manual' })).status).toBe(404);

    const token = await claimToken(ticket.trackUrl);
    const opened = await openChat({ claim: token });
    expect(opened.status).toBe(200);
    expect(opened.json.messages[0]!.text).toContain(`Nomor antrean ${ticket.number} sekarang tersambung ke chat ini`);
    // The conversation goes on as usual after it (the menu).
    expect(opened.json.messages.length).toBeGreaterThan(1);
    const key = opened.json.sessionId.split('.')[0]!;
    expect((await app.queue.activeTickets('webchat', key)).map((t) => t.id)).toEqual([ticket.id]);

    // The counter calls it: the notice comes to this web chat (kept for the closed page).
    await app.queue.callNext('loket-4');
    const seen: string[] = [];
    await expect
      .poll(async () => {
        for (const m of await app.hub.takePending(key)) seen.push(m.text);
        return seen.join('\n');
      }, { timeout: 10_000 })
      .toContain(ticket.number);
  });

  it('after the claim, a hurried citizen asks in chat words about the kiosk ticket; "lanjut di chat" typed explains the QR', async () => {
    const ticket = await kioskTicket('polri-skck-perpanjangan');
    const opened = await openChat({ claim: await claimToken(ticket.trackUrl) });
    const say = async (text: string) => {
      const res = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: opened.json.sessionId, text }) });
      return ((await res.json()) as { messages: Array<{ text: string; choices?: Array<{ id: string }> }> }).messages;
    };
    const text = (m: Array<{ text: string }>) => m.map((x) => x.text).join('\n');
    expect(text(await say('udah nomor brp'))).toContain(ticket.number);
    expect(text(await say('masih lama ga'))).toContain(ticket.number);
    const howto = await say('lanjut di chat');
    expect(text(howto)).toContain('pindai kode QR');
    expect(howto.at(-1)!.choices!.map((c) => c.id)).toEqual(expect.arrayContaining(['status', 'menu']));
    expect(text(await say('batalin antrian'))).toContain(ticket.number);
    expect(text(await say('ya'))).toContain('dibatalkan');
    expect((await app.queue.get(ticket.id))!.status).toBe('cancelled');
  });

  it('spends a token once, lets a ticket be claimed by one chat only, and refuses forged tokens', async () => {
    const ticket = await kioskTicket('djp-npwp');
    const token = await claimToken(ticket.trackUrl);
    const first = await openChat({ claim: token });
    expect(first.json.messages[0]!.text).toContain('sekarang tersambung');
    const replay = await openChat({ claim: token });
    expect(replay.json.messages[0]!.text).toContain('sudah dipakai atau kedaluwarsa');
    const other = await openChat({ claim: await claimToken(ticket.trackUrl) });
    expect(other.json.messages[0]!.text).toContain('sudah tersambung ke chat lain');
    const forged = await openChat({ claim: 'A'.repeat(22) });
    expect(forged.json.messages[0]!.text).toContain('sudah dipakai atau kedaluwarsa');
    const mangled = await openChat({ claim: '../../etc' });
    expect(mangled.status).toBe(200);
    expect(mangled.json.messages[0]!.text).toContain('sudah dipakai atau kedaluwarsa');
    expect(mangled.json.messages.length).toBeGreaterThan(1);
    // The ticket stayed with the first chat.
    expect((await app.queue.get(ticket.id))!.to).toBe(first.json.sessionId.split('.')[0]);
  });

  it('makes no claim for finished tickets or unknown codes', async () => {
    const ticket = await kioskTicket('djp-efin');
    await app.queue.act(ticket.id, 'cancel');
    expect((await fetch(`${app.url}${ticket.trackUrl}/chat`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${app.url}/t/${'B'.repeat(22)}/chat`, { redirect: 'manual' })).status).toBe(404);
  });

  it('does not attach a second ticket for a service the chat already holds one for', async () => {
    const a = await kioskTicket('taspen-klaim');
    const b = await kioskTicket('taspen-klaim');
    const first = await openChat({ claim: await claimToken(a.trackUrl) });
    const second = await openChat({ sessionId: first.json.sessionId, claim: await claimToken(b.trackUrl) });
    expect(second.json.messages[0]!.text).toContain('sudah punya nomor antrean aktif');
    expect((await app.queue.get(b.id))!.channel).toBe('');
  });
});
