/**
 * Redis keys of the queue. All share the hash tag `{q}` so every Lua script's keys sit in one
 * slot of a Redis Cluster (one MPP's queue is small; atomicity matters more than spreading).
 */
export class QueueKeys {
  readonly base: string;
  constructor(prefix: string) {
    this.base = `${prefix}:{q}`;
  }
  get ticketPrefix(): string {
    return `${this.base}:ticket:`;
  }
  ticket(id: string): string {
    return this.ticketPrefix + id;
  }
  seq(group: string, day: string): string {
    return `${this.base}:seq:${group}:${day}`;
  }
  stats(service: string, day: string): string {
    return `${this.base}:stats:${service}:${day}`;
  }
  wait(service: string, day: string): string {
    return `${this.base}:wait:${service}:${day}`;
  }
  waitPriority(service: string, day: string): string {
    return `${this.base}:waitp:${service}:${day}`;
  }
  citizen(subject: string, day: string): string {
    return `${this.citizenPrefix}${subject}:${day}`;
  }
  /** What `citizen(subject, day)` starts with (call-next.lua completes it for the ticket it looks at). */
  get citizenPrefix(): string {
    return `${this.base}:cit:`;
  }
  /** A visit (issue 13): its steps' ticket ids, services and outcomes; no personal data. */
  visit(id: string): string {
    return this.visitPrefix + id;
  }
  get visitPrefix(): string {
    return `${this.base}:visit:`;
  }
  /** The ids of the visits planned for a day (the visit report reads it). */
  visitsOfDay(day: string): string {
    return `${this.base}:visits:${day}`;
  }
  /** Every ticket a citizen took within the retention period (to erase their links on request). */
  citizenTickets(subject: string): string {
    return `${this.base}:citall:${subject}`;
  }
  idem(key: string): string {
    return `${this.base}:idem:${key}`;
  }
  counter(id: string): string {
    return `${this.base}:counter:${id}`;
  }
  durations(service: string, day: string): string {
    return `${this.base}:dur:${service}:${day}`;
  }
  /** A pool's calling state for the day (`regularSince`: regular tickets called since the last priority one). */
  pool(id: string, day: string): string {
    return `${this.base}:pool:${id}:${day}`;
  }
  noshows(subject: string): string {
    return `${this.base}:noshow:${subject}`;
  }
  block(subject: string): string {
    return `${this.base}:block:${subject}`;
  }
  /** The keyed pseudonym of the address an unverified citizen last wrote from. */
  origin(subject: string): string {
    return `${this.base}:origin:${subject}`;
  }
  /** Prefix of the count of unverified tickets per service, day and address (the address pseudonym follows). */
  addressCountPrefix(service: string, day: string): string {
    return `${this.base}:addr:${service}:${day}:`;
  }
  /** SCAN patterns of the keys that hold personal data (the retention sweep's safety net). */
  get personal(): { tickets: string; citizenTickets: string; citizenDays: string } {
    return { tickets: `${this.ticketPrefix}*`, citizenTickets: `${this.base}:citall:*`, citizenDays: `${this.base}:cit:*` };
  }
  get events(): string {
    return `${this.base}:events`;
  }
}
