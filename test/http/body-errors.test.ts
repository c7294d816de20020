import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, staffSession, type TestApp } from '../helpers.js';

const API_TOKEN = 'test-token-0123456789abcdefghij';
const TG_SECRET = 'body-errors-secret';
let app: TestApp;
let counter: { cookie: string; csrf: string };
let operator: { cookie: string; csrf: string };

beforeAll(async () => {
  app = await startTestApp({
    MPP_API_TOKEN: API_TOKEN,
    // Webhook mode mounts the route; the bot is never started, so nothing leaves this machine.
    TELEGRAM_BOT_TOKEN: '4242:test-token',
    TELEGRAM_WEBHOOK_URL: 'https://mpp.example.go.id/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    WHATSAPP_CLOUD_ACCESS_TOKEN: 'cloud-token',
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234567890',
    WHATSAPP_CLOUD_APP_SECRET: 'cloud-app-secret',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'cloud-verify',
    WHATSAPP_CLOUD_API_BASE: 'http://127.0.0.1:9/v21.0',
  });
  counter = await staffSession(app, 'petugas-body', 'counter', ['loket-1']);
  operator = await staffSession(app, 'operator-body', 'operator');
});
afterAll(async () => {
  await app.close();
});

interface Route {
  path: string;
  /** The body's own content type (the JSON routes, or the forms). */
  type: 'application/json' | 'application/x-www-form-urlencoded';
  /** Bytes that pass this route's limit when well formed but exceed it. */
  oversize: number;
  headers: () => Record<string, string>;
}

/** Every route that reads a request body, with what it takes to get past its guards to the parser. */
const routes: Route[] = [
  { path: '/api/tickets', type: 'application/json', oversize: 20_000, headers: () => ({ authorization: `Bearer ${API_TOKEN}` }) },
  { path: '/api/webchat/messages', type: 'application/json', oversize: 200_000, headers: () => ({}) },
  { path: '/login', type: 'application/x-www-form-urlencoded', oversize: 20_000, headers: () => ({}) },
  { path: '/logout', type: 'application/x-www-form-urlencoded', oversize: 200_000, headers: () => ({ cookie: counter.cookie }) },
  { path: '/staff/password', type: 'application/x-www-form-urlencoded', oversize: 200_000, headers: () => ({ cookie: counter.cookie }) },
  { path: '/admin/incidents', type: 'application/x-www-form-urlencoded', oversize: 200_000, headers: () => ({ cookie: operator.cookie }) },
  { path: '/counter/api/loket-1/call-next', type: 'application/json', oversize: 5_000, headers: () => ({ cookie: counter.cookie, 'x-csrf-token': counter.csrf }) },
  { path: '/staff/api/bookings/check-in', type: 'application/json', oversize: 5_000, headers: () => ({ cookie: counter.cookie, 'x-csrf-token': counter.csrf }) },
  { path: '/webhooks/telegram', type: 'application/json', oversize: 300_000, headers: () => ({ 'x-telegram-bot-api-secret-token': TG_SECRET }) },
  { path: '/webhooks/whatsapp', type: 'application/json', oversize: 300_000, headers: () => ({ 'x-hub-signature-256': 'sha256=00' }) },
];

const garbage = new TextEncoder().encode('this is not a compressed stream at all, just bytes pretending');
const badJson = (type: Route['type']) => (type === 'application/json' ? '{"text": "halo",' : 'a=%E0%A4%A');

async function post(route: Route, body: Uint8Array<ArrayBuffer> | string, extra: Record<string, string> = {}) {
  const res = await fetch(app.url + route.path, { method: 'POST', headers: { 'content-type': route.type, ...route.headers(), ...extra }, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, text };
}

/** A client error: 4xx, a JSON error with a code, never a stack trace. */
function expectClientError(res: { status: number; text: string }, status: number) {
  expect(res.status).toBe(status);
  expect(res.text).not.toMatch(/at \w+ \(|node_modules|zlib|Error:/);
  expect(JSON.parse(res.text)).toMatchObject({ error: { code: expect.any(String) } });
}

describe('request bodies a client got wrong', () => {
  for (const route of routes) {
    describe(route.path, () => {
      it('answers 400 without a stack to a Content-Encoding: gzip body that does not inflate', async () => {
        expectClientError(await post(route, garbage, { 'content-encoding': 'gzip' }), 400);
      });

      it('answers 400 without a stack to a Content-Encoding: deflate body that does not inflate', async () => {
        expectClientError(await post(route, garbage, { 'content-encoding': 'deflate' }), 400);
      });

      it('answers 415 to an encoding it does not know', async () => {
        expectClientError(await post(route, garbage, { 'content-encoding': 'br-zstd-nonsense' }), 415);
      });

      it('answers 413 to a body over its limit, also when it arrives gzipped', async () => {
        const big = route.type === 'application/json' ? JSON.stringify({ text: 'a'.repeat(route.oversize) }) : `text=${'a'.repeat(route.oversize)}`;
        expectClientError(await post(route, big), 413);
        expectClientError(await post(route, new Uint8Array(gzipSync(big)), { 'content-encoding': 'gzip' }), 413);
      });

      it('answers a malformed body without a 5xx or a stack, and still reads a well-formed deflated one', async () => {
        // A form with a broken %-escape is still a form, and the WhatsApp webhook reads raw bytes:
        // those routes answer as they would to any unexpected body; none of them may fail.
        const bad = await post(route, badJson(route.type));
        if (route.type === 'application/json' && route.path !== '/webhooks/whatsapp') expectClientError(bad, 400);
        expect(bad.status).toBeLessThan(500);
        expect(bad.text).not.toMatch(/at \w+ \(|node_modules/);
        const ok = await post(route, new Uint8Array(deflateSync(route.type === 'application/json' ? '{}' : 'a=b')), { 'content-encoding': 'deflate' });
        expect(ok.status).toBeLessThan(500);
      });
    });
  }
});
