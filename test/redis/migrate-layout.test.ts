import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { citizenSubject } from '../../src/citizen.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { bullPrefixOf } from '../../src/reminders/outbox.js';
import { layoutVersionKey, migrateKeyLayout, type LayoutMigrationReport } from '../../src/redis/migrate-layout.js';
import { scanKeys } from '../../src/redis/scan.js';
import { connectRedis, redisTargetOf } from '../../src/redis/connect.js';
import { startLocalSentinel } from '../../src/redis/local-sentinel.js';
import { onCluster, silentLogger, STAFF_PASSWORD, startTestApp, testPrefix, testRedis, type TestApp } from '../helpers.js';

/**
 * The key names before issue 16, written out from the stores at 073dfea/af9e47b (`git show
 * af9e47b:src/queue/keys.ts` …): each pair is [what a key starts with now, what it started with
 * then]. The test writes data with today's stores, renames every key to these old names (what an
 * existing deployment holds), migrates, and reads it back with today's stores.
 */
function oldName(prefix: string, key: string): string {
  const pairs: Array<[string, string]> = [
    [`${prefix}:{site:main}:q:`, `${prefix}:{q}:`],
    [`${prefix}:{site:main}:bk:`, `${prefix}:{bk}:`],
    [`${prefix}:{site:main}:desk:`, `${prefix}:{desk}:`],
    [`${prefix}:{site:main}:adu:`, `${prefix}:{adu}:`],
    [`${prefix}:{site:main}:incidents:`, `${prefix}:incidents:`],
    [`${prefix}:{site:main}:incident:`, `${prefix}:incident:`],
    [`${prefix}:{staff}:`, `${prefix}:staff:`],
    [`{${prefix}:bull}:`, `${prefix}:bull:`],
  ];
  for (const [now, then] of pairs) if (key.startsWith(now)) return then + key.slice(now.length);
  // A citizen's keys: `<prefix>:sess:{<subject>}` was `<prefix>:sess:<subject>` (pref, rate alike).
  const citizen = new RegExp(`^${prefix}:(sess|pref|rate):\\{([^}]+)\\}(.*)$`).exec(key);
  if (citizen) return `${prefix}:${citizen[1]}:${citizen[2]}${citizen[3]}`;
  return key;
}

/** Every key of the deployment: the prefix's own and BullMQ's. */
async function allKeys(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const match of [`${prefix}:*`, `{${prefix}:bull}:*`]) for await (const keys of scanKeys(redis, match)) out.push(...keys);
  return [...new Set(out)].sort();
}

const citizen = { channel: 'telegram', userKey: 'tg-4242' };
const other = { channel: 'webchat', userKey: 'wc-77' };
const opened: TestApp[] = [];
afterAll(async () => {
  for (const app of opened) await app.close().catch(() => undefined);
});

/** A deployment of the old layout: data written by today's stores, then every key renamed to its old name. */
async function oldDeployment() {
  const redis = testRedis();
  const app = await startTestApp();
  opened.push(app);
  const prefix = app.config.REDIS_PREFIX;
  const account = await app.staff.store.create('budi', STAFF_PASSWORD, 'operator', []);
  const staffSession = await app.staff.sessions.create(account);
  const first = await app.queue.take({ serviceId: 'polri-skck-baru', citizen: other, source: 'chat' });
  const mine = await app.queue.take({ serviceId: 'polri-skck-baru', citizen, source: 'chat' });
  const now = app.queue.today();
  await app.bookings.book({
    id: 'bookingmig1', code: 'K7M2P9', serviceId: 'polri-skck-baru', day: '2026-11-30', slot: '09:00', slotMinutes: 30, capacity: 4,
    citizen, today: now, now: Date.parse('2026-11-23T02:00:00Z'), bookingTtlSec: 30 * 86_400, dayTtlSec: 30 * 86_400,
  });
  const complaint = await app.complaints.create({ what: 'Antre 3 jam di loket SKCK', category: 'pelayanan_lambat', agencyId: 'polri', anonymous: false }, { citizen, locale: 'id' });
  const desk = await app.desk.open({ citizen: other, locale: 'id', text: 'halo, mau tanya' });
  const subject = citizenSubject(citizen.channel, citizen.userKey);
  const sessions = new SessionStore(redis, prefix, 30 * 60_000);
  await sessions.save(subject, { ...(await sessions.load(subject, Date.now())).session, state: 'menu' }, Date.now());
  await sessions.setLocale(subject, 'en');
  await app.close();
  opened.splice(opened.indexOf(app), 1);

  // Rename today's names to the old ones (what the deployment held before the upgrade).
  const renamed: Record<string, number> = {};
  for (const key of await allKeys(redis, prefix)) {
    const old = oldName(prefix, key);
    if (old === key) continue;
    await redis.rename(key, old);
    renamed[old.slice(prefix.length).split(':')[1]!] = (renamed[old.slice(prefix.length).split(':')[1]!] ?? 0) + 1;
  }
  // A reminder due in 1.5 s and one waiting, queued by the old code under the old BullMQ prefix.
  const oldQueue = new Queue('notify-test', { connection: redis.duplicate(), prefix: `${prefix}:bull` });
  await oldQueue.add('near', { ticketId: mine.ticket.id, n: 1 }, { jobId: 'near-1', delay: 1500 });
  await oldQueue.add('called', { ticketId: first.ticket.id, n: 1 }, { jobId: 'called-1' });
  await oldQueue.close();
  await oldQueue.disconnect();
  return { redis, prefix, staffSession, first, mine, complaint, desk, subject, renamed };
}

const total = (r: LayoutMigrationReport, field: 'moved' | 'merged' | 'conflicts') => Object.values(r.stores).reduce((n, s) => n + s[field], 0);

describe.skipIf(onCluster)('key layout migration (issue 16 hash tags)', () => {
  it('moves an old deployment to the new names: staff sign in, the booking, complaint, desk, ticket position, session and a delayed reminder survive; a crash halfway and a rerun finish it, a third run does nothing', async () => {
    const old = await oldDeployment();
    const { redis, prefix } = old;
    // The old deployment really is old: every store wrote keys, none under a new tag.
    expect(Object.keys(old.renamed).sort()).toEqual(expect.arrayContaining(['{q}', '{bk}', '{adu}', '{desk}', 'staff', 'sess', 'pref', 'bull']));
    const before = await allKeys(redis, prefix);
    expect(before.filter((k) => k.includes('{site:') || k.includes('{staff}') || k.startsWith('{'))).toEqual([]);
    const ttlBefore = await redis.pttl(`${prefix}:{bk}:booking:bookingmig1`);
    expect(ttlBefore).toBeGreaterThan(0);

    // Dry run: counts only, changes nothing.
    const dry = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger, dryRun: true });
    expect(dry.status).toBe('dry-run');
    expect(total(dry, 'moved')).toBeGreaterThan(20);
    expect(total(dry, 'merged') + total(dry, 'conflicts')).toBe(0);
    expect(await allKeys(redis, prefix)).toEqual(before);

    // A crash after 7 moves: the layout is not marked, a rerun finishes, a third run is a no-op.
    const partial = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger, maxMoves: 7 });
    expect(partial.status).toBe('partial');
    expect(total(partial, 'moved')).toBe(7);
    expect(await redis.get(layoutVersionKey(prefix))).toBeNull();
    const rest = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger });
    expect(rest.status).toBe('done');
    expect(total(rest, 'moved') + 7).toBe(total(dry, 'moved'));
    expect(total(rest, 'conflicts')).toBe(0);
    expect(await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger })).toEqual({ status: 'current', stores: {} });

    // Nothing is left under an old name; the TTL came along.
    const after = await allKeys(redis, prefix);
    expect(after.filter((k) => oldName(prefix, k) === k && !k.startsWith(`${prefix}:layout-version`) && !/^[^:]+:(pseudonym-secret|webchat:|notify:failed|idem-fp:|iplimit:|\{track\}:|\{pickup\}:)/.test(k))).toEqual([]);
    expect(after).toHaveLength(before.length + 1);
    const ttlAfter = await redis.pttl(`${prefix}:{site:main}:bk:booking:bookingmig1`);
    expect(ttlAfter).toBeGreaterThan(ttlBefore - 60_000);

    // Today's code reads it all back.
    const app = await startTestApp({ REDIS_PREFIX: prefix });
    opened.push(app);
    expect((await app.staff.store.verify('budi', STAFF_PASSWORD))?.role).toBe('operator');
    expect(await app.staff.store.verify('budi', 'wrong password here')).toBeUndefined();
    expect((await app.staff.store.list()).map((a) => a.username)).toEqual(['budi']);
    expect((await app.staff.sessions.get(old.staffSession.id))?.username).toBe('budi');
    const booking = await app.bookings.byCode('k7m2p9');
    expect(booking).toMatchObject({ id: 'bookingmig1', day: '2026-11-30', slot: '09:00' });
    expect((await app.bookings.ofCitizen(citizen.channel, citizen.userKey)).map((b) => b.id)).toEqual(['bookingmig1']);
    expect((await app.complaints.get(old.complaint.reference))?.what).toBe('Antre 3 jam di loket SKCK');
    expect((await app.complaints.open()).map((c) => c.reference)).toContain(old.complaint.reference);
    expect((await app.desk.activeFor(other))?.id).toBe(old.desk.handover.id);
    const [ticket] = await app.queue.activeTickets(citizen.channel, citizen.userKey);
    expect(ticket).toMatchObject({ id: old.mine.ticket.id, number: old.mine.ticket.number, position: 2 });
    // The line goes on: the next ticket follows the old ones.
    const next = await app.queue.take({ serviceId: 'polri-skck-baru', citizen: { channel: 'webchat', userKey: 'wc-new' }, source: 'chat' });
    expect(next.ticket.position).toBe(3);
    expect(next.ticket.number).not.toBe(old.mine.ticket.number);
    const session = await new SessionStore(redis, prefix, 30 * 60_000).load(old.subject, Date.now(), { countRate: false });
    expect(session).toMatchObject({ existing: true, session: { state: 'menu', locale: 'en' } });

    // The reminders queued under the old BullMQ prefix fire on the new one, the delayed one on time.
    expect(bullPrefixOf(prefix)).toBe(`{${prefix}:bull}`);
    const fired: Array<{ id: string; at: number }> = [];
    const queuedAt = Date.now();
    const worker = new Worker('notify-test', (job) => Promise.resolve(void fired.push({ id: job.id!, at: Date.now() })), { connection: testRedis('blocking'), prefix: bullPrefixOf(prefix) });
    try {
      await expect.poll(() => fired.map((f) => f.id).sort(), { timeout: 8000 }).toEqual(['called-1', 'near-1']);
    } finally {
      await worker.close();
    }
    expect(fired.find((f) => f.id === 'called-1')!.at - queuedAt).toBeLessThan(1500);
  });

  it('merges index sets with a layout already in use (staff created again), never overwrites an account, and reports the conflict', async () => {
    const redis = testRedis();
    const prefix = testPrefix();
    const app = await startTestApp({ REDIS_PREFIX: prefix });
    opened.push(app);
    // After an upgrade without migration, "siti" was created again and "budi" too (new password).
    await app.staff.store.create('siti', STAFF_PASSWORD, 'admin', []);
    await app.staff.store.create('budi', 'a brand new password 9', 'counter', []);
    // The old layout still holds "budi" (old password) and "ani".
    for (const [name, role] of [['budi', 'operator'], ['ani', 'helpdesk']] as const) {
      const created = await app.staff.store.create(`${name}x`, STAFF_PASSWORD, role, []);
      const hash = await redis.hgetall(`${prefix}:{staff}:user:${created.username}`);
      await redis.del(`${prefix}:{staff}:user:${created.username}`);
      await redis.srem(`${prefix}:{staff}:users`, created.username);
      await redis.hset(`${prefix}:staff:user:${name}`, { ...hash, username: name });
      await redis.sadd(`${prefix}:staff:users`, name);
    }
    const dry = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger, dryRun: true });
    expect(dry.stores.staff).toEqual({ moved: 1, merged: 1, conflicts: 1 });
    const report = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger });
    expect(report.status).toBe('done');
    expect(report.stores.staff).toEqual({ moved: 1, merged: 1, conflicts: 1 });
    expect((await app.staff.store.list()).map((a) => a.username).sort()).toEqual(['ani', 'budi', 'siti']);
    expect((await app.staff.store.verify('ani', STAFF_PASSWORD))?.role).toBe('helpdesk');
    // The account made after the upgrade wins; the old one stays in Redis, untouched.
    expect((await app.staff.store.verify('budi', 'a brand new password 9'))?.role).toBe('counter');
    expect(await redis.hget(`${prefix}:staff:user:budi`, 'role')).toBe('operator');
  });

  it('lets one process migrate while another waits for it, and a site other than main gets its own tag', async () => {
    const redis = testRedis();
    const prefix = testPrefix();
    for (let i = 0; i < 300; i++) await redis.set(`${prefix}:{q}:ticket:t${i}`, 'x', 'EX', 3600);
    await redis.hset(`${prefix}:incident:inc1`, 'x', '1');
    await redis.zadd(`${prefix}:incidents:2026-11-23`, 1, 'inc1');
    const runs = await Promise.all([0, 1, 2].map(() => migrateKeyLayout(testRedis(), { prefix, site: 'kota-contoh', logger: silentLogger })));
    expect(runs.map((r) => r.status).sort()).toEqual(['current', 'current', 'done']);
    const done = runs.find((r) => r.status === 'done')!;
    expect(done.stores.queue?.moved).toBe(300);
    expect(done.stores.incidents?.moved).toBe(2);
    expect(await redis.exists(`${prefix}:{site:kota-contoh}:q:ticket:t299`, `${prefix}:{site:kota-contoh}:incident:inc1`, `${prefix}:{site:kota-contoh}:incidents:2026-11-23`)).toBe(3);
    expect(await redis.exists(`${prefix}:{q}:ticket:t299`)).toBe(0);
    // A migrator that died holding the lock: its lock expires and the next start migrates.
    const other = testPrefix();
    await redis.set(`${other}:lock:layout-migration`, 'dead', 'PX', 300);
    await redis.set(`${other}:staff:users`, 'x');
    const late = await migrateKeyLayout(redis, { prefix: other, site: 'main', logger: silentLogger, lockTtlMs: 300 });
    expect(late.status).toBe('done');
    expect(await redis.get(`${other}:{staff}:users`)).toBe('x');
  });

  it('runs the same through Sentinel (the master answers the renames)', async () => {
    const sentinel = await startLocalSentinel();
    const redis = connectRedis(redisTargetOf({ REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name })!, silentLogger);
    try {
      const prefix = testPrefix();
      await redis.set(`${prefix}:{bk}:code:K7M2P9`, 'bookingmig1', 'EX', 86_400);
      await redis.sadd(`${prefix}:staff:users`, 'budi');
      const report = await migrateKeyLayout(redis, { prefix, site: 'main', logger: silentLogger });
      expect(report.status).toBe('done');
      expect(report.stores.bookings?.moved).toBe(1);
      expect(await redis.get(`${prefix}:{site:main}:bk:code:K7M2P9`)).toBe('bookingmig1');
      expect(await redis.ttl(`${prefix}:{site:main}:bk:code:K7M2P9`)).toBeGreaterThan(86_000);
      expect(await redis.smembers(`${prefix}:{staff}:users`)).toEqual(['budi']);
    } finally {
      redis.disconnect();
      await sentinel.stop();
    }
  }, 60_000);
});
