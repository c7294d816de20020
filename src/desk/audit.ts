import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { DeskKeys } from './keys.js';

/** One staff read of a conversation. */
export interface AuditEntry {
  at: number;
  officer: string;
  conversationId: string;
  /** What was read: the transcript (`view`) or an export. */
  action: 'view' | 'export';
}

/**
 * Who read which conversation when (UU 27/2022: access to personal data is accountable). A sorted
 * set scored by the clock's time, so retention is a range delete on the same clock the rest of the
 * desk uses; entries carry ids and names of staff, never citizen data.
 */
export class ReadAudit {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async record(conversationId: string, officer: string, action: AuditEntry['action'] = 'view'): Promise<AuditEntry> {
    const entry: AuditEntry = { at: this.clock.now().getTime(), officer, conversationId, action };
    // A random tag keeps two identical reads in the same millisecond as two entries.
    const member = JSON.stringify({ ...entry, n: randomBytes(4).toString('hex') });
    await this.redis
      .multi()
      .zadd(this.keys.audit, entry.at, member)
      .zremrangebyscore(this.keys.audit, '-inf', `(${entry.at - this.retentionMs}`)
      .exec();
    return entry;
  }

  /** Reads within [since, until], oldest first, optionally of one conversation or by one officer. */
  async entries(filter: { since?: number; until?: number; conversationId?: string; officer?: string } = {}): Promise<AuditEntry[]> {
    const raw = await this.redis.zrangebyscore(this.keys.audit, filter.since ?? '-inf', filter.until ?? '+inf');
    return raw
      .map((r) => {
        const { at, officer, conversationId, action } = JSON.parse(r) as AuditEntry;
        return { at, officer, conversationId, action };
      })
      .filter((e) => (!filter.conversationId || e.conversationId === filter.conversationId) && (!filter.officer || e.officer === filter.officer));
  }

  /** Drops entries past retention (also done on every write); returns how many. */
  async trim(now = this.clock.now()): Promise<number> {
    return this.redis.zremrangebyscore(this.keys.audit, '-inf', `(${now.getTime() - this.retentionMs}`);
  }
}
