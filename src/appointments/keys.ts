/**
 * Redis keys of bookings. They share the hash tag `{bk}` so each Lua script's keys sit in one slot
 * of a Redis Cluster, like the queue's `{q}`.
 */
export class BookingKeys {
  readonly base: string;
  constructor(prefix: string) {
    this.base = `${prefix}:{bk}`;
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
