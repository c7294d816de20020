import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { composeWorker } from '../../src/compose/worker.js';
import { loadConfig } from '../../src/config.js';
import { MONDAY_9AM, silentLogger, testPrefix, testRedis } from '../helpers.js';

describe('composeWorker (npm run worker)', () => {
  it('wires reminders and the nightly sweep without an Express app or the WhatsApp Web session', async () => {
    const config = loadConfig({ REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent', WHATSAPP_WEB_ENABLED: 'true' });
    const worker = await composeWorker({ config, redisUrl: process.env.REDIS_URL!, redis: testRedis(), subscriber: testRedis(), logger: silentLogger, clock: new ManualClock(MONDAY_9AM) });
    try {
      expect(Object.keys(worker).sort()).toEqual(['close', 'maintenance', 'notifiers', 'pickupRecorder', 'reminders']);
      // WhatsApp Web notices stay with the process that owns the phone: the worker never holds that channel.
      expect(worker.notifiers.channels()).toEqual(['webchat']);
    } finally {
      await worker.close();
    }
  });
});
