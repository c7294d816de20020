import type { Redis } from 'ioredis';
import { localTime } from '../catalogue/local-time.js';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import type { Locale } from '../message.js';
import { ReadAudit } from '../desk/audit.js';
import { maskPersonalData } from '../privacy/mask.js';
import { complaintTransitions, REFERENCE_PATTERN, type CitizenAddress, type Complaint, type ComplaintRecord, type ComplaintStatus, type NewComplaint, type StatusChange } from './complaint.js';
import { complaintTargets, overdue, type ComplaintTargets, type WorkingCalendar } from './deadlines.js';
import { ComplaintError } from './errors.js';
import { ComplaintFigures, type ComplaintFigureTotals } from './figures.js';
import { ComplaintKeys } from './keys.js';
import { ComplaintScripts, type ComplaintTtls } from './scripts.js';
import { DEFAULT_SITE } from '../redis/keyspace.js';

/**
 * Retention (UU 27/2022, kept no longer than the purpose needs):
 * - text (what happened, reporter's name): 1 year after filing, long enough for a complaint that
 *   goes to an agency and back, and for a yearly review; then only the record remains;
 * - contact (channel address, to tell the citizen about changes): as long as the text, cut to
 *   30 days once `selesai`;
 * - record and history (status, category, agency, times, officers; nothing about the citizen): 2 years;
 * - figures (counts and durations per day): 5 years, for year-on-year reports.
 */
export const defaultComplaintTtls: ComplaintTtls = {
  textTtlSec: 366 * 86_400,
  contactAfterDoneSec: 30 * 86_400,
  recordTtlSec: 2 * 366 * 86_400,
  figuresTtlSec: 5 * 366 * 86_400,
};

/** Staff reads of complaints are kept as long as the desk's: a year, for a yearly review. */
const AUDIT_RETENTION_MS = 366 * 86_400_000;

export interface TransitionResult {
  complaint: Complaint;
  from: ComplaintStatus;
  /** Whom to tell (every status change is told to the citizen); undefined when the contact expired. */
  notify?: { address: CitizenAddress; locale: Locale };
}

/**
 * "Status aduan ADU-…". The references are sequential, so anyone could guess one: with a
 * reference alone one gets the status and dates only; the complaint's own sender (same channel
 * and account) also gets the category, agency and their text.
 */
export type StatusLookup = { own: true; complaint: Complaint } | { own: false; reference: string; status: ComplaintStatus; createdAt: number; updatedAt: number };

export type OpenComplaint = ComplaintRecord & { targets: ComplaintTargets; overdue?: 'verify' | 'follow_up' };

/**
 * Complaints (pengaduan) in Redis (layout in keys.ts). Numbering and status changes are Lua
 * scripts, so references never repeat and an illegal move is refused whatever runs at once.
 * Anonymous complaints store no name, and staff views never carry the contact.
 */
export class ComplaintStore {
  readonly keys: ComplaintKeys;
  readonly figures: ComplaintFigures;
  /** Staff reads of complaint texts, kept a year like the desk's. */
  readonly audit: ReadAudit;
  private readonly scripts: ComplaintScripts;
  private readonly ttls: ComplaintTtls;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    ttls: Partial<ComplaintTtls> = {},
    private readonly subjectOf: (channel: string, userKey: string) => string = citizenSubject,
    /** The MPP site (its keys share the site's hash tag). */
    site: string = DEFAULT_SITE,
  ) {
    this.keys = new ComplaintKeys(prefix, site);
    this.ttls = { ...defaultComplaintTtls, ...ttls };
    this.scripts = new ComplaintScripts(redis, this.keys, this.ttls);
    this.figures = new ComplaintFigures(redis, this.keys);
    this.audit = new ReadAudit(redis, this.keys.audit, clock, AUDIT_RETENTION_MS);
  }

  /** Files a complaint; `citizen` absent when an officer records one given at the desk in person. */
  async create(input: NewComplaint, from: { citizen?: CitizenAddress; locale: Locale }): Promise<ComplaintRecord> {
    if (!input.what.trim()) throw new ComplaintError('invalid_complaint', 'a complaint needs a text');
    const now = this.clock.now();
    const day = localTime(now, this.calendar.timezone).date;
    const optional = { agencyId: input.agencyId, serviceId: input.serviceId, happenedOn: input.happenedOn, ticketNumber: input.ticketNumber };
    const record: Record<string, string> = { status: 'baru', category: input.category, anonymous: input.anonymous ? '1' : '0', locale: from.locale, createdAt: String(now.getTime()), updatedAt: String(now.getTime()), day };
    for (const [k, v] of Object.entries(optional)) if (v) record[k] = v;
    const text: Record<string, string> = { what: maskPersonalData(input.what.trim()) };
    if (input.reporterName && !input.anonymous) text.reporterName = input.reporterName;
    const subject = from.citizen ? this.subjectOf(from.citizen.channel, from.citizen.userKey) : undefined;
    const reference = await this.scripts.create({
      day,
      nowMs: now.getTime(),
      record,
      text,
      category: input.category,
      ...(input.agencyId ? { agencyId: input.agencyId } : {}),
      ...(from.citizen && subject ? { subject, contact: { channel: from.citizen.channel, to: from.citizen.userKey, subject } } : {}),
    });
    return (await this.record(reference))!;
  }

  /** The record alone (no text, no history). */
  async record(reference: string): Promise<ComplaintRecord | undefined> {
    if (!REFERENCE_PATTERN.test(reference)) return undefined;
    return parseRecord(await this.redis.hgetall(this.keys.record(reference)));
  }

  /** A complaint for staff: record, history, and the text while it is kept. Never the contact. */
  async get(reference: string): Promise<Complaint | undefined> {
    const record = await this.record(reference);
    if (!record) return undefined;
    const [text, history] = await Promise.all([this.redis.hgetall(this.keys.text(reference)), this.redis.lrange(this.keys.history(reference), 0, -1)]);
    return {
      ...record,
      history: history.map((h) => JSON.parse(h) as StatusChange),
      ...(text.what ? { what: text.what } : {}),
      ...(text.reporterName && !record.anonymous ? { reporterName: text.reporterName } : {}),
    };
  }

  /** A complaint as an officer reads it on the desk: the read is written to the audit log. */
  async view(reference: string, officer: string): Promise<Complaint | undefined> {
    const complaint = await this.get(reference);
    if (complaint) await this.audit.record(reference, officer, 'view');
    return complaint;
  }

  /**
   * Moves a complaint along baru → diproses → selesai (or diteruskan to an agency). Refused with
   * `illegal_transition` when the move is not allowed from its current status.
   */
  async transition(reference: string, to: ComplaintStatus, officer: string, opts: { agencyId?: string } = {}): Promise<TransitionResult> {
    if (to === 'diteruskan' && !opts.agencyId) throw new ComplaintError('invalid_complaint', 'forwarding needs an agency');
    const allowedFrom = (Object.keys(complaintTransitions) as ComplaintStatus[]).filter((s) => complaintTransitions[s].includes(to));
    const now = this.clock.now();
    const entry: StatusChange = { status: to, at: now.getTime(), officer, ...(to === 'diteruskan' ? { agencyId: opts.agencyId! } : {}) };
    const r = await this.scripts.transition({ reference, status: to, allowedFrom, officer, nowMs: now.getTime(), entry: JSON.stringify(entry), ...(opts.agencyId ? { forwardedTo: opts.agencyId } : {}) });
    if (r.status !== 'ok') throw new ComplaintError(r.status === 'unknown_complaint' ? 'unknown_complaint' : 'illegal_transition', `complaint: ${r.status}`, r.from);
    const complaint = (await this.get(reference))!;
    const notify = await this.contact(reference);
    return { complaint, from: r.from as ComplaintStatus, ...(notify ? { notify: { address: notify, locale: complaint.locale } } : {}) };
  }

  /** A follow-up without a status change (called the agency, asked for documents): meets the follow-up target. */
  async note(reference: string, officer: string): Promise<void> {
    const record = await this.record(reference);
    if (!record) throw new ComplaintError('unknown_complaint', 'no such complaint');
    if (record.status === 'selesai') throw new ComplaintError('illegal_transition', 'complaint is done', record.status);
    const now = this.clock.now().getTime();
    const entry: StatusChange = { status: 'note', at: now, officer };
    const m = this.redis.multi().rpush(this.keys.history(reference), JSON.stringify(entry)).hset(this.keys.record(reference), 'updatedAt', now);
    // Before verification a note is not yet the follow-up LAPOR! counts.
    if (record.status !== 'baru') m.hsetnx(this.keys.record(reference), 'followUpAt', now);
    await m.exec();
  }

  /** "Status aduan ADU-…": see StatusLookup for what a non-sender gets. */
  async lookup(reference: string, asker?: CitizenAddress): Promise<StatusLookup | undefined> {
    const complaint = await this.get(reference);
    if (!complaint) return undefined;
    const own = asker ? (await this.redis.sismember(this.keys.citizen(this.subjectOf(asker.channel, asker.userKey)), reference)) === 1 : false;
    if (own) return { own: true, complaint };
    return { own: false, reference, status: complaint.status, createdAt: complaint.createdAt, updatedAt: complaint.updatedAt };
  }

  /** The citizen's own complaints within the text retention, newest first ("status aduan" without a reference). */
  async mine(citizen: CitizenAddress): Promise<ComplaintRecord[]> {
    const refs = await this.redis.smembers(this.keys.citizen(this.subjectOf(citizen.channel, citizen.userKey)));
    const records = await Promise.all(refs.map((r) => this.record(r)));
    return records.filter((r): r is ComplaintRecord => r !== undefined).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Complaints not yet done, oldest first, with their targets and what is overdue at `now`. */
  async open(now: Date = this.clock.now()): Promise<OpenComplaint[]> {
    const refs = await this.redis.zrange(this.keys.open, 0, -1);
    const out: OpenComplaint[] = [];
    for (const ref of refs) {
      const r = await this.record(ref);
      if (!r) continue;
      const late = overdue(r, now, this.calendar);
      out.push({ ...r, targets: complaintTargets(r, this.calendar), ...(late ? { overdue: late } : {}) });
    }
    return out;
  }

  /** Figures over local days (by filing day): counts per category and agency, response and resolution times. */
  async totals(days: readonly string[]): Promise<ComplaintFigureTotals> {
    return this.figures.totals(days);
  }

  /** The retention sweep's safety net: complaint texts, contacts and the citizen index expire with the text retention. */
  retention(): Array<{ match: string; ttlSec: number }> {
    return ['text', 'to', 'cit'].map((kind) => ({ match: `${this.keys.base}:${kind}:*`, ttlSec: this.ttls.textTtlSec }));
  }

  /** "Hapus data saya": deletes texts and contacts of the citizen's complaints; records and figures stay. */
  async erase(channel: string, userKey: string): Promise<number> {
    const key = this.keys.citizen(this.subjectOf(channel, userKey));
    const refs = await this.redis.smembers(key);
    const m = this.redis.multi();
    for (const ref of refs) m.del(this.keys.text(ref), this.keys.contact(ref));
    await m.del(key).exec();
    return refs.length;
  }

  private async contact(reference: string): Promise<CitizenAddress | undefined> {
    const c = await this.redis.hgetall(this.keys.contact(reference));
    return c.channel && c.to ? { channel: c.channel, userKey: c.to } : undefined;
  }
}

function parseRecord(raw: Record<string, string>): ComplaintRecord | undefined {
  if (!raw.reference || !raw.status) return undefined;
  const num = (k: string) => (raw[k] ? { [k]: Number(raw[k]) } : {});
  const str = (k: string) => (raw[k] ? { [k]: raw[k] } : {});
  return {
    reference: raw.reference,
    status: raw.status as ComplaintStatus,
    category: raw.category as ComplaintRecord['category'],
    anonymous: raw.anonymous === '1',
    locale: (raw.locale ?? 'id') as Locale,
    createdAt: Number(raw.createdAt),
    updatedAt: Number(raw.updatedAt),
    day: raw.day ?? '',
    ...str('agencyId'),
    ...str('serviceId'),
    ...str('happenedOn'),
    ...str('ticketNumber'),
    ...str('forwardedTo'),
    ...num('firstResponseAt'),
    ...num('followUpAt'),
    ...num('resolvedAt'),
  };
}
