import type { Redis } from 'ioredis';
import { defineScripts, readLua } from '../redis/scripts.js';
import { maskPersonalData } from '../privacy/mask.js';
import type { TicketSlot } from '../queue/queue-service.js';
import type { Ticket } from '../queue/ticket.js';
import { SKM_MAX, SKM_MIN, skmElements, type ElementTotal } from './ikm.js';

/** Like the queue's daily counts: kept for yearly reports, well past the ticket retention. */
export const SKM_TTL_SEC = 400 * 24 * 3600;
/** Comments kept per service and day: enough to read, bounded whatever a bot sends. */
export const COMMENTS_KEPT = 200;
export const COMMENT_MAX_CHARS = 500;

export type RecordOutcome = 'recorded' | 'already' | 'not_done' | 'unknown_ticket';

/** One service's survey figures for one day. */
export interface SkmDay {
  responses: number;
  comments: number;
  /** Totals per element, U1…U9. */
  elements: ElementTotal[];
}

interface SurveyScripts {
  mppSkmRecord(...args: Array<string | number>): Promise<string>;
  mppSkmComment(...args: Array<string | number>): Promise<number>;
}

const sources = { mppSkmRecord: { lua: readLua(import.meta.dirname, 'record'), numberOfKeys: 2 }, mppSkmComment: { lua: readLua(import.meta.dirname, 'comment'), numberOfKeys: 3 } };

/**
 * Survey answers, aggregated per service and local day (`…:skm:<service>:<day>`: u1_sum, u1_n …
 * u9_sum, u9_n, responses, comments) plus the latest comments as text. Nothing here names the
 * citizen: the ticket only carries the `surveyed` mark, and expires with the ticket.
 * The keys sit under the queue's site hash tag (`{site:<id>}`), so the script that marks the ticket and counts
 * the answers touches one Redis Cluster slot.
 */
export class SurveyStore {
  private readonly redis: Redis & SurveyScripts;

  constructor(
    redis: Redis,
    private readonly slot: TicketSlot,
  ) {
    this.redis = defineScripts<SurveyScripts>(redis, sources);
  }

  totalsKey(serviceId: string, day: string): string {
    return this.slot.key('skm', serviceId, day);
  }

  commentsKey(serviceId: string, day: string): string {
    return this.slot.key('skm-comments', serviceId, day);
  }

  /**
   * Counts a complete response (nine scores 1–4) for the ticket's service and day, once per
   * ticket. Partial answers are never stored: an index over partly answered forms would weigh
   * the elements asked first more than the last ones.
   */
  async record(ticket: Pick<Ticket, 'id' | 'serviceId' | 'day'>, scores: readonly number[]): Promise<RecordOutcome> {
    if (scores.length !== skmElements.length || scores.some((s) => !Number.isInteger(s) || s < SKM_MIN || s > SKM_MAX)) {
      throw new RangeError(`a survey response needs ${skmElements.length} scores of ${SKM_MIN}–${SKM_MAX}`);
    }
    const outcome = await this.redis.mppSkmRecord(this.slot.ticketKey(ticket.id), this.totalsKey(ticket.serviceId, ticket.day), scores.join(''), SKM_TTL_SEC);
    return outcome === 'ok' ? 'recorded' : (outcome as RecordOutcome);
  }

  /** Adds the optional comment of a surveyed ticket (once); false when there is nothing to add. */
  async comment(ticket: Pick<Ticket, 'id' | 'serviceId' | 'day'>, text: string): Promise<boolean> {
    const clean = cleanComment(text);
    if (!clean) return false;
    const added = await this.redis.mppSkmComment(
      this.slot.ticketKey(ticket.id),
      this.totalsKey(ticket.serviceId, ticket.day),
      this.commentsKey(ticket.serviceId, ticket.day),
      clean,
      COMMENTS_KEPT,
      SKM_TTL_SEC,
    );
    return added === 1;
  }

  /** Figures of many services for one day, in one round trip. */
  async days(serviceIds: readonly string[], day: string): Promise<Map<string, SkmDay>> {
    const pipe = this.redis.pipeline();
    for (const id of serviceIds) pipe.hgetall(this.totalsKey(id, day));
    const replies = (await pipe.exec()) ?? [];
    return new Map(serviceIds.map((id, i) => [id, parseDay((replies[i]?.[1] ?? {}) as Record<string, string>)]));
  }

  /** The latest comments for a service and day, newest first. */
  async comments(serviceId: string, day: string, limit = COMMENTS_KEPT): Promise<string[]> {
    return this.redis.lrange(this.commentsKey(serviceId, day), 0, limit - 1);
  }
}

function parseDay(raw: Record<string, string>): SkmDay {
  const n = (field: string) => Number(raw[field] ?? 0);
  return { responses: n('responses'), comments: n('comments'), elements: skmElements.map((_e, i) => ({ sum: n(`u${i + 1}_sum`), n: n(`u${i + 1}_n`) })) };
}

/** An empty day, for adding up several. */
export function emptySkmDay(): SkmDay {
  return { responses: 0, comments: 0, elements: skmElements.map(() => ({ sum: 0, n: 0 })) };
}

export function addSkmDays(a: SkmDay, b: SkmDay): SkmDay {
  return { responses: a.responses + b.responses, comments: a.comments + b.comments, elements: a.elements.map((e, i) => ({ sum: e.sum + b.elements[i]!.sum, n: e.n + b.elements[i]!.n })) };
}

/**
 * A comment as stored: one line of plain text, at most 500 characters. Numbers that look like a
 * NIK or phone number and e-mail addresses are masked (`maskPersonalData`, the one masker): a
 * comment is feedback about the service, and UU 27/2022 asks us not to keep personal data we do
 * not need.
 */
export function cleanComment(text: string): string {
  return maskPersonalData(text.replace(/\s+/g, ' ').trim()).slice(0, COMMENT_MAX_CHARS);
}
