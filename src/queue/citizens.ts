import type { Redis } from 'ioredis';
import { citizenSubject } from '../citizen.js';
import type { Clock } from '../clock.js';
import type { QueueKeys } from './keys.js';
import type { QueueLayout } from './layout.js';
import type { QueueReads } from './reads.js';
import type { Ticket } from './ticket.js';

/** What the queue keeps about a citizen beyond one ticket: no-show blocks, "saya menuju", and erasure. */
export class CitizenRecords {
  constructor(
    private readonly redis: Redis,
    private readonly keys: QueueKeys,
    private readonly reads: QueueReads,
    private readonly layout: QueueLayout,
    private readonly clock: Clock,
    /** Cancels a ticket through the desk (the Lua transition keeps lines and counts right). */
    private readonly cancel: (ticketId: string) => Promise<unknown>,
  ) {}

  /** "Saya menuju": the citizen says they are on their way; staff see it on the console. */
  async markOnTheWay(ticket: Ticket): Promise<Ticket> {
    await this.redis.hset(this.keys.ticket(ticket.id), 'onTheWay', String(this.clock.now().getTime()));
    return { ...ticket };
  }

  /**
   * "Hapus data saya" (UU 27/2022): cancels the citizen's active tickets and removes every link
   * from their tickets to them (address, question, checklist); numbers and daily counts stay, and
   * so do a no-show block and today's ticket count (the abuse record is not theirs to erase).
   */
  async forget(channel: string, userKey: string): Promise<{ tickets: number; cancelled: number }> {
    const subject = citizenSubject(channel, userKey);
    const ids = await this.redis.smembers(this.keys.citizenTickets(subject));
    let cancelled = 0;
    for (const id of ids) {
      const ticket = await this.reads.get(id);
      if (ticket && (ticket.status === 'waiting' || ticket.status === 'called')) {
        await this.cancel(id).then(
          () => cancelled++,
          () => undefined,
        );
      }
      // Only existing tickets: HSET on an expired one would recreate it without a TTL.
      if (ticket) await this.redis.hset(this.keys.ticket(id), 'subject', '', 'channel', '', 'to', '', 'question', '', 'checklist', '');
    }
    await this.redis.del(this.keys.citizenTickets(subject));
    await this.keepAbuseRecord(subject);
    return { tickets: ids.length, cancelled };
  }

  /**
   * Erasure removes personal data, not the abuse record: the no-show block and today's ticket
   * count stay under the keyed pseudonym with their own short TTLs (README, personal data), but
   * lose their links to tickets (ticket ids become anonymous members).
   */
  private async keepAbuseRecord(subject: string): Promise<void> {
    const day = this.keys.citizen(subject, this.layout.today());
    // Only the day's count stays; links to tickets and visits (service fields, `_busy`, `_v:…`) go.
    const links = Object.keys(await this.redis.hgetall(day)).filter((f) => f !== '_count');
    if (links.length > 0) await this.redis.hdel(day, ...links);
    const noshows = this.keys.noshows(subject);
    const [entries, ttl] = await Promise.all([this.redis.zrange(noshows, 0, -1, 'WITHSCORES'), this.redis.pttl(noshows)]);
    if (entries.length === 0 || ttl <= 0) return;
    const anonymous: Array<string | number> = [];
    for (let i = 0; i + 1 < entries.length; i += 2) anonymous.push(entries[i + 1]!, `noshow${i / 2}`);
    await this.redis.multi().del(noshows).zadd(noshows, ...anonymous).pexpire(noshows, ttl).exec();
  }

  /** Staff lift a no-show block early. */
  async liftBlock(channel: string, userKey: string): Promise<boolean> {
    const subject = citizenSubject(channel, userKey);
    const removed = await this.redis.del(this.keys.block(subject), this.keys.noshows(subject));
    return removed > 0;
  }

  async isBlocked(channel: string, userKey: string): Promise<Date | undefined> {
    const ttl = await this.redis.pttl(this.keys.block(citizenSubject(channel, userKey)));
    return ttl > 0 ? new Date(this.clock.now().getTime() + ttl) : undefined;
  }
}
