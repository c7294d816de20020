import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';

/** One staff read. */
export interface AuditEntry {
  at: number;
  officer: string;
  /** What was read: a conversation id, or a complaint reference. */
  target: string;
  /** What was read: the transcript (`view`) or an export. */
  action: 'view' | 'export';
}

/**
 * Who read which conversation (or complaint) when (UU 27/2022: access to personal data is accountable). A sorted
 * set scored by the clock's time, so retention is a range delete on the same clock the rest of the
 * desk uses; entries carry ids and names of staff, never citizen data.
 */
export class ReadAudit {
  constructor(
    private readonly redis: Redis,
    /** A sorted set of its own: `DeskKeys.audit`, `ComplaintKeys.audit`. */
    private readonly key: string,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async record(target: string, officer: string, action: AuditEntry['action'] = 'view'): Promise<AuditEntry> {
    const entry: AuditEntry = { at: this.clock.now().getTime(), officer, target, action };
    // A random tag keeps two identical reads in the same millisecond as two entries.
    const member = JSON.stringify({ ...entry, n: randomBytes(4).toString('hex') });
    await this.redis
      .multi()
      .zadd(this.key, entry.at, member)
      .zremrangebyscore(this.key, '-inf', `(${entry.at - this.retentionMs}`)
      .exec();
    return entry;
  }

  /** Reads within [since, until], oldest first, optionally of one target or by one officer. */
  async entries(filter: { since?: number; until?: number; target?: string; officer?: string } = {}): Promise<AuditEntry[]> {
    const raw = await this.redis.zrangebyscore(this.key, filter.since ?? '-inf', filter.until ?? '+inf');
    return raw
      .map((r) => {
        const { at, officer, target, action } = JSON.parse(r) as AuditEntry;
        return { at, officer, target, action };
      })
      .filter((e) => (!filter.target || e.target === filter.target) && (!filter.officer || e.officer === filter.officer));
  }

  /** Drops entries past retention (also done on every write); returns how many. */
  async trim(now = this.clock.now()): Promise<number> {
    return this.redis.zremrangebyscore(this.key, '-inf', `(${now.getTime() - this.retentionMs}`);
  }
}
