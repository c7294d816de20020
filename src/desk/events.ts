import type { Redis } from 'ioredis';
import type { DeskKeys } from './keys.js';

/** A change on the desk, written by the Lua scripts in the same step as the change itself. */
export interface DeskEvent {
  /** Stream id: resume after it (SSE Last-Event-ID). */
  id: string;
  type: 'opened' | 'claimed' | 'transferred' | 'released' | 'replied' | 'citizen' | 'returned' | 'closed';
  conversation: string;
  state: string;
  /** The holder after the change, or who acted (replied, closed). */
  officer: string;
  /** `returned`: the reason; `replied`: deliver or queued_for_template. */
  detail: string;
  at: number;
}

export function parseDeskEvent(id: string, fields: string[]): DeskEvent {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return { id, type: f.type as DeskEvent['type'], conversation: f.conversation ?? '', state: f.state ?? '', officer: f.officer ?? '', detail: f.detail ?? '', at: Number(f.at ?? 0) };
}

/**
 * Reads the desk's event stream (`<prefix>:{desk}:events`, capped at ~1000). The live list's SSE
 * tails it (XREAD BLOCK on its own connection, like QueueEventTail); this reads what was missed.
 */
export class DeskEvents {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeskKeys,
  ) {}

  get streamKey(): string {
    return this.keys.events;
  }

  /** Events after `lastId` (exclusive), oldest first; all kept ones when omitted. */
  async after(lastId?: string, count = 200): Promise<DeskEvent[]> {
    const entries = await this.redis.xrange(this.keys.events, lastId ? `(${lastId}` : '-', '+', 'COUNT', count);
    return entries.map(([id, fields]) => parseDeskEvent(id, fields));
  }
}
