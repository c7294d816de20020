import path from 'node:path';
import type { Redis } from 'ioredis';
import { defineScripts, readLua } from '../redis/scripts.js';
import type { DeskKeys } from './keys.js';

type Reply = Array<string>;
interface DeskCommands {
  mppDeskOpen(...args: Array<string | number>): Promise<Reply>;
  mppDeskClaim(...args: Array<string | number>): Promise<Reply>;
  mppDeskReply(...args: Array<string | number>): Promise<Reply>;
  mppDeskCitizen(...args: Array<string | number>): Promise<Reply>;
  mppDeskEnd(...args: Array<string | number>): Promise<Reply>;
}

const lua = (name: string, numberOfKeys: number) => ({ lua: readLua(path.join(import.meta.dirname, 'lua'), name), numberOfKeys });
const sources = { mppDeskOpen: lua('open', 7), mppDeskClaim: lua('claim', 5), mppDeskReply: lua('reply', 8), mppDeskCitizen: lua('citizen', 7), mppDeskEnd: lua('end', 8) };

/** Limits every script needs, from DeskOptions. */
export interface ScriptLimits {
  keep: number;
  ttlSec: number;
  statsTtlSec: number;
  recentKeep: number;
  dayKeep: number;
}

/** The desk page needs the last minutes of changes, not a history: the stream stays short. */
const EVENTS_MAX_LEN = 1000;

export type ClaimMode = 'claim' | 'transfer' | 'release';

/**
 * One typed wrapper per Lua script of the desk: named fields in, named fields out. The scripts
 * return a status word first (`ok`, `opened`, or an error code) and the rest positionally.
 */
export class DeskScripts {
  private readonly redis: Redis & DeskCommands;

  constructor(
    redis: Redis,
    private readonly keys: DeskKeys,
    private readonly limits: ScriptLimits,
  ) {
    this.redis = defineScripts<DeskCommands>(redis, sources);
  }

  async open(a: { id: string; subject: string; channel: string; to: string; locale: string; nowMs: number; visibleAtMs: number; context: string; entry: string; day: string; hour: number }) {
    const k = this.keys;
    const [status, id] = await this.redis.mppDeskOpen(
      k.held(a.subject), k.conversation(a.id), k.messages(a.id), k.waiting, k.citizen(a.subject), k.stats(a.day), k.events,
      a.id, a.subject, a.channel, a.to, a.locale, a.nowMs, a.visibleAtMs, a.context, a.entry, this.limits.keep, this.limits.ttlSec, this.limits.statsTtlSec, a.hour, a.day, k.conversation(''), EVENTS_MAX_LEN,
    );
    return { created: status === 'opened', id: id! };
  }

  async claim(a: { id: string; mode: ClaimMode; officer: string; target?: string; nowMs: number; entry: string }) {
    const k = this.keys;
    const [status, detail] = await this.redis.mppDeskClaim(
      k.conversation(a.id), k.waiting, k.claimed, k.messages(a.id), k.events,
      a.mode, a.officer, a.target ?? '', a.nowMs, a.entry, this.limits.keep, this.limits.ttlSec, a.id, EVENTS_MAX_LEN,
    );
    return { status: status!, detail };
  }

  async reply(a: { id: string; officer: string; msgId: string; entry: string; queuedEntry: string; nowMs: number; windowMs: number }) {
    const k = this.keys;
    const [status, claimedNow, template, channel, to] = await this.redis.mppDeskReply(
      k.conversation(a.id), k.waiting, k.claimed, k.messages(a.id), k.delivery(a.id), k.queued(a.id), k.recentFirstResponses, k.events,
      a.officer, a.msgId, a.entry, a.queuedEntry, a.nowMs, a.windowMs, this.limits.keep, this.limits.ttlSec, this.limits.statsTtlSec,
      this.limits.recentKeep, this.limits.dayKeep, k.stats(''), k.firstResponses(''), a.id, EVENTS_MAX_LEN,
    );
    return { status: status!, detail: claimedNow, claimedNow: claimedNow === '1', templateNeeded: template === '1', channel: channel ?? '', to: to ?? '' };
  }

  async citizen(a: { id: string; subject: string; entry: string; nowMs: number }) {
    const k = this.keys;
    const [status, channel, to, ...released] = await this.redis.mppDeskCitizen(
      k.held(a.subject), k.conversation(a.id), k.messages(a.id), k.claimed, k.queued(a.id), k.delivery(a.id), k.events,
      a.id, a.entry, a.nowMs, this.limits.keep, this.limits.ttlSec, EVENTS_MAX_LEN,
    );
    return { status: status!, channel: channel ?? '', to: to ?? '', released: released.map((r) => JSON.parse(r) as { id: string; text: string }) };
  }

  async end(a: { id: string; subject: string; outcome: 'returned' | 'closed'; reason: string; by: string; nowMs: number; entry: string; cutoffMs: number; requiredState: '' | 'waiting' | 'claimed' }) {
    const k = this.keys;
    const [status, channel, to, locale] = await this.redis.mppDeskEnd(
      k.conversation(a.id), k.held(a.subject), k.waiting, k.claimed, k.messages(a.id), k.queued(a.id), k.delivery(a.id), k.events,
      a.outcome, a.reason, a.by, a.nowMs, a.entry, this.limits.keep, this.limits.ttlSec, this.limits.statsTtlSec, a.cutoffMs, a.id, a.requiredState, k.stats(''), EVENTS_MAX_LEN,
    );
    return { status: status!, detail: channel, channel: channel ?? '', to: to ?? '', locale: locale ?? '' };
  }
}
