import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';
import type { QueueService } from '../queue/queue-service.js';
import type { TicketView } from '../queue/ticket.js';
import type { TrackingCodes } from './codes.js';
import { TrackingKeys } from './keys.js';

/** What a claim does with a ticket's queue. */
export type ClaimQueue = Pick<QueueService, 'attach' | 'get'>;

/** The queues of a deployment of several sites, by ticket (src/sites implements it). */
export interface TicketQueues {
  queueOf(ticketId: string): Promise<ClaimQueue>;
}

/** A claim link is followed at once (a tap on the tracking page); a quarter of an hour is plenty. */
const CLAIM_TTL_SEC = 15 * 60;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}$/;

/**
 * "Continue in the chat": the tracking page makes a one-time claim token for its ticket; the web
 * chat (`/?claim=<token>`) or Telegram (`/start <token>`) redeems it for the citizen writing there,
 * and the kiosk ticket becomes theirs (`QueueService.attach`), so reminders reach that chat. The
 * token works once and briefly, and is not the printed code: a photo of a ticket's QR does not
 * hand anyone a chat link, and a token seen in a browser history is already spent. The ticket
 * itself can be claimed once (the first claim wins).
 */
export class TicketClaims {
  private readonly keys: TrackingKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly codes: TrackingCodes,
    /** The queue that holds a ticket, whichever site issued it (`Sites.queueOf`), or the one queue. */
    private readonly queues: TicketQueues | ClaimQueue,
  ) {
    this.keys = new TrackingKeys(prefix);
  }

  /** A fresh claim token for the ticket behind a tracking code, or undefined for an unknown code or a ticket that is no longer active. */
  async create(code: string): Promise<string | undefined> {
    const ticketId = await this.codes.resolve(code);
    const ticket = ticketId ? await (await this.queueOf(ticketId)).get(ticketId) : undefined;
    if (!ticket || !['waiting', 'called', 'serving'].includes(ticket.status)) return undefined;
    const token = randomBytes(16).toString('base64url');
    await this.redis.set(this.keys.claim(token), ticket.id, 'EX', CLAIM_TTL_SEC);
    return token;
  }

  /** Whether a string has the shape of a claim token (a chat's `/start` payload may be anything). */
  static isToken(value: string): boolean {
    return TOKEN_FORMAT.test(value);
  }

  /**
   * Spends the token and gives its ticket to the citizen on `channel`. Throws `unknown_ticket` for a
   * spent, expired or forged token, `claimed_by_other` when someone claimed the ticket first,
   * `limit_reached` when the citizen already holds a ticket for that service.
   */
  async redeem(token: string, channel: string, userKey: string): Promise<TicketView> {
    const ticketId = TOKEN_FORMAT.test(token) ? await this.redis.getdel(this.keys.claim(token)) : null;
    if (!ticketId) throw new AppError('unknown_ticket', 'this claim link was used already or has expired');
    return (await this.queueOf(ticketId)).attach(ticketId, channel, userKey);
  }

  private async queueOf(ticketId: string): Promise<ClaimQueue> {
    return 'queueOf' in this.queues ? this.queues.queueOf(ticketId) : this.queues;
  }
}
