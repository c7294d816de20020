import path from 'node:path';
import type { Redis } from 'ioredis';
import { defineScripts, readLua } from '../redis/scripts.js';
import { citizenSubject } from '../citizen.js';
import { BookingError, parseBooking, type Booking } from './booking.js';
import { BookingKeys } from './keys.js';
import { DEFAULT_SITE } from '../redis/keyspace.js';

interface BookingScripts {
  mppBook(...args: Array<string | number>): Promise<[string, (string | number)?]>;
  mppBookingMove(...args: Array<string | number>): Promise<[string, (string | number)?]>;
  mppBookingClose(...args: Array<string | number>): Promise<[string, (string | number)?]>;
  mppBookingErase(...args: Array<string | number>): Promise<number>;
}

const lua = (name: string) => ({ lua: readLua(path.join(import.meta.dirname, 'lua'), name) });
const sources = { mppBook: lua('book'), mppBookingMove: lua('move'), mppBookingClose: lua('close'), mppBookingErase: lua('erase') };

export interface NewBooking {
  id: string;
  code: string;
  serviceId: string;
  day: string;
  slot: string;
  slotMinutes: number;
  capacity: number;
  citizen: { channel: string; userKey: string };
  /** Local date today: an active booking for an earlier day no longer counts as "one per service". */
  today: string;
  now: number;
  /** Seconds the booking (with the citizen's address) is kept. */
  bookingTtlSec: number;
  /** Seconds the day's counters and index are kept. */
  dayTtlSec: number;
}

export interface BookingMove {
  day: string;
  slot: string;
  slotMinutes: number;
  capacity: number;
  now: number;
  bookingTtlSec: number;
  dayTtlSec: number;
}

export type BookOutcome = { outcome: 'new' | 'existing'; id: string } | { outcome: 'code_taken' };

/**
 * Bookings in Redis. Taking, moving and ending a booking are each one Lua script, so capacity
 * holds and "one booking per citizen per service" holds across any number of app processes.
 */
export class BookingStore {
  readonly keys: BookingKeys;
  private readonly redis: Redis & BookingScripts;

  constructor(redis: Redis, prefix: string, site: string = DEFAULT_SITE) {
    this.redis = defineScripts<BookingScripts>(redis, sources);
    this.keys = new BookingKeys(prefix, site);
  }

  /** Throws `slot_full`; answers `existing` when the citizen already holds a booking for the service. */
  async book(b: NewBooking): Promise<BookOutcome> {
    const subject = citizenSubject(b.citizen.channel, b.citizen.userKey);
    const keys = [this.keys.taken(b.serviceId, b.day), this.keys.citizen(subject), this.keys.booking(b.id), this.keys.day(b.serviceId, b.day), this.keys.code(b.code), this.keys.all(subject)];
    const args = [b.id, b.serviceId, b.day, b.slot, b.capacity, subject, b.citizen.channel, b.citizen.userKey, b.code, b.now, b.bookingTtlSec, b.dayTtlSec, this.keys.bookingPrefix, b.today, b.slotMinutes];
    const [outcome, value] = await this.redis.mppBook(keys.length, ...keys, ...args);
    switch (outcome) {
      case 'new':
      case 'existing':
        return { outcome, id: String(value) };
      case 'code_taken':
        return { outcome };
      case 'slot_full':
        throw new BookingError('slot_full', `slot ${b.slot} on ${b.day} is full`);
    }
    throw new Error(`book.lua: unexpected reply ${JSON.stringify([outcome, value])}`);
  }

  async get(id: string): Promise<Booking | undefined> {
    if (!/^[a-z0-9]{6,40}$/.test(id)) return undefined;
    return parseBooking(await this.redis.hgetall(this.keys.booking(id)));
  }

  async byCode(code: string): Promise<Booking | undefined> {
    const normal = code.trim().toUpperCase();
    if (!/^[A-Z0-9-]{4,12}$/.test(normal)) return undefined;
    const id = await this.redis.get(this.keys.code(normal));
    return id ? this.get(id) : undefined;
  }

  /** Places taken per slot (HH:MM -> count) for a service on a day. */
  async taken(serviceId: string, day: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.taken(serviceId, day));
    return Object.fromEntries(Object.entries(raw).map(([slot, n]) => [slot, Number(n)]));
  }

  /** A citizen's bookings that are still active, any day. */
  async ofCitizen(channel: string, userKey: string): Promise<Booking[]> {
    const ids = Object.values(await this.redis.hgetall(this.keys.citizen(citizenSubject(channel, userKey))));
    const bookings = await Promise.all(ids.map((id) => this.get(id)));
    return bookings.filter((b): b is Booking => b?.status === 'active');
  }

  /** Active bookings of a service on a day, by slot. */
  async onDay(serviceId: string, day: string): Promise<Booking[]> {
    const ids = await this.redis.zrange(this.keys.day(serviceId, day), 0, -1);
    const bookings = await Promise.all(ids.map((id) => this.get(id)));
    return bookings.filter((b): b is Booking => b?.status === 'active');
  }

  /** A service's bookings on a day that still hold their place (active or checked in), by slot. */
  async heldOnDay(serviceId: string, day: string): Promise<Booking[]> {
    const ids = await this.redis.zrange(this.keys.day(serviceId, day), 0, -1);
    const bookings = await Promise.all(ids.map((id) => this.get(id)));
    return bookings.filter((b): b is Booking => b?.status === 'active' || b?.status === 'checked-in');
  }

  /** Removes the citizen's address from every booking they made (the bookings stay as counts); returns how many. */
  async erase(channel: string, userKey: string): Promise<number> {
    const subject = citizenSubject(channel, userKey);
    return this.redis.mppBookingErase(2, this.keys.all(subject), this.keys.citizen(subject), this.keys.bookingPrefix);
  }

  /** Moves a booking; returns its new version. Retries while another change races it. */
  async move(id: string, to: BookingMove): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const b = await this.require(id);
      const keys = [this.keys.booking(id), this.keys.taken(b.serviceId, b.day), this.keys.taken(b.serviceId, to.day), this.keys.day(b.serviceId, b.day), this.keys.day(b.serviceId, to.day), this.keys.code(b.code), this.keys.citizen(b.subject || '-')];
      const [outcome, value] = await this.redis.mppBookingMove(keys.length, ...keys, b.version, to.day, to.slot, to.capacity, to.slotMinutes, to.bookingTtlSec, to.dayTtlSec, to.now);
      if (outcome === 'conflict') continue;
      return this.settle(outcome, value);
    }
    throw new BookingError('illegal_transition', 'the booking kept changing; try again');
  }

  /** Ends a booking as cancelled (place given back) or checked in (with its ticket). */
  async close(id: string, status: 'cancelled' | 'checked-in', now: number, ticketId = ''): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const b = await this.require(id);
      const keys = [this.keys.booking(id), this.keys.taken(b.serviceId, b.day), this.keys.citizen(b.subject || '-'), this.keys.day(b.serviceId, b.day)];
      const [outcome, value] = await this.redis.mppBookingClose(keys.length, ...keys, b.version, status, now, ticketId);
      if (outcome === 'conflict') continue;
      return this.settle(outcome, value);
    }
    throw new BookingError('illegal_transition', 'the booking kept changing; try again');
  }

  private async require(id: string): Promise<Booking> {
    const b = await this.get(id);
    if (!b) throw new BookingError('unknown_booking', `unknown booking ${id.slice(0, 40)}`);
    return b;
  }

  /** A move or close reply other than `conflict` (the callers retry that): the version, or the refusal. */
  private settle(outcome: string, value: string | number | undefined): number {
    switch (outcome) {
      case 'ok':
        return Number(value);
      case 'slot_full':
        throw new BookingError('slot_full', 'that slot is full');
      case 'illegal_transition':
        throw new BookingError('illegal_transition', `the booking is ${String(value)}`, { status: String(value) });
      case 'unknown_booking':
        throw new BookingError('unknown_booking', 'unknown booking');
    }
    // The Lua and this file disagree: a bug, not a citizen's refusal.
    throw new Error(`booking script: unexpected reply ${JSON.stringify([outcome, value])}`);
  }
}
