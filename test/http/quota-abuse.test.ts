import { afterEach, describe, expect, it } from 'vitest';
import { addressScope } from '../../src/channels/webchat/origin.js';
import { startTestApp, type TestApp } from '../helpers.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Reply {
  sessionId: string;
  messages: Array<{ text: string }>;
}

/** A fresh web chat session that asks for `question` and walks the ticket flow; returns the last answer. */
async function webTicket(a: TestApp, question: string, headers: Record<string, string> = {}): Promise<string> {
  const post = async (body: Record<string, string>): Promise<Reply> => {
    const res = await fetch(`${a.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as Reply;
  };
  const { sessionId } = await post({ text: question });
  let last: Reply | undefined;
  for (const choice of ['take', 'confirm', 'all-ready']) last = await post({ sessionId, choice });
  return last!.messages.map((m) => m.text).join('\n');
}
const issued = (text: string) => /\b[A-Z]-\d{3}\b/.test(text);

describe('web chat tickets from one address', () => {
  it('gives fresh sessions from one address at most 5 tickets for a service per day, even all at once', async () => {
    app = await startTestApp();
    const a = app;
    const answers = await Promise.all(Array.from({ length: 12 }, () => webTicket(a, 'skck baru')));
    expect(answers.filter(issued)).toHaveLength(5);
    expect(answers.filter((t) => !issued(t)).every((t) => t.includes('WhatsApp'))).toBe(true);
    // Another service from the same address has its own five.
    expect(issued(await webTicket(a, 'perpanjangan skck'))).toBe(true);
  });

  it('behind one proxy (TRUST_PROXY=1) counts the address the proxy saw, whatever X-Forwarded-For the client wrote', async () => {
    app = await startTestApp({ TRUST_PROXY: '1' });
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) answers.push(await webTicket(app, 'skck baru', { 'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.7` }));
    expect(answers.filter(issued)).toHaveLength(5);
  });

  it('keeps half of a service quota for other channels: Telegram and WhatsApp citizens still get tickets', async () => {
    // Ten a day for a lost passport: web chat from many addresses may use five of them.
    app = await startTestApp({ TRUST_PROXY: '1' });
    const answers: string[] = [];
    for (let i = 0; i < 7; i++) answers.push(await webTicket(app, 'paspor hilang', { 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(answers.filter(issued)).toHaveLength(5);
    for (const channel of ['telegram', 'whatsapp-cloud']) {
      let last = '';
      await app.engine.handle({ channel, userKey: `${channel}-citizen`, text: 'paspor hilang' });
      for (const choice of ['take', 'confirm', 'all-ready']) last = (await app.engine.handle({ channel, userKey: `${channel}-citizen`, choice })).messages.map((m) => m.text).join('\n');
      expect(issued(last), channel).toBe(true);
    }
    const { ticket } = await app.queue.take({ serviceId: 'imigrasi-paspor-hilang-rusak', source: 'kiosk' });
    expect(ticket.number).toMatch(/^[A-Z]-\d{3}$/);
  });
});

describe('address scope', () => {
  it('counts IPv4 per address and IPv6 per /64, so one subscriber cannot rotate through its /64', () => {
    expect(addressScope('198.51.100.7')).toBe('198.51.100.7');
    expect(addressScope('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressScope('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressScope('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressScope('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressScope('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
