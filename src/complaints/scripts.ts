import path from 'node:path';
import type { Redis } from 'ioredis';
import { defineScripts, readLua } from '../redis/scripts.js';
import type { ComplaintKeys } from './keys.js';

interface ComplaintCommands {
  mppAduCreate(...args: Array<string | number>): Promise<string>;
  mppAduTransition(...args: Array<string | number>): Promise<string[]>;
}

const lua = (name: string, numberOfKeys: number) => ({ lua: readLua(path.join(import.meta.dirname, 'lua'), name), numberOfKeys });
const sources = { mppAduCreate: lua('create', 5), mppAduTransition: lua('transition', 4) };

export interface ComplaintTtls {
  recordTtlSec: number;
  textTtlSec: number;
  contactAfterDoneSec: number;
  figuresTtlSec: number;
}

/** Typed wrappers of the complaint scripts: named fields in, named fields out. */
export class ComplaintScripts {
  private readonly redis: Redis & ComplaintCommands;

  constructor(
    redis: Redis,
    private readonly keys: ComplaintKeys,
    private readonly ttl: ComplaintTtls,
  ) {
    this.redis = defineScripts<ComplaintCommands>(redis, sources);
  }

  /** Returns the new reference. Values of record/text/contact must be strings. */
  async create(a: { day: string; subject?: string; nowMs: number; record: Record<string, string>; text: Record<string, string>; contact?: Record<string, string>; category: string; agencyId?: string }): Promise<string> {
    const k = this.keys;
    const compact = a.day.replaceAll('-', '');
    return this.redis.mppAduCreate(
      k.seq(compact), k.open, k.day(a.day), k.citizen(a.subject ?? '-'), k.stats(a.day),
      compact, a.nowMs, k.record(''), k.text(''), k.contact(''), this.ttl.recordTtlSec, this.ttl.textTtlSec, this.ttl.figuresTtlSec,
      // The counter outlives its day by one, so a late write near midnight cannot restart it.
      2 * 86_400, JSON.stringify(a.record), JSON.stringify(a.text), a.contact ? JSON.stringify(a.contact) : '', a.category, a.agencyId ?? '-',
    );
  }

  async transition(a: { reference: string; status: string; allowedFrom: readonly string[]; officer: string; nowMs: number; entry: string; forwardedTo?: string }): Promise<{ status: string; from?: string }> {
    const k = this.keys;
    const [status, from] = await this.redis.mppAduTransition(
      k.record(a.reference), k.history(a.reference), k.open, k.contact(a.reference),
      a.status, a.allowedFrom.join(','), a.officer, a.nowMs, a.entry, k.stats(''), this.ttl.recordTtlSec, this.ttl.contactAfterDoneSec, a.forwardedTo ?? '', a.reference, this.ttl.figuresTtlSec,
    );
    return { status: status!, ...(from ? { from } : {}) };
  }
}
