/**
 * Redis keys of document pickups. All share the hash tag `{pickup}` so each script's keys sit in
 * one slot of a Redis Cluster.
 */
export class PickupKeys {
  readonly base: string;
  constructor(prefix: string) {
    this.base = `${prefix}:{pickup}`;
  }
  /** One application's record (hash); its id is the ticket's id. */
  record(id: string): string {
    return `${this.base}:rec:${id}`;
  }
  /** Compact ticket reference (number + date) -> id. */
  reference(compact: string): string {
    return `${this.base}:ref:${compact}`;
  }
  /** Compact receipt number the officer entered -> id. */
  receipt(compact: string): string {
    return `${this.base}:receipt:${compact}`;
  }
  /** Applications by compact ticket number alone (zset of ids by creation), for staff who type only "B-001". */
  number(compact: string): string {
    return `${this.base}:num:${compact}`;
  }
  /** A citizen's applications (set of ids), by pseudonymous subject. */
  citizen(subject: string): string {
    return `${this.base}:cit:${subject}`;
  }
  /** Every application by creation time (ids only), for the staff list and the sweep. */
  get all(): string {
    return `${this.base}:all`;
  }
  /** Ready and not collected, by the time they were marked ready (ids only): the reminders' index. */
  get ready(): string {
    return `${this.base}:ready`;
  }
  /** SCAN patterns of the keys that hold personal data or link to it (the retention sweep's safety net). */
  get personal(): { records: string; references: string; receipts: string; citizens: string; numbers: string } {
    return { records: `${this.base}:rec:*`, references: `${this.base}:ref:*`, receipts: `${this.base}:receipt:*`, citizens: `${this.base}:cit:*`, numbers: `${this.base}:num:*` };
  }
}
