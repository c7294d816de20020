import type { Logger } from 'pino';
import { pseudonym } from '../logger.js';
import type { QueueService } from '../queue/queue-service.js';

/** What was erased for a citizen, to tell them (UU 27/2022: the right to erasure). */
export interface ForgetSummary {
  tickets: number;
  cancelled: number;
  /** Other stores that held something of theirs (channel data, pending notices, bookings). */
  other: number;
}

/** A store outside the queue that keeps personal data: it deletes what it has for a citizen and says how much. */
export type Eraser = (channel: string, userKey: string) => Promise<number>;

/**
 * "Hapus data saya": one entry point that erases a citizen's personal links everywhere. Channels
 * and features register erasers for their own stores; the conversation session itself is
 * deleted by the engine at the end of the turn.
 */
export class Forgetting {
  private readonly erasers = new Map<string, Eraser>();
  private readonly queues: readonly Pick<QueueService, 'forgetCitizen'>[];

  constructor(
    /** Every site's queue (a citizen may hold tickets at several MPPs), or the one queue, or none. */
    queues: Pick<QueueService, 'forgetCitizen'> | readonly Pick<QueueService, 'forgetCitizen'>[] | undefined,
    private readonly logger: Logger,
  ) {
    this.queues = queues === undefined ? [] : Array.isArray(queues) ? queues : [queues as Pick<QueueService, 'forgetCitizen'>];
  }

  register(name: string, eraser: Eraser): void {
    this.erasers.set(name, eraser);
  }

  async forget(channel: string, userKey: string): Promise<ForgetSummary> {
    const fromQueue = { tickets: 0, cancelled: 0 };
    // One site after the other: an erasure that fails half-way is retried whole by the citizen.
    for (const queue of this.queues) {
      const erased = await queue.forgetCitizen(channel, userKey);
      fromQueue.tickets += erased.tickets;
      fromQueue.cancelled += erased.cancelled;
    }
    let other = 0;
    for (const [name, erase] of this.erasers) {
      other += await erase(channel, userKey);
      this.logger.debug({ store: name }, 'personal data erased');
    }
    this.logger.info({ citizen: pseudonym(`${channel}:${userKey}`), tickets: fromQueue.tickets }, 'citizen asked to erase their data');
    return { ...fromQueue, other };
  }
}
