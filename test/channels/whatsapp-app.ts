import type { AddressInfo } from 'node:net';
import type { ClientFactory } from '../../src/channels/whatsapp-web/index.js';
import { ManualClock, type Clock } from '../../src/clock.js';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { MONDAY_9AM, silentLogger, testPrefix, testRedis, type TestApp } from '../helpers.js';

/**
 * The whole app as `startTestApp` builds it, plus a whatsapp-web.js client factory (the shared
 * fake or the real library), so WhatsApp tests run through compose, staff sign-in and /readyz.
 */
export async function startWhatsAppApp(env: Record<string, string>, clientFactory?: ClientFactory, clock: Clock = new ManualClock(MONDAY_9AM)): Promise<TestApp> {
  const config = loadConfig({ REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent', HTTP_RATE_PER_MINUTE: '10000', ...env });
  const composition = await compose({
    config,
    redisUrl: process.env.REDIS_URL!,
    redis: testRedis(),
    subscriber: testRedis(),
    logger: silentLogger,
    clock,
    ...(clientFactory ? { whatsappWebClientFactory: clientFactory } : {}),
  });
  const server = composition.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    ...composition,
    config,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await composition.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** Polls until `check` holds (events cross Redis and timers); fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
