/**
 * `npm run bench:abuse`: a scripted attacker against the running app on loopback takes web chat
 * tickets with a fresh session each time (sessions are free), first from one address, then
 * writing its own X-Forwarded-For straight to the app and through a reverse proxy, then from 30
 * addresses at once (a botnet) against a small quota; afterwards a Telegram and a WhatsApp citizen
 * try to take a ticket for the same service. Baseline in the same run: the same attacks against
 * the app configured as before the fix (no per-address cap, the whole quota open to web chat, and
 * TRUST_PROXY=true, i.e. every hop trusted).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { systemClock } from '../src/clock.js';
import { compose } from '../src/compose.js';
import { loadConfig, type Config } from '../src/config.js';
import { connectRedis } from '../src/redis/connect.js';
import { freePort, startLocalRedis } from '../src/redis/local-server.js';
import { printTable, removeKeys } from './synthetic.js';

const ATTEMPTS = 30;
const SKCK = { question: 'skck baru', quota: 100 };
const PASSPORT = { question: 'paspor hilang', quota: 10 };
const logger = pino({ level: 'silent' });
const local = process.env.REDIS_URL ? undefined : await startLocalRedis({ port: await freePort() });
const redisUrl = process.env.REDIS_URL ?? local!.url;

type Setup = 'before' | 'now';
interface Running {
  url: string;
  config: Config;
  chat(channel: string, userKey: string, question: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** The app as composed by `npm start`, on a free loopback port; `before` overrides the validated config to the old policy. */
async function start(setup: Setup, env: Record<string, string> = {}): Promise<Running> {
  const prefix = `abuse${setup}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const parsed = loadConfig({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', OPENING_HOURS: 'always', HTTP_RATE_PER_MINUTE: '100000', ...env });
  // Before the fix: no address cap, all of the quota for web chat, and TRUST_PROXY=true: every hop
  // trusted, so the left-most X-Forwarded-For wins (written as two /1 halves: proxy-addr refuses /0).
  const config: Config = setup === 'before' ? { ...parsed, WEBCHAT_TICKETS_PER_ADDRESS: Number.MAX_SAFE_INTEGER, WEBCHAT_QUOTA_SHARE: 100, TRUST_PROXY: ['0.0.0.0/1', '128.0.0.0/1', '::/1', '8000::/1'] } : parsed;
  const redis = connectRedis(redisUrl, logger);
  const subscriber = connectRedis(redisUrl, logger, 'subscriber');
  const app = await compose({ config, redisUrl, redis, subscriber, logger, clock: systemClock });
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    config,
    chat: async (channel, userKey, question) => {
      await app.engine.handle({ channel, userKey, text: question });
      let text = '';
      for (const choice of ['take', 'confirm', 'all-ready']) text = (await app.engine.handle({ channel, userKey, choice })).messages.map((m) => m.text).join('\n');
      return /\b[A-Z]-\d{3}\b/.test(text);
    },
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await app.close();
      await removeKeys(redis, prefix);
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

/** A reverse proxy such as nginx with `proxy_add_x_forwarded_for`: appends the address it saw. */
async function reverseProxy(target: string): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = http.request(target + req.url, { method: req.method, headers: { ...req.headers, 'x-forwarded-for': forwarded } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** One fresh session walking the ticket flow; true when it ended with a ticket number. */
async function attack(url: string, question: string, xff?: string): Promise<boolean> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(xff ? { 'x-forwarded-for': xff } : {}) };
  const post = async (body: object) => (await (await fetch(`${url}/api/webchat/messages`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { sessionId: string; messages: Array<{ text: string }> };
  const { sessionId } = await post({ text: question });
  let last = { messages: [] as Array<{ text: string }> };
  for (const choice of ['take', 'confirm', 'all-ready']) last = await post({ sessionId, choice });
  return last.messages.some((m) => /\b[A-Z]-\d{3}\b/.test(m.text));
}

async function attackAll(url: string, question: string, xff: (i: number) => string | undefined): Promise<{ got: number; ms: number }> {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => attack(url, question, xff(i))));
  return { got: results.filter(Boolean).length, ms: performance.now() - started };
}

interface Scenario {
  name: string;
  /** TRUST_PROXY for the `now` app. */
  trustProxy: string;
  service: { question: string; quota: number };
  viaProxy: boolean;
  xff: (i: number) => string | undefined;
}
const scenarios: Scenario[] = [
  { name: 'one address, fresh sessions', trustProxy: 'false', service: SKCK, viaProxy: false, xff: () => undefined },
  { name: 'own X-Forwarded-For, straight to the app', trustProxy: 'false', service: SKCK, viaProxy: false, xff: (i) => `203.0.113.${i + 1}` },
  { name: 'own X-Forwarded-For, through one proxy', trustProxy: '1', service: SKCK, viaProxy: true, xff: (i) => `203.0.113.${i + 1}` },
  { name: '30 real addresses (botnet), small quota', trustProxy: '1', service: PASSPORT, viaProxy: false, xff: (i) => `198.51.100.${i + 1}` },
];

const rows: string[][] = [];
for (const s of scenarios) {
  const cells: string[] = [];
  let others = '';
  for (const setup of ['before', 'now'] as const) {
    const app = await start(setup, { TRUST_PROXY: s.trustProxy });
    const proxy = s.viaProxy ? await reverseProxy(app.url) : undefined;
    const { got, ms } = await attackAll(proxy?.url ?? app.url, s.service.question, s.xff);
    // After the attack, citizens on the other channels ask for the same service.
    const telegram = await app.chat('telegram', 'tg-citizen', s.service.question);
    const whatsapp = await app.chat('whatsapp-cloud', '6281200000001', s.service.question);
    cells.push(`${got}/${ATTEMPTS} (${(ms / 1000).toFixed(1)} s)`);
    others += `${setup}: ${telegram ? 'yes' : 'NO'}/${whatsapp ? 'yes' : 'NO'}  `;
    proxy?.close();
    await app.stop();
  }
  rows.push([`${s.name} [quota ${s.service.quota}]`, cells[0]!, cells[1]!, others.trim()]);
}
await local?.stop();
console.log(`Attacker: ${ATTEMPTS} fresh web chat sessions at once per scenario, each walking the ticket flow; loopback.`);
console.log('before = no per-address cap, whole quota open to web chat, TRUST_PROXY=true; now = defaults (5 per address per service per day, 50% web share).');
printTable(['scenario', 'tickets before', 'tickets now', 'Telegram/WhatsApp citizen got one after'], rows);
process.exit(0);
