import path from 'node:path';
import type { Redis } from 'ioredis';
import { defineScripts, readLua } from '../redis/scripts.js';
import { PickupKeys } from './keys.js';
import { BARE_NUMBER, PickupError, compactReference, parsePickup, type Pickup } from './pickup.js';

interface PickupCommands {
  mppPickupCreate(...args: Array<string | number>): Promise<number>;
  mppPickupMark(...args: Array<string | number>): Promise<[string, string, string]>;
}

const lua = (name: string, numberOfKeys: number) => ({ lua: readLua(path.join(import.meta.dirname, 'lua'), name), numberOfKeys });
const sources = { mppPickupCreate: lua('create', 5), mppPickupMark: lua('mark', 4) };

export type PickupAction = 'ready' | 'collected' | 'receipt';

export interface PickupRetention {
  /** Days kept after collection. */
  keepDays: number;
  /** Most days kept from the visit. */
  maxDays: number;
}

/** The outcome of a mark: the record now, and whether this call changed its status. */
export interface Marked {
  pickup: Pickup;
  changed: boolean;
}

/** Pickup records in Redis: created once per ticket, looked up by reference or receipt, moved on by Lua. */
export class PickupStore {
  private readonly keys: PickupKeys;
  private readonly redis: Redis & PickupCommands;

  constructor(
    redis: Redis,
    prefix: string,
    readonly retentionRules: PickupRetention,
  ) {
    this.keys = new PickupKeys(prefix);
    this.redis = defineScripts<PickupCommands>(redis, sources);
  }

  /** Stores a new application; false when the ticket already has one. */
  async create(p: Pickup): Promise<boolean> {
    const fields: Record<string, string> = {
      id: p.id,
      reference: p.reference,
      receipt: p.receipt,
      ticketNumber: p.ticketNumber,
      day: p.day,
      serviceId: p.serviceId,
      status: p.status,
      channel: p.channel,
      to: p.to,
      subject: p.subject,
      expectedDay: p.expectedDay,
      createdAt: String(p.createdAt),
      reminders: '0',
      ...(p.site ? { site: p.site } : {}),
    };
    const k = this.keys;
    const created = await this.redis.mppPickupCreate(k.record(p.id), k.reference(compactReference(p.reference)), k.citizen(p.subject || '-'), k.all, k.number(compactReference(p.ticketNumber)), p.id, this.retentionRules.maxDays * 86_400_000, p.createdAt, p.subject ? '1' : '0', ...Object.entries(fields).flat());
    return created === 1;
  }

  async get(id: string): Promise<Pickup | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(id)) return undefined;
    return parsePickup(await this.redis.hgetall(this.keys.record(id)));
  }

  /**
   * By the receipt number or the ticket reference (number + date), as typed. With `bareNumber`
   * (staff), a ticket number alone finds the one application of that number not yet collected;
   * when several are, it is refused (`ambiguous`): the date must be given.
   */
  async find(reference: string, { bareNumber = false }: { bareNumber?: boolean } = {}): Promise<Pickup | undefined> {
    const compact = compactReference(reference);
    if (compact.length < 3) return undefined;
    const id = (await this.redis.get(this.keys.receipt(compact))) ?? (await this.redis.get(this.keys.reference(compact)));
    if (id) return this.get(id);
    if (!bareNumber || !BARE_NUMBER.test(compact)) return undefined;
    const ids = await this.redis.zrevrange(this.keys.number(compact), 0, 49);
    const open = (await Promise.all(ids.map((i) => this.get(i)))).filter((p): p is Pickup => p !== undefined && p.status !== 'collected');
    if (open.length > 1) throw new PickupError('bad_request', 'Several applications have this ticket number: give the reference with its date, or the receipt number.', 'ambiguous');
    return open[0];
  }

  /** A citizen's applications still on record, newest first. */
  async ofCitizen(subject: string): Promise<Pickup[]> {
    const ids = await this.redis.smembers(this.keys.citizen(subject));
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((p): p is Pickup => p !== undefined).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The most recent applications (staff list). */
  async recent(limit: number): Promise<Pickup[]> {
    const ids = await this.redis.zrevrange(this.keys.all, 0, limit - 1);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((p): p is Pickup => p !== undefined);
  }

  /** Ready since `readySince` or before and still not collected. */
  async readyBefore(readySince: number, limit = 500): Promise<Pickup[]> {
    const ids = await this.redis.zrangebyscore(this.keys.ready, '-inf', readySince, 'LIMIT', 0, limit);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((p): p is Pickup => p?.status === 'ready');
  }

  async noteReminder(id: string, n: number): Promise<void> {
    const key = this.keys.record(id);
    // Only on a record still there: HSET on an expired key would bring it back without a TTL.
    if (await this.redis.exists(key)) await this.redis.hset(key, 'reminders', String(n));
  }

  /** Marks by receipt or reference; a receipt given with it is noted on the record. */
  async mark(reference: string, action: PickupAction, nowMs: number, receipt?: string): Promise<Marked> {
    const current = await this.find(reference, { bareNumber: true });
    if (!current) throw new PickupError('not_found', 'No application with this receipt or reference number.');
    const receiptCompact = receipt ? compactReference(receipt) : '';
    if (receipt !== undefined && receiptCompact.length < 3) throw new PickupError('bad_request', 'A receipt number has at least 3 letters or digits.');
    const receiptKey = this.keys.receipt(receiptCompact || compactReference(current.receipt) || '-');
    const k = this.keys;
    const collectExpireAt = nowMs + this.retentionRules.keepDays * 86_400_000;
    const [result, changed] = await this.redis.mppPickupMark(k.record(current.id), k.ready, receiptKey, k.reference(compactReference(current.reference)), action, nowMs, receiptCompact, receipt?.trim() ?? '', collectExpireAt);
    switch (result) {
      case 'missing':
        throw new PickupError('not_found', 'No application with this receipt or reference number.');
      case 'receipt_taken':
        throw new PickupError('bad_request', 'This receipt number belongs to another application.', 'receipt_taken');
      case 'collected':
        throw new PickupError('illegal_transition', 'This document was already collected.');
    }
    const pickup = await this.get(current.id);
    if (!pickup) throw new PickupError('not_found', 'No application with this receipt or reference number.');
    return { pickup, changed: changed === '1' };
  }

  /** Erases a citizen's applications (right to erasure); returns how many went. */
  async erase(subject: string): Promise<number> {
    const records = await this.ofCitizen(subject);
    const k = this.keys;
    for (const p of records) {
      await this.redis.del(k.record(p.id), k.reference(compactReference(p.reference)), ...(p.receipt ? [k.receipt(compactReference(p.receipt))] : []));
      await this.redis.zrem(k.ready, p.id);
      await this.redis.zrem(k.all, p.id);
      await this.redis.zrem(k.number(compactReference(p.ticketNumber)), p.id);
    }
    await this.redis.del(k.citizen(subject));
    return records.length;
  }

  /** Every personal key carries an expiry; the longest any may have is the maximum. */
  retention(): Array<{ match: string; ttlSec: number }> {
    const ttlSec = this.retentionRules.maxDays * 86_400;
    const p = this.keys.personal;
    return [p.records, p.references, p.receipts, p.citizens, p.numbers].map((match) => ({ match, ttlSec }));
  }

  /** Drops ids of expired records from the two indexes; returns how many. */
  async sweep(nowMs: number): Promise<number> {
    const k = this.keys;
    let removed = Number(await this.redis.zremrangebyscore(k.all, '-inf', nowMs - this.retentionRules.maxDays * 86_400_000));
    for (const index of [k.ready, k.all]) {
      for (const id of await this.redis.zrange(index, 0, -1)) {
        if (!(await this.redis.exists(k.record(id)))) removed += Number(await this.redis.zrem(index, id));
      }
    }
    return removed;
  }
}
