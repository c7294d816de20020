import { DEFAULT_SITE, siteBase } from '../redis/keyspace.js';

/**
 * Redis keys of bookings. They share the site's hash tag `{site:<id>}`, like the queue's keys, so
 * each Lua script's keys (a booking and the queue ticket it turns into) sit in one Cluster slot.
 */
export class BookingKeys {
  readonly base: string;
  constructor(prefix: string, site: string = DEFAULT_SITE) {
    this.base = siteBase(prefix, site, 'bk');
  }
  get bookingPrefix(): string {
    return `${this.base}:booking:`;
  }
  booking(id: string): string {
    return this.bookingPrefix + id;
  }
  /** Hash slot -> places taken, per service and day. */
  taken(service: string, day: string): string {
    return `${this.base}:taken:${service}:${day}`;
  }
  /** Sorted set of a day's bookings for a service, scored by slot minutes. */
  day(service: string, day: string): string {
    return `${this.base}:day:${service}:${day}`;
  }
  /** Hash service -> booking id: one active booking per citizen per service. */
  citizen(subject: string): string {
    return `${this.base}:cit:${subject}`;
  }
  /** Every booking a citizen made while their bookings are kept: what "hapus data saya" erases. */
  all(subject: string): string {
    return `${this.base}:all:${subject}`;
  }
  code(code: string): string {
    return `${this.base}:code:${code}`;
  }
}
