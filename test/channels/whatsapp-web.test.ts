import { afterEach, describe, expect, it } from 'vitest';
import { renderAdminPage } from '../../src/http/admin/whatsapp.js';
import { ManualClock } from '../../src/clock.js';
import { ChannelUnavailableError, PermanentDeliveryError } from '../../src/reminders/notifier.js';
import { Translator } from '../../src/i18n.js';
import { MONDAY_9AM, silentLogger, staffSession, testReminders } from '../helpers.js';
import { fakeClients, incoming, type FakeWWebClient } from './fake-wweb-client.js';
import { startWhatsAppApp, until } from './whatsapp-app.js';

const FAST = {
  WHATSAPP_WEB_ENABLED: 'true',
  WHATSAPP_WEB_RETRY_MIN_SECONDS: '0.05',
  WHATSAPP_WEB_RETRY_MAX_SECONDS: '0.4',
  WHATSAPP_WEB_READY_TIMEOUT_SECONDS: '5',
  WHATSAPP_WEB_RATE_PER_MINUTE: '600',
};

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(env: Record<string, string> = {}, clock = new ManualClock(MONDAY_9AM)) {
  const fakes = fakeClients();
  const app = await startWhatsAppApp({ ...FAST, ...env }, fakes.factory, clock);
  cleanups.push(() => app.close());
  const channel = app.whatsappWeb!;
  await channel.start();
  return { app, fakes, channel, clock };
}

async function readyApp(env: Record<string, string> = {}) {
  const s = await setup(env);
  s.fakes.latest.becomeReady();
  await until(() => s.channel.status().state === 'ready');
  return s;
}

let phone = 0;
const newCitizen = () => `62812${String(Date.now() % 1e6).padStart(6, '0')}${phone++}@c.us`;

/** Waits for the n-th message to a chat and returns it. */
async function nth(client: FakeWWebClient, chatId: string, n: number): Promise<string> {
  await until(() => client.sent.filter((m) => m.chatId === chatId).length >= n);
  return client.sent.filter((m) => m.chatId === chatId)[n - 1]!.content;
}

/** The number in front of an option of a numbered menu, e.g. "2" for "2. Perpanjangan SKCK". */
function optionNumber(text: string, label: RegExp): string {
  const line = text.split('\n').find((l) => /^\d+\. /.test(l) && label.test(l));
  if (!line) throw new Error(`no option ${label} in:\n${text}`);
  return line.split('.')[0]!;
}

describe('whatsapp-web.js channel (shared fake client)', () => {
  it('shows the QR and the state on the staff page, only to admins and operators', async () => {
    const { app, fakes } = await setup();
    fakes.latest.showQr('2@qr-for-test');
    const anonymous = await fetch(`${app.url}/admin/whatsapp`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/login');
    const counterStaff = await staffSession(app, 'petugas-loket', 'counter', ['loket-4']);
    expect((await fetch(`${app.url}/admin/whatsapp`, { headers: { cookie: counterStaff.cookie } })).status).toBe(403);
    const operator = await staffSession(app, 'operator-wa', 'operator');
    const res = await fetch(`${app.url}/admin/whatsapp`, { headers: { cookie: operator.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('data-state="qr"');
    expect(html).toContain('Menunggu pindai QR');
    expect(html).toMatch(/<img class="qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(html).not.toContain('<script');
    fakes.latest.becomeReady();
    const ready = await (await fetch(`${app.url}/admin/whatsapp?lang=en`, { headers: { cookie: operator.cookie } })).text();
    expect(ready).toContain('data-state="ready"');
    expect(ready).toContain('Ready');
    expect(ready).not.toContain('<img');
  });

  it('renders the failure reason, retry count and next retry time', async () => {
    const translator = await Translator.load('locales');
    const html = await renderAdminPage(translator, 'en', {
      state: 'failed',
      reason: 'net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/',
      retries: 3,
      nextRetryAt: new Date('2026-11-23T02:00:40Z'),
      since: new Date('2026-11-23T02:00:00Z'),
    });
    expect(html).toContain('net::ERR_NAME_NOT_RESOLVED');
    expect(html).toMatch(/data-field="retries">3</);
    expect(html).toContain('2026-11-23 02:00:40 UTC');
    expect(await renderAdminPage(translator, 'id', undefined)).toContain('tidak aktif');
  });

  it('answers a question, a numbered pick, and issues a ticket over a conversation', async () => {
    const { app, fakes } = await readyApp();
    const client = fakes.latest;
    const me = newCitizen();
    client.receive({ from: me, body: 'syarat skck' });
    const menu = await nth(client, me, 1);
    expect(menu).toMatch(/1\. SKCK baru\n2\. Perpanjangan SKCK/);
    expect(menu).toMatch(/Balas dengan angka 1–\d\.$/);
    client.receive({ from: me, body: optionNumber(menu, /^\d+\. SKCK baru$/) });
    const card = await nth(client, me, 2);
    expect(card).toContain('Persyaratan');
    client.receive({ from: me, body: optionNumber(card, /Ambil antrean/) });
    const confirm = await nth(client, me, 3);
    client.receive({ from: me, body: optionNumber(confirm, /Ya, ambil antrean/) });
    const checklist = await nth(client, me, 4);
    expect(checklist).toContain('Cek dokumen 1 dari');
    // Typing the option's words works as well as its number.
    client.receive({ from: me, body: 'semua dokumen sudah siap' });
    const ticket = await nth(client, me, 5);
    expect(ticket).toMatch(/Nomor antrean: C-\d{3}/);
    expect((await app.queue.activeTickets('whatsapp-web', me))[0]?.serviceId).toBe('polri-skck-baru');
    // Plain text: nothing was wrapped in WhatsApp markup by the adapter.
    expect(client.sent.every((m) => !/\*[^*\n]+\*/.test(m.content))).toBe(true);
  });

  it('keeps one citizen\'s quick messages in order', async () => {
    const { fakes } = await readyApp();
    const client = fakes.latest;
    const me = newCitizen();
    client.receive({ from: me, body: 'syarat skck' });
    client.receive({ from: me, body: '2' });
    client.receive({ from: me, body: 'menu' });
    await nth(client, me, 3);
    const mine = client.sent.filter((m) => m.chatId === me).map((m) => m.content);
    expect(mine[0]).toContain('SKCK baru');
    expect(mine[1]).toContain('Perpanjangan SKCK');
    expect(mine[1]).toContain('Persyaratan');
    expect(mine[2]).not.toContain('Persyaratan');
  });

  it('ignores groups, status broadcasts, its own messages and channels; answers a duplicate id once', async () => {
    const { fakes } = await readyApp();
    const client = fakes.latest;
    client.receive({ from: '120363000000000001@g.us', body: 'syarat ktp' });
    client.receive({ from: 'status@broadcast', body: 'syarat ktp', isStatus: true });
    client.receive({ from: newCitizen(), body: 'syarat ktp', fromMe: true });
    client.receive({ from: '120363000000000002@newsletter', body: 'syarat ktp' });
    // Events, not messages: no "please type" for a security-code notice, a reaction or a deleted message.
    for (const type of ['e2e_notification', 'reaction', 'revoked', 'ciphertext', 'call_log']) client.receive({ from: newCitizen(), type });
    const me = newCitizen();
    const message = incoming({ from: me, body: 'syarat ktp' });
    client.emit('message', message);
    client.emit('message', { ...message });
    await nth(client, me, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(client.sent).toHaveLength(1);
    expect(client.sent[0]!.chatId).toBe(me);
  });

  it('asks for text when a photo, voice note or location arrives, without a turn', async () => {
    const { fakes, app } = await readyApp();
    const client = fakes.latest;
    const me = newCitizen();
    client.receive({ from: me, type: 'image', hasMedia: true, body: '' });
    client.receive({ from: me, type: 'ptt', hasMedia: true });
    client.receive({ from: me, type: 'location' });
    await nth(client, me, 3);
    for (const m of client.sent) expect(m.content).toContain('Silakan ketik pertanyaan Anda');
    // No engine turn: the next text still gets the first-time greeting.
    client.receive({ from: me, body: 'halo' });
    expect(await nth(client, me, 4)).toContain('Halo!');
    expect(await app.notifiers.get('whatsapp-web')!.send(me, { text: 'tes' })).toBeUndefined();
  });

  it('holds reminders while disconnected and sends again once a new session is ready', async () => {
    const { app, fakes, channel } = await readyApp();
    const notifier = app.notifiers.get('whatsapp-web')!;
    const me = newCitizen();
    fakes.latest.receive({ from: me, body: 'halo' });
    await nth(fakes.latest, me, 1);
    const first = fakes.latest;
    first.disconnect('NAVIGATION');
    expect(channel.status().state).toBe('disconnected');
    expect(channel.status().reason).toBe('NAVIGATION');
    expect(notifier.isReady!()).toBe(false);
    await expect(notifier.send(me, { text: 'Nomor C-001 dipanggil' })).rejects.toBeInstanceOf(ChannelUnavailableError);
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { status: string; degraded: boolean; channels: Record<string, unknown> };
    expect(ready).toMatchObject({ status: 'ready', degraded: true });
    expect(ready.channels['whatsapp-web']).toMatchObject({ status: 'degraded', state: 'disconnected', reason: 'NAVIGATION', retries: 1 });
    // The watchdog destroys the old client and starts a new one after the backoff.
    await until(() => fakes.clients.length === 2);
    expect(first.destroyed).toBe(true);
    fakes.latest.becomeReady();
    await until(() => notifier.isReady!());
    await notifier.send(me, { text: 'Nomor C-001 dipanggil', choices: [{ id: 'on-my-way', label: 'Saya menuju loket' }] });
    expect(fakes.latest.sent.at(-1)).toMatchObject({ chatId: me, content: 'Nomor C-001 dipanggil\n\n1. Saya menuju loket\n\nBalas dengan angka 1.' });
    expect(channel.status()).toMatchObject({ state: 'ready', retries: 0 });
  });

  it('restarts a session whose page died without an event, noticed by a failed send', async () => {
    const { app, fakes, channel } = await readyApp();
    const notifier = app.notifiers.get('whatsapp-web')!;
    const me = newCitizen();
    fakes.latest.receive({ from: me, body: 'halo' });
    await nth(fakes.latest, me, 1);
    fakes.latest.pageDead = true;
    // The first failure is retried by the outbox; by then the session counts as lost and the notice is held.
    await expect(notifier.send(me, { text: 'tes' })).rejects.toBeInstanceOf(ChannelUnavailableError);
    expect(channel.status()).toMatchObject({ state: 'failed', reason: expect.stringContaining('health check failed') });
    await until(() => fakes.clients.length === 2);
    expect(fakes.clients[0]!.destroyed).toBe(true);
  });

  it('never writes first: reminders to a number that never wrote are refused for good', async () => {
    const { app } = await readyApp();
    await expect(app.notifiers.get('whatsapp-web')!.send('6289999999999@c.us', { text: 'halo' })).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it('restarts after auth_failure, a rejected initialize() and a start that never gets ready, with growing waits', async () => {
    const { fakes, channel } = await setup({ WHATSAPP_WEB_READY_TIMEOUT_SECONDS: '0.3', WHATSAPP_WEB_RETRY_MIN_SECONDS: '0.1', WHATSAPP_WEB_RETRY_MAX_SECONDS: '10' });
    fakes.latest.failAuth();
    expect(channel.status()).toMatchObject({ state: 'auth_failure', retries: 1 });
    await until(() => fakes.clients.length === 2);
    // This one never shows a QR nor gets ready: the watchdog gives up on it.
    await until(() => channel.status().state === 'failed');
    expect(channel.status().reason).toMatch(/not ready after/);
    await until(() => fakes.clients[1]!.destroyed);
    const waits: number[] = [];
    for (let i = 0; i < 2; i++) {
      const s = channel.status();
      waits.push(s.nextRetryAt!.getTime() - s.since.getTime());
      const n = fakes.clients.length;
      fakes.failInitialize = new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
      await until(() => fakes.clients.length === n + 1, 5000);
      await until(() => channel.status().state === 'failed' && channel.status().retries === 3 + i);
    }
    expect(channel.status().reason).toContain('ERR_NAME_NOT_RESOLVED');
    // Jitter keeps each wait within [base/2, base]; bases double (0.2 s, 0.4 s…).
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    // Only the newest client is alive; every older one was destroyed.
    expect(fakes.clients.slice(0, -1).every((c) => c.destroyed)).toBe(true);
  });

  it('delivers the "called" reminder once, after a disconnect, when the session is back', async () => {
    const clock = new ManualClock(MONDAY_9AM);
    const { app, fakes } = await setup({ SURVEY_DELAY_MINUTES: '60' }, clock);
    fakes.latest.becomeReady();
    const runtime = testReminders(app, {
      rules: { nearAhead: 0, nearMinutes: 0, surveyDelayMs: 3_600_000 },
      clock,
      logger: silentLogger,
      backoffMs: 100,
      holdMs: 150,
    });
    cleanups.push(() => runtime.close());
    await runtime.start({ scheduler: true });
    const me = newCitizen();
    const client = fakes.latest;
    for (const [n, text] of [[1, 'kk baru'], [2, '1'], [3, '1'], [4, 'semua dokumen sudah siap']] as const) {
      client.receive({ from: me, body: text });
      await nth(client, me, n);
    }
    expect(await nth(client, me, 4)).toMatch(/Nomor antrean: A-\d{3}/);
    client.disconnect('CONFLICT');
    await app.queue.callNext('loket-1');
    const called = (m: { content: string }) => /Nomor A-\d{3} dipanggil!/.test(m.content);
    await new Promise((r) => setTimeout(r, 500));
    expect(fakes.sent().filter(called)).toHaveLength(0);
    await until(() => fakes.clients.length === 2);
    fakes.latest.becomeReady();
    await until(() => fakes.latest.sent.some((m) => m.chatId === me && called(m)));
    await new Promise((r) => setTimeout(r, 500));
    expect(fakes.sent().filter(called)).toHaveLength(1);
  });
});

