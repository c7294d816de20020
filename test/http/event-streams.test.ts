import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, testRedis, type TestApp } from '../helpers.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function newSession(a: TestApp): Promise<string> {
  const res = await fetch(`${a.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'halo' }) });
  return ((await res.json()) as { sessionId: string }).sessionId;
}

/** Polls a condition the server reaches after a client went away (its `close` event). */
async function eventually(check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

const open = (a: TestApp, path: string) => {
  const controller = new AbortController();
  return { controller, response: fetch(a.url + path, { signal: controller.signal }) };
};

describe('web chat event stream', () => {
  it('frees the listener, timer and subscription of a page that leaves while it is being subscribed', async () => {
    app = await startTestApp();
    const a = app;
    const sessionId = await newSession(a);
    const key = sessionId.split('.')[0]!;
    // Hold the subscription until the page has gone: the close arrives during the await.
    const listen = a.hub.listen.bind(a.hub);
    let letGo!: () => void;
    const gone = new Promise<void>((resolve) => (letGo = resolve));
    let entered!: () => void;
    const subscribing = new Promise<void>((resolve) => (entered = resolve));
    a.hub.listen = async (...args) => {
      entered();
      await gone;
      return listen(...args);
    };
    const stream = open(a, `/api/webchat/events?sessionId=${encodeURIComponent(sessionId)}`);
    await subscribing;
    stream.controller.abort();
    await stream.response.catch(() => undefined);
    // The server has seen the close once the request's socket is gone.
    await new Promise((resolve) => setTimeout(resolve, 50));
    letGo();
    const channel = `${a.config.REDIS_PREFIX}:webchat:push:${key}`;
    const freed = await eventually(async () => a.hub.openStreams === 0 && Number(((await testRedis().pubsub('NUMSUB', channel)) as [string, number])[1]) === 0);
    expect(a.hub.openStreams).toBe(0);
    expect(freed).toBe(true);
  });

  it('caps streams per session and per address with a 429 JSON error, and frees the place when one closes', async () => {
    app = await startTestApp({ SSE_STREAMS_PER_SESSION: '2', SSE_STREAMS_PER_ADDRESS: '3' });
    const a = app;
    const first = await newSession(a);
    const path = (s: string) => `/api/webchat/events?sessionId=${encodeURIComponent(s)}`;
    const tabs = [open(a, path(first)), open(a, path(first))];
    for (const t of tabs) expect((await t.response).status).toBe(200);
    const third = await fetch(a.url + path(first));
    expect(third.status).toBe(429);
    expect(await third.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('event streams') } });

    const other = open(a, path(await newSession(a)));
    expect((await other.response).status).toBe(200);
    const overAddress = await fetch(a.url + path(await newSession(a)));
    expect(overAddress.status).toBe(429);

    tabs[0]!.controller.abort();
    expect(await eventually(() => a.hub.openStreams === 2)).toBe(true);
    const again = open(a, path(first));
    expect((await again.response).status).toBe(200);
    for (const s of [tabs[1]!, other, again]) s.controller.abort();
  });
});

describe('board event stream', () => {
  it('caps open board streams per address with a 429 JSON error', async () => {
    app = await startTestApp({ SSE_STREAMS_PER_ADDRESS: '2' });
    const a = app;
    const screens = [open(a, '/board/events'), open(a, '/board/events')];
    for (const s of screens) expect((await s.response).status).toBe(200);
    const third = await fetch(`${a.url}/board/events`);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    screens[0]!.controller.abort();
    expect(await eventually(() => a.board.openStreams === 1)).toBe(true);
    const again = open(a, '/board/events');
    expect((await again.response).status).toBe(200);
    for (const s of [screens[1]!, again]) s.controller.abort();
  });
});
