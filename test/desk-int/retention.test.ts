import { describe, expect, it } from 'vitest';
import { ComplaintStore } from '../../src/complaints/store.js';
import { RetentionSweep } from '../../src/privacy/retention.js';
import { calendar, slow } from '../complaints/support.js';
import { citizen, testDesk } from '../desk/support.js';
import { ComplaintKeys } from '../../src/complaints/keys.js';
import { DeskKeys } from '../../src/desk/keys.js';

describe('retention of desk conversations and complaint texts', () => {
  it("gives every key with a citizen's words or address its expiry back, and leaves the figures alone", async () => {
    const { desk, redis, prefix, clock } = await testDesk();
    const complaints = new ComplaintStore(redis, prefix, clock, calendar);
    await desk.open({ citizen: citizen('ret-1'), locale: 'id', text: 'mau tanya petugas' });
    await complaints.create(slow, { citizen: citizen('ret-1'), locale: 'id' });
    const personal = [...(await redis.keys(`${new DeskKeys(prefix).base}:*`)), ...(await redis.keys(`${new ComplaintKeys(prefix).base}:*`))].filter((k) => /:(conv|msgs|held|cit|text|to):/.test(k));
    expect(personal.length).toBeGreaterThanOrEqual(6);
    for (const key of personal) await redis.persist(key);
    const stats = (await redis.keys(`${new ComplaintKeys(prefix).base}:stats:*`))[0]!;
    await redis.persist(stats);

    await new RetentionSweep(redis, [{ retention: () => desk.retention() }, complaints]).run();
    for (const key of personal) expect(await redis.ttl(key), key).toBeGreaterThan(29 * 86_400);
    expect(await redis.ttl(stats)).toBe(-1);
  });
});
