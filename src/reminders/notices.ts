import type { Logger } from 'pino';
import type { QueueService } from '../queue/queue-service.js';
import type { Ticket } from '../queue/ticket.js';
import type { OutgoingMessage } from '../engine/message.js';
import type { ConversationPort } from './conversation-port.js';
import type { NoticeJob, NoticeKind } from './kinds.js';

/** The flow state that speaks each notice (flows/reminders.yaml, flows/survey.yaml). */
const STATE: Record<NoticeKind, string> = { near: 'remind-near', called: 'remind-called', recalled: 'remind-called', 'no-show': 'remind-no-show', survey: 'survey' };

/** Is the notice still true when it is about to go out? A late or duplicate job sends nothing. */
export function stillRelevant(ticket: Ticket, job: Pick<NoticeJob, 'kind' | 'n'>): boolean {
  switch (job.kind) {
    case 'near':
      return ticket.status === 'waiting';
    case 'called':
      return ticket.status === 'called';
    case 'recalled':
      return ticket.status === 'called' && ticket.recalls === job.n;
    case 'no-show':
      return ticket.status === 'no-show';
    case 'survey':
      return ticket.status === 'done' && !ticket.surveyed;
  }
}

export interface PreparedNotice {
  channel: string;
  to: string;
  messages: OutgoingMessage[];
}

/**
 * Turns a notice job into messages: re-reads the ticket, drops what is stale, and lets the
 * conversation engine speak the notice's flow state so replies to it are understood.
 */
export class Notices {
  constructor(
    private readonly queue: QueueService,
    private readonly conversation: ConversationPort,
    private readonly logger: Logger,
  ) {}

  async prepare(job: NoticeJob): Promise<PreparedNotice | undefined> {
    const ticket = await this.queue.get(job.ticketId);
    if (!ticket || !ticket.channel || !ticket.to) return undefined;
    if (!stillRelevant(ticket, job)) {
      this.logger.debug({ ticket: ticket.id, kind: job.kind, status: ticket.status }, 'notice no longer relevant');
      return undefined;
    }
    const messages = await this.conversation.push(ticket.channel, ticket.to, STATE[job.kind], { ticket: ticket.id, notice: job.kind });
    return { channel: ticket.channel, to: ticket.to, messages };
  }
}
