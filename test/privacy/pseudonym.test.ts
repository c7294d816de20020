import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { citizenSubject, loadPseudonymKey, pseudonym, usePseudonymKey } from '../../src/citizen.js';
import { loadConfig } from '../../src/config.js';
import { CloudStore } from '../../src/channels/whatsapp-cloud/store.js';
import { SeenStore } from '../../src/channels/whatsapp-web/seen.js';
import { allText, startTestApp, testPrefix, testRedis } from '../helpers.js';

const PHONE = '6281234567890';
const TEST_KEY = 'test-pseudonym-secret-of-at-least-32-chars';

describe('pseudonyms', () => {
  it('are keyed: an unsalted hash of a phone number does not give them, and another secret gives others', () => {
    usePseudonymKey(TEST_KEY);
    const tag = pseudonym(PHONE);
    const subject = citizenSubject('whatsapp-cloud', PHONE);
    expect(tag).not.toBe(createHash('sha256').update('mpp-log:' + PHONE).digest('hex').slice(0, 12));
    expect(subject).not.toBe(createHash('sha256').update(`whatsapp-cloud\u0000${PHONE}`).digest('base64url').slice(0, 22));
    usePseudonymKey('another-secret-of-at-least-32-characters!');
    expect(pseudonym(PHONE)).not.toBe(tag);
    expect(citizenSubject('whatsapp-cloud', PHONE)).not.toBe(subject);
    usePseudonymKey(TEST_KEY);
    expect(pseudonym(PHONE)).toBe(tag);
  });

  it('without PSEUDONYM_SECRET, every process gets the one secret generated and kept in Redis', async () => {
    const prefix = testPrefix();
    const secrets = await Promise.all(Array.from({ length: 5 }, () => loadPseudonymKey(testRedis(), prefix)));
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]!.length).toBeGreaterThanOrEqual(32);
  });

  it('PSEUDONYM_SECRET is validated: at least 32 characters', () => {
    expect(() => loadConfig({ PSEUDONYM_SECRET: 'short' })).toThrow(/PSEUDONYM_SECRET/);
    expect(loadConfig({ PSEUDONYM_SECRET: TEST_KEY }).PSEUDONYM_SECRET).toBe(TEST_KEY);
  });

  it('"hapus data saya" erases the WhatsApp "wrote first" marker and the 24-hour-window record', async () => {
    const app = await startTestApp({ PSEUDONYM_SECRET: TEST_KEY });
    try {
      const cloud = new CloudStore(testRedis(), app.config.REDIS_PREFIX);
      const seen = new SeenStore(testRedis(), app.config.REDIS_PREFIX);
      await cloud.recordInbound(PHONE, { at: Date.now(), locale: 'id' });
      await seen.markSeen(`${PHONE}@c.us`, 'id');
      for (const [channel, userKey] of [['whatsapp-cloud', PHONE], ['whatsapp-web', `${PHONE}@c.us`]] as const) {
        await app.engine.handle({ channel, userKey, text: 'hapus data saya' });
        expect(allText(await app.engine.handle({ channel, userKey, choice: 'forget-yes' }))).toBeTruthy();
      }
      expect(await cloud.lastInbound(PHONE)).toBeUndefined();
      expect(await seen.lastLocale(`${PHONE}@c.us`)).toBeUndefined();
    } finally {
      await app.close();
      usePseudonymKey(TEST_KEY);
    }
  });
});
