import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { citizenKey, groupBase, siteBase } from './keyspace.js';
import { isCluster, scanKeys } from './scan.js';

/**
 * One-time move of the keys written before the hash-tag layout (issue 16) to their new names.
 *
 * Before that change the app ran on one Redis server (or a Sentinel master) only, so old-layout
 * keys exist there and nowhere else; each key is moved with one atomic script (RENAME keeps the
 * value and the TTL), so a crash leaves every key either old or new and a rerun finishes the rest.
 * Only ids are stored in values (no value holds a key name), BullMQ's included: its job hashes,
 * lists and sorted sets name jobs by id under the queue's prefix, so renaming the prefix of every
 * key of a queue keeps it whole (a delayed job fires after the move; see the test).
 *
 * The old names are written here as data: the stores that built them no longer exist.
 */

/** The layout the keys follow since issue 16 (absent: the old layout, or a fresh deployment). */
export const KEY_LAYOUT_VERSION = '2';

/** Where the layout version is recorded (deployment-wide, no TTL). */
export function layoutVersionKey(prefix: string): string {
  return `${prefix}:layout-version`;
}

/** Only one process migrates; the others wait for the version key. */
export function layoutLockKey(prefix: string): string {
  return `${prefix}:lock:layout-migration`;
}

/** One store's old keys: the new name of a key (undefined: not this store's, or new already). */
export interface LayoutRule {
  store: string;
  rename: (key: string) => string | undefined;
}

/** Escapes SCAN glob characters in a literal part of a pattern. */
function glob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Keys starting with `from` get `to` instead of it. */
function movePrefix(store: string, from: string, to: string): LayoutRule {
  return { store, rename: (key) => (key.startsWith(from) ? to + key.slice(from.length) : undefined) };
}

/** A citizen's key `<prefix>:<store>:<subject>[:<rest>]` -> `<prefix>:<store>:{<subject>}[:<rest>]`. */
function citizenRule(prefix: string, store: string, withMinute: boolean): LayoutRule {
  const head = `${prefix}:${store}:`;
  const shape = withMinute ? /^([^{}:]+):(\d+)$/ : /^([^{}:]+)$/;
  return {
    store: 'sessions',
    rename: (key) => {
      if (!key.startsWith(head)) return undefined;
      const m = shape.exec(key.slice(head.length));
      if (!m) return undefined;
      return withMinute ? `${citizenKey(prefix, store, m[1]!)}:${m[2]!}` : citizenKey(prefix, store, m[1]!);
    },
  };
}

/**
 * Every store whose key names changed, old -> new (compared at the last main before the change,
 * af9e47b, whose stores include those of 073dfea):
 *
 * | store | old | new |
 * |---|---|---|
 * | queue, survey, counters, visits | `P:{q}:…` | `P:{site:S}:q:…` |
 * | bookings | `P:{bk}:…` | `P:{site:S}:bk:…` |
 * | desk | `P:{desk}:…` | `P:{site:S}:desk:…` |
 * | complaints | `P:{adu}:…` | `P:{site:S}:adu:…` |
 * | incidents | `P:incident:<id>[:told|:n|:updates|:resolved|:unreached]`, `P:incidents:<day>` | `P:{site:S}:incident:…`, `P:{site:S}:incidents:<day>` |
 * | staff | `P:staff:…` (user:, users, session:, user-sessions:, login-fail:) | `P:{staff}:…` |
 * | sessions | `P:sess:<subject>`, `P:pref:<subject>`, `P:rate:<subject>:<minute>` | `P:sess:{<subject>}`, `P:pref:{<subject>}`, `P:rate:{<subject>}:<minute>` |
 * | BullMQ (reminders, maintenance) | `P:bull:…` | `{P:bull}:…` |
 *
 * Unchanged (no move): pickup `{pickup}`, tracking `{track}`, webchat, channel dedup, idempotency,
 * rate limits by address, `notify:failed`, the pseudonym secret, locks.
 */
export function layoutRules(prefix: string, site: string): LayoutRule[] {
  const tagged = (store: string, tag: string, name: string) => movePrefix(store, `${prefix}:{${tag}}:`, `${siteBase(prefix, site, name)}:`);
  return [
    tagged('queue', 'q', 'q'),
    tagged('bookings', 'bk', 'bk'),
    tagged('desk', 'desk', 'desk'),
    tagged('complaints', 'adu', 'adu'),
    movePrefix('incidents', `${prefix}:incident:`, `${siteBase(prefix, site, 'incident')}:`),
    movePrefix('incidents', `${prefix}:incidents:`, `${siteBase(prefix, site, 'incident')}s:`),
    movePrefix('staff', `${prefix}:staff:`, `${groupBase(prefix, 'staff')}:`),
    citizenRule(prefix, 'sess', false),
    citizenRule(prefix, 'pref', false),
    citizenRule(prefix, 'rate', true),
    // bullPrefixOf (src/reminders/outbox.ts): the whole BullMQ prefix is one hash tag.
    movePrefix('bullmq', `${prefix}:bull:`, `{${prefix}:bull}:`),
  ];
}

/** Every old key starts with `<prefix>:` (BullMQ's old prefix too): one SCAN walks them all. */
function oldKeys(prefix: string): string {
  return `${glob(prefix)}:*`;
}

/** The first rule that renames the key, and the new name. */
function target(rules: LayoutRule[], key: string): { store: string; to: string } | undefined {
  for (const rule of rules) {
    const to = rule.rename(key);
    if (to) return { store: rule.store, to };
  }
  return undefined;
}

/**
 * Moves one key: RENAME when the new name is free (value and TTL kept). When both exist (the new
 * layout already ran, e.g. staff created again), index sets and sorted sets are merged, keeping the
 * longer TTL; any other key is left where it is ('conflict': never overwritten, never deleted).
 */
const MOVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  return 'moved'
end
local t = redis.call('TYPE', KEYS[1])['ok']
if t ~= redis.call('TYPE', KEYS[2])['ok'] or (t ~= 'set' and t ~= 'zset') then return 'conflict' end
local a = redis.call('PTTL', KEYS[2])
local b = redis.call('PTTL', KEYS[1])
if t == 'set' then
  redis.call('SUNIONSTORE', KEYS[2], KEYS[2], KEYS[1])
else
  redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], KEYS[1], 'AGGREGATE', 'MAX')
end
if a > 0 and b > 0 then redis.call('PEXPIRE', KEYS[2], math.max(a, b)) end
redis.call('DEL', KEYS[1])
return 'merged'`;

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface StoreCounts {
  moved: number;
  merged: number;
  conflicts: number;
}

export interface LayoutMigrationReport {
  /** done: migrated now; current: ran before (or another process did it); dry-run: counted only; partial: stopped at maxMoves; cluster: not run. */
  status: 'done' | 'current' | 'dry-run' | 'partial' | 'cluster';
  /** Per store (counts only, never a key name: names hold usernames and pseudonyms). */
  stores: Record<string, StoreCounts>;
}

export interface LayoutMigrationOptions {
  prefix: string;
  /** The MPP site (content/mpp.yaml `site`). */
  site: string;
  logger: Logger;
  /** Counts what would move without changing anything. */
  dryRun?: boolean;
  /** Stops after this many moves without marking the layout current (a batch; a rerun goes on). */
  maxMoves?: number;
  /** The lock's TTL, renewed while migrating (default 30 s): a crashed migrator's lock expires. */
  lockTtlMs?: number;
  /**
   * How long a process waits for another one's migration (default: as long as it takes; the
   * migrator renews its lock as it goes, so a dead or stuck one's lock expires and this one takes over).
   */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Brings the keys to the current layout once, before any store is used. Safe to call from every
 * process at start: one takes the lock and migrates, the others wait until the version key says
 * the layout is current.
 */
export async function migrateKeyLayout(redis: Redis, opts: LayoutMigrationOptions): Promise<LayoutMigrationReport> {
  const { prefix, logger } = opts;
  const versionKey = layoutVersionKey(prefix);
  if ((await redis.get(versionKey)) === KEY_LAYOUT_VERSION) return { status: 'current', stores: {} };
  const rules = layoutRules(prefix, opts.site);

  if (opts.dryRun) {
    const stores = await plan(redis, prefix, rules);
    logger.info({ stores }, 'key layout migration (dry run): keys that would move');
    return { status: 'dry-run', stores };
  }

  if (isCluster(redis)) {
    // The old layout could only run on one server: a cluster holds no old keys, unless copied in.
    const stores = await plan(redis, prefix, rules);
    const old = Object.values(stores).reduce((n, s) => n + s.moved + s.merged + s.conflicts, 0);
    if (old === 0) await redis.set(versionKey, KEY_LAYOUT_VERSION);
    else logger.warn({ stores }, 'old-layout keys found on a Redis Cluster: run the migration on the single server before moving the data to the cluster');
    return { status: 'cluster', stores };
  }

  const lockKey = layoutLockKey(prefix);
  const ttl = opts.lockTtlMs ?? 30_000;
  const id = randomBytes(8).toString('hex');
  const deadline = Date.now() + (opts.waitMs ?? Infinity);
  let waited = false;
  while ((await redis.set(lockKey, id, 'PX', ttl, 'NX')) !== 'OK') {
    if (!waited) logger.info('another process is migrating the key layout: waiting');
    waited = true;
    if (Date.now() > deadline) throw new Error('the key layout migration of another process did not finish in time');
    await sleep(Math.min(500, ttl / 3));
    if ((await redis.get(versionKey)) === KEY_LAYOUT_VERSION) return { status: 'current', stores: {} };
  }
  try {
    if ((await redis.get(versionKey)) === KEY_LAYOUT_VERSION) return { status: 'current', stores: {} };
    const renew = async () => {
      if (Number(await redis.eval(RENEW, 1, lockKey, id, ttl)) !== 1) throw new Error('lost the key layout migration lock');
    };
    const { stores, complete } = await migrate(redis, prefix, rules, renew, opts.maxMoves ?? Infinity);
    if (!complete) {
      logger.warn({ stores }, 'key layout migration stopped before the end (maxMoves): run it again');
      return { status: 'partial', stores };
    }
    await redis.set(versionKey, KEY_LAYOUT_VERSION);
    logger.info({ stores }, 'key layout migrated');
    return { status: 'done', stores };
  } finally {
    await redis.eval(RELEASE, 1, lockKey, id).catch(() => undefined);
  }
}

function counts(stores: Record<string, StoreCounts>, store: string): StoreCounts {
  return (stores[store] ??= { moved: 0, merged: 0, conflicts: 0 });
}

/** What a migration would do now, per store. */
async function plan(redis: Redis, prefix: string, rules: LayoutRule[]): Promise<Record<string, StoreCounts>> {
  const stores: Record<string, StoreCounts> = Object.fromEntries(rules.map((r) => [r.store, { moved: 0, merged: 0, conflicts: 0 }]));
  for await (const keys of scanKeys(redis, oldKeys(prefix))) {
    for (const key of keys) {
      const t = target(rules, key);
      if (!t) continue;
      const [from, to] = [await redis.type(key), await redis.type(t.to)];
      const c = counts(stores, t.store);
      if (to === 'none') c.moved++;
      else if (from === to && (from === 'set' || from === 'zset')) c.merged++;
      else c.conflicts++;
    }
  }
  return stores;
}

/** Moves every old key; passes again until a pass finds nothing left to move (SCAN may return a key twice, never misses one that stays). */
async function migrate(redis: Redis, prefix: string, rules: LayoutRule[], renew: () => Promise<void>, maxMoves: number): Promise<{ stores: Record<string, StoreCounts>; complete: boolean }> {
  const stores: Record<string, StoreCounts> = Object.fromEntries(rules.map((r) => [r.store, { moved: 0, merged: 0, conflicts: 0 }]));
  const conflicted = new Set<string>();
  let total = 0;
  for (;;) {
    let changed = 0;
    for await (const keys of scanKeys(redis, oldKeys(prefix))) {
      await renew();
      for (const key of keys) {
        const t = target(rules, key);
        if (!t) continue;
        if (total >= maxMoves) return { stores, complete: false };
        const outcome = String(await redis.eval(MOVE, 2, key, t.to));
        const c = counts(stores, t.store);
        if (outcome === 'moved') c.moved++;
        else if (outcome === 'merged') c.merged++;
        // A conflict stays where it is: counted once however often SCAN returns it.
        else if (outcome === 'conflict' && !conflicted.has(key)) {
          conflicted.add(key);
          c.conflicts++;
        }
        if (outcome === 'moved' || outcome === 'merged') {
          changed++;
          total++;
        }
      }
    }
    if (changed === 0) return { stores, complete: true };
  }
}
