import type { ClientFactory } from '../../src/channels/whatsapp-web/index.js';
import { ManualClock, type Clock } from '../../src/clock.js';
import { MONDAY_9AM, startTestApp, type TestApp } from '../helpers.js';

export { until } from '../helpers.js';

/**
 * The whole app as `startTestApp` builds it, plus a whatsapp-web.js client factory (the shared
 * fake or the real library), so WhatsApp tests run through compose, staff sign-in and /readyz.
 */
export function startWhatsAppApp(env: Record<string, string>, clientFactory?: ClientFactory, clock: Clock = new ManualClock(MONDAY_9AM)): Promise<TestApp> {
  return startTestApp({ HTTP_RATE_PER_MINUTE: '10000', ...env }, clock, clientFactory ? { whatsappWebClientFactory: clientFactory } : {});
}

