import { DEFAULT_SITE, siteBase } from '../redis/keyspace.js';

/** Redis keys of complaints, under the site's hash tag `{site:<id>}` so each script touches one Cluster slot. */
export class ComplaintKeys {
  readonly base: string;
  constructor(prefix: string, site: string = DEFAULT_SITE) {
    this.base = siteBase(prefix, site, 'adu');
  }
  /** String counter per local day (YYYYMMDD): the NNNN of the reference. */
  seq(compactDay: string): string {
    return `${this.base}:seq:${compactDay}`;
  }
  /** Hash: the record (status, category, agency, times). No text, no contact. */
  record(reference: string): string {
    return `${this.base}:c:${reference}`;
  }
  /** Hash: what happened (masked) and the reporter's name; expires with the text retention. */
  text(reference: string): string {
    return `${this.base}:text:${reference}`;
  }
  /** Hash: channel, to, subject: where to tell the citizen about changes; short-lived after `selesai`. */
  contact(reference: string): string {
    return `${this.base}:to:${reference}`;
  }
  /** List of status changes and notes (JSON). */
  history(reference: string): string {
    return `${this.base}:hist:${reference}`;
  }
  /** Sorted set of complaints not yet `selesai`, by creation time (the desk tab, overdue). */
  get open(): string {
    return `${this.base}:open`;
  }
  /** Sorted set of the complaints of a local day. */
  day(day: string): string {
    return `${this.base}:day:${day}`;
  }
  /** Set of a citizen's references (their "status aduan" without a reference, and erasure). */
  citizen(subject: string): string {
    return `${this.base}:cit:${subject}`;
  }
  /** Sorted set: staff reads of complaints (ReadAudit). */
  get audit(): string {
    return `${this.base}:audit`;
  }
  /** Hash of counters for a local day: created, per category and agency, response times. */
  stats(day: string): string {
    return `${this.base}:stats:${day}`;
  }
}
