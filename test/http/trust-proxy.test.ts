import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ TRUST_PROXY: '1', HTTP_RATE_PER_MINUTE: '3' });
});
afterAll(async () => {
  await app.close();
});

describe('behind one reverse proxy (TRUST_PROXY=1)', () => {
  it('takes the address the proxy appended, so a client cannot dodge the IP limit with its own X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // What nginx forwards: the client's own header, then the address nginx saw.
      const res = await fetch(`${app.url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}, 198.51.100.7` },
        body: JSON.stringify({ text: 'halo' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
  });
});
