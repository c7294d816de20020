import { describe, expect, it } from 'vitest';
import { PushHub } from '../../src/channels/webchat/push-hub.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { RetentionSweep } from '../../src/privacy/retention.js';
import { QueueKeys } from '../../src/queue/keys.js';
import { testQueue, testRedis } from '../helpers.js';

describe('retention sweep', () => {
  it('gives personal keys that lost their expiry a TTL again, trims old events, and leaves aggregates alone', async () => {
    const redis = testRedis();
    const { queue, prefix } = await testQueue({ redis, policy: { retentionDays: 30 } });
    const keys = new QueueKeys(prefix);
    const sessions = new SessionStore(redis, prefix, 30 * 60_000);
    const hub = new PushHub(redis, testRedis(), prefix);
    await redis.hset(keys.ticket('tkabc123'), 'to', '62812@c.us');
    await redis.set(`${prefix}:sess:{abc}`, '{}');
    await redis.hset(keys.stats('djp-npwp', '2026-11-23'), 'issued', 5);
    const old = Date.now() - 3 * 86_400_000;
    await redis.xadd(queue.eventStream, `${old}-0`, 'type', 'issued');
    await redis.xadd(queue.eventStream, '*', 'type', 'called');
    const result = await new RetentionSweep(redis, [queue, sessions, hub]).run();
    expect(result.expiryRestored).toBe(2);
    expect(await redis.ttl(keys.ticket('tkabc123'))).toBeGreaterThan(29 * 86_400);
    expect(await redis.ttl(`${prefix}:sess:{abc}`)).toBeLessThanOrEqual(1800);
    expect(await redis.ttl(keys.stats('djp-npwp', '2026-11-23'))).toBe(-1);
    expect(result.trimmed).toBe(1);
    expect(await redis.xlen(queue.eventStream)).toBe(1);
  });

  it("covers every personal key the queue writes for a citizen's ticket (rules come from the queue's own key builder)", async () => {
    const redis = testRedis();
    const { queue, prefix } = await testQueue({ redis });
    const keys = new QueueKeys(prefix);
    const { ticket } = await queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'test', userKey: 'warga-1' }, source: 'test' });
    const personal = [keys.ticket(ticket.id), keys.citizenTickets(ticket.subject), keys.citizen(ticket.subject, ticket.day)];
    for (const key of personal) expect(await redis.persist(key)).toBe(1);
    const result = await new RetentionSweep(redis, [queue]).run();
    expect(result.expiryRestored).toBe(personal.length);
    for (const key of personal) expect(await redis.ttl(key)).toBeGreaterThan(0);
  });
});
