import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';
import type { QueueService } from '../../queue/queue-service.js';
import type { TicketStatus } from '../../queue/ticket.js';

/**
 * What the public tracking page shows of a ticket: the number, the service, its place, and the
 * counter once called. No ticket id, no channel, no question, no checklist: nothing about the person.
 */
export interface TrackState {
  number: string;
  service: string;
  status: TicketStatus;
  /** 1-based place in the line while waiting, 0 otherwise. */
  position: number;
  etaMinutes: number;
  counter: string | null;
  counterName: string | null;
  /** The ticket's day (YYYY-MM-DD, local): a page kept open overnight says the ticket is old. */
  day: string;
  today: boolean;
  /** While waiting: every counter of the service is on a break or closed (the ETA cannot hold). */
  paused?: 'break' | 'closed';
}

/** The tracking state of a ticket, or undefined when the ticket is gone (retention). */
export async function trackState(queue: QueueService, catalogue: Catalogue, ticketId: string, locale: Locale): Promise<TrackState | undefined> {
  const ticket = await queue.get(ticketId);
  if (!ticket) return undefined;
  const view = await queue.view(ticket);
  const counter = view.counter ? catalogue.mpp.counters.find((c) => c.id === view.counter) : undefined;
  return {
    number: view.number,
    service: catalogue.services.get(view.serviceId)?.name[locale] ?? view.serviceId,
    status: view.status,
    position: view.position,
    etaMinutes: view.etaMinutes,
    counter: view.counter || null,
    counterName: view.counter ? (counter?.name[locale] ?? view.counter) : null,
    day: view.day,
    today: view.day === queue.today(),
    ...(view.servingPaused ? { paused: view.servingPaused } : {}),
  };
}

/** The service id a tracked ticket waits in (to tell whose positions a queue event may move). */
export async function trackedService(queue: QueueService, ticketId: string): Promise<string | undefined> {
  return (await queue.get(ticketId))?.serviceId;
}
