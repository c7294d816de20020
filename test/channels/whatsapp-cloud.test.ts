import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ChannelUnavailableError, PermanentDeliveryError } from '../../src/reminders/notifier.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';
import { until } from './whatsapp-app.js';

const PHONE_NUMBER_ID = '109876543210987';
const APP_SECRET = 'test-app-secret-for-signatures';
const VERIFY_TOKEN = 'verify-me-please';
const ACCESS_TOKEN = 'EAAG-test-access-token';

interface Recorded {
  path: string;
  authorization: string | undefined;
  body: { to: string; type: string; text?: { body: string }; interactive?: { type: string; body: { text: string }; action: Record<string, unknown> }; template?: { name: string; language: { code: string }; components: unknown[] } };
}

/** A stand-in for graph.facebook.com: records each send; `script` answers the next ones with errors. */
class FakeGraph {
  readonly received: Recorded[] = [];
  readonly script: Array<{ status: number; body: unknown; retryAfter?: string }> = [];
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const next = this.script.shift();
        if (next) {
          res.writeHead(next.status, { 'content-type': 'application/json', ...(next.retryAfter ? { 'retry-after': next.retryAfter } : {}) });
          res.end(JSON.stringify(next.body));
          return;
        }
        this.received.push({ path: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Recorded['body'] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.out${this.received.length}` }] }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v21.0`;
  }

  to(wa: string): Recorded[] {
    return this.received.filter((r) => r.body.to === wa);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const graph = new FakeGraph();
const clock = new ManualClock(MONDAY_9AM);
let app: TestApp;

beforeAll(async () => {
  await graph.start();
  app = await startTestApp(
    {
      WHATSAPP_CLOUD_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_CLOUD_API_BASE: graph.base,
      WHATSAPP_CLOUD_TEMPLATE: 'pengingat_antrean',
      HTTP_RATE_PER_MINUTE: '10000',
    },
    clock,
  );
});
afterAll(async () => {
  await app.close();
  await graph.stop();
});
beforeEach(() => {
  clock.set(MONDAY_9AM);
});

let seq = 0;
const newCitizen = () => `62813${String(Date.now() % 1e6).padStart(6, '0')}${seq++}`;
const wamid = () => `wamid.HBgM${Date.now()}${seq++}`;

function envelope(value: Record<string, unknown>) {
  return { object: 'whatsapp_business_account', entry: [{ id: '1234567890', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '6281100000000', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }] };
}

function messageFrom(from: string, content: Record<string, unknown>, id = wamid()) {
  return envelope({ contacts: [{ profile: { name: 'Warga' }, wa_id: from }], messages: [{ from, id, timestamp: String(Math.floor(clock.now().getTime() / 1000)), ...content }] });
}

async function post(payload: unknown, opts: { secret?: string; signature?: string | null } = {}) {
  const raw = Buffer.from(JSON.stringify(payload));
  const signature = opts.signature === undefined ? `sha256=${createHmac('sha256', opts.secret ?? APP_SECRET).update(raw).digest('hex')}` : opts.signature;
  return fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) }, body: raw });
}

/** Posts a message and waits for the n-th reply to that citizen. */
async function say(from: string, content: Record<string, unknown>, n: number): Promise<Recorded> {
  const res = await post(messageFrom(from, content));
  expect(res.status).toBe(200);
  await until(() => graph.to(from).length >= n);
  return graph.to(from)[n - 1]!;
}

const text = (body: string) => ({ type: 'text', text: { body } });
const rowIds = (r: Recorded) => ((r.body.interactive?.action.sections as Array<{ rows: Array<{ id: string }> }>)[0]!.rows ?? []).map((row) => row.id);

describe('WhatsApp Cloud API webhook', () => {
  it('answers the verification handshake with the raw challenge, and 403 for a wrong token', async () => {
    const ok = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong`)).status).toBe(403);
    expect((await fetch(`${app.url}/webhooks/whatsapp?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`)).status).toBe(403);
    expect((await fetch(`${app.url}/webhooks/whatsapp`)).status).toBe(403);
  });

  it('refuses a wrong or missing signature with 403 and processes nothing', async () => {
    const me = newCitizen();
    expect((await post(messageFrom(me, text('syarat ktp')), { secret: 'not-the-app-secret' })).status).toBe(403);
    expect((await post(messageFrom(me, text('syarat ktp')), { signature: null })).status).toBe(403);
    expect((await post(messageFrom(me, text('syarat ktp')), { signature: 'sha256=' + '0'.repeat(64) })).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.to(me)).toEqual([]);
  });

  it('replies to a text through POST /{phone-number-id}/messages with the bearer token', async () => {
    const me = newCitizen();
    const reply = await say(me, text('syarat skck'), 2);
    const [greeting] = graph.to(me);
    expect(greeting!.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(greeting!.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(greeting!.body).toMatchObject({ messaging_product: 'whatsapp', recipient_type: 'individual', to: me, type: 'text' });
    // Four choices: a list.
    expect(reply.body.interactive?.type).toBe('list');
    expect(rowIds(reply)).toEqual(['s.polri-skck-baru', 's.polri-skck-perpanjangan', 'browse', 'menu']);
  });

  it('maps list and button replies to the offered choice and takes a ticket', async () => {
    const me = newCitizen();
    await say(me, text('syarat skck'), 2);
    const card = await say(me, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 's.polri-skck-perpanjangan', title: 'Perpanjangan SKCK' } } }, 3);
    // The service card is longer than an interactive body allows: numbered text.
    expect(card.body.type).toBe('text');
    expect(card.body.text!.body).toContain('Persyaratan');
    expect(card.body.text!.body).toMatch(/1\. Ambil antrean untuk layanan ini/);
    const confirm = await say(me, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'take', title: 'Ambil antrean' } } }, 4);
    expect(rowIds(confirm)).toEqual(['confirm', 'confirm-priority', 'menu']);
    await say(me, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'confirm' } } }, 5);
    const ticket = await say(me, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'all-ready' } } }, 6);
    expect(ticket.body.interactive?.body.text ?? ticket.body.text?.body).toMatch(/Nomor antrean: C-\d{3}/);
    expect(await app.queue.activeTickets('whatsapp-cloud', me)).toHaveLength(1);
  });

  it('answers a re-delivered message id once', async () => {
    const me = newCitizen();
    const payload = messageFrom(me, text('halo'));
    expect((await post(payload)).status).toBe(200);
    expect((await post(payload)).status).toBe(200);
    await until(() => graph.to(me).length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    const texts = graph.to(me).map((r) => JSON.stringify(r.body));
    expect(texts.filter((t) => t.includes('Halo!'))).toHaveLength(1);
  });

  it('accepts status callbacks without replying', async () => {
    const before = graph.received.length;
    const res = await post(envelope({ statuses: [{ id: 'wamid.out1', status: 'delivered', timestamp: '1795000000', recipient_id: '6281300000000' }, { id: 'wamid.out2', status: 'failed', recipient_id: '6281300000001', errors: [{ code: 131047, title: 'Re-engagement message' }] }] }));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.received.length).toBe(before);
  });

  it('asks for text when a photo or voice note arrives, and ignores reactions', async () => {
    const reactor = newCitizen();
    expect((await post(messageFrom(reactor, { type: 'reaction', reaction: { message_id: 'wamid.out1', emoji: '👍' } }))).status).toBe(200);
    const me = newCitizen();
    const reply = await say(me, { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg' } }, 1);
    expect(reply.body.text?.body).toContain('Silakan ketik pertanyaan Anda');
    await new Promise((r) => setTimeout(r, 200));
    expect(graph.to(reactor)).toEqual([]);
  });

  it('falls back to numbered text for more than 10 choices', async () => {
    const me = newCitizen();
    await say(me, text('syarat skck'), 2);
    const agencies = await say(me, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'browse' } } }, 3);
    expect(agencies.body.type).toBe('text');
    expect(agencies.body.text!.body).toMatch(/\n11\. .+/);
    expect(agencies.body.text!.body).toMatch(/Balas dengan angka 1–\d+\.$/);
  });

  it('retries a 429 and a 500 from the Graph API, then delivers once', async () => {
    const me = newCitizen();
    graph.script.push({ status: 429, body: { error: { code: 130429, message: 'Rate limit hit' } }, retryAfter: '0' }, { status: 500, body: { error: { code: 1, message: 'Unknown' } } });
    const reply = await say(me, text('halo'), 1);
    expect(JSON.stringify(reply.body)).toContain('Halo!');
    expect(graph.script).toHaveLength(0);
  });

  it('ignores messages sent to another phone number of the same app', async () => {
    const me = newCitizen();
    const payload = messageFrom(me, text('halo'));
    payload.entry[0]!.changes[0]!.value.metadata.phone_number_id = '999999999999';
    expect((await post(payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.to(me)).toEqual([]);
  });
});

describe('WhatsApp Cloud API notifier', () => {
  it('sends a normal message within 24 hours of the last message, the template after', async () => {
    const notifier = app.notifiers.get('whatsapp-cloud')!;
    const me = newCitizen();
    await say(me, text('halo'), 2);
    const notice = { text: '📢 Nomor C-001 dipanggil!\nSilakan ke Loket 4.', choices: [{ id: 'on-my-way', label: 'Saya menuju loket' }] };
    clock.advance(23 * 3600_000);
    await notifier.send(me, notice);
    expect(graph.to(me).at(-1)!.body).toMatchObject({ type: 'interactive', interactive: { type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'on-my-way', title: 'Saya menuju loket' } }] } } });
    clock.advance(2 * 3600_000);
    await notifier.send(me, notice);
    expect(graph.to(me).at(-1)!.body).toMatchObject({
      type: 'template',
      template: { name: 'pengingat_antrean', language: { code: 'id' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '📢 Nomor C-001 dipanggil! · Silakan ke Loket 4. · 1. Saya menuju loket · Balas dengan angka 1.' }] }] },
    });
  });

  it('maps Graph refusals: bad request is permanent, a bad token holds the notice', async () => {
    const notifier = app.notifiers.get('whatsapp-cloud')!;
    const me = newCitizen();
    await say(me, text('halo'), 2);
    graph.script.push({ status: 400, body: { error: { code: 131026, message: 'Message undeliverable' } } });
    await expect(notifier.send(me, { text: 'tes' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    graph.script.push({ status: 401, body: { error: { code: 190, message: 'Invalid OAuth access token' } } });
    await expect(notifier.send(me, { text: 'tes' })).rejects.toBeInstanceOf(ChannelUnavailableError);
    graph.script.push({ status: 503, body: {} });
    await expect(notifier.send(me, { text: 'tes' })).rejects.toThrow(/Graph API 503/);
  });

  it('cannot reach a citizen outside the window without a template', async () => {
    const other = await startTestApp({
      WHATSAPP_CLOUD_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_CLOUD_API_BASE: graph.base,
    });
    try {
      await expect(other.notifiers.get('whatsapp-cloud')!.send(newCitizen(), { text: 'tes' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    } finally {
      await other.close();
    }
  });
});

describe('WhatsApp Cloud API configuration', () => {
  it('is off without its variables and refuses a partial set, naming what is missing', () => {
    expect(loadConfig({}).WHATSAPP_CLOUD_API_BASE).toBe('https://graph.facebook.com/v21.0');
    let err: unknown;
    try {
      loadConfig({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'secret-token-value', WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).toContain('WHATSAPP_CLOUD_APP_SECRET');
    expect(message).toContain('WHATSAPP_CLOUD_VERIFY_TOKEN');
    expect(message).not.toContain('secret-token-value');
  });
});
