import { describe, expect, it } from 'vitest';
import { OwnerLock } from '../../src/redis/owner-lock.js';
import { silentLogger, testPrefix, testRedis } from '../helpers.js';

describe('owner lock', () => {
  it('lets one process own the WhatsApp session; a standby takes over when the owner dies, or at once when it lets go', async () => {
    const key = `${testPrefix()}:lock:whatsapp-web`;
    const events: string[] = [];
    const a = new OwnerLock(testRedis(), key, 300, silentLogger);
    const b = new OwnerLock(testRedis(), key, 300, silentLogger);
    await a.run({ onAcquired: () => Promise.resolve(void events.push('a+')), onLost: () => Promise.resolve(void events.push('a-')) });
    await b.run({ onAcquired: () => Promise.resolve(void events.push('b+')), onLost: () => Promise.resolve(void events.push('b-')) });
    await new Promise((r) => setTimeout(r, 500));
    expect(a.isOwner).toBe(true);
    expect(b.isOwner).toBe(false);
    // The owner "dies": it stops renewing without releasing.
    (a as unknown as { stopped: boolean }).stopped = true;
    clearTimeout((a as unknown as { timer: NodeJS.Timeout }).timer);
    await new Promise((r) => setTimeout(r, 800));
    expect(b.isOwner).toBe(true);
    expect(events).toEqual(['a+', 'b+']);
    await b.release();
    expect(await testRedis().get(key)).toBeNull();
  });
});
