import { AppError, type ErrorCode } from '../errors.js';

export const ticketStatuses = ['waiting', 'called', 'serving', 'done', 'cancelled', 'no-show'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export type TicketAction = 'recall' | 'start' | 'done' | 'no-show' | 'cancel';

/** A ticket as stored. `to` is the citizen's channel address, kept only for notices and expiring with the ticket. */
export interface Ticket {
  id: string;
  number: string;
  /** Place in the group's numbering today; orders the lines. */
  seq: number;
  serviceId: string;
  group: string;
  day: string;
  status: TicketStatus;
  priority: boolean;
  subject: string;
  channel: string;
  to: string;
  /**
   * Requirement indexes the citizen confirmed as ready, and those they said were missing, of the
   * service they answered (`serviceId`; a transfer does not change it). Tickets stored before the
   * field have none: their answers belong to `transferredFrom` or else the ticket's service.
   */
  checklist: { serviceId?: string; ready: number[]; missing: number[] } | null;
  question: string;
  createdAt: number;
  calledAt?: number;
  startedAt?: number;
  doneAt?: number;
  counter: string;
  recalls: number;
  /** Times a counter called it (a transfer sends it back to a line); each call is its own notice. */
  calls: number;
  source: string;
  transferredFrom?: string;
  /** Moved back once by "saya terlambat". */
  postponed: boolean;
  /** When the citizen said "saya menuju" (ms). */
  onTheWay?: number;
  /** The satisfaction survey was answered. */
  surveyed: boolean;
  /** Set when the ticket is one step of a visit (issue 13, chained tickets); absent for a single ticket. */
  visit?: TicketVisit;
}

/** A ticket's place in its visit. */
export interface TicketVisit {
  id: string;
  /** 1-based step, in the plan's order. */
  step: number;
  /** Steps in the visit. */
  of: number;
  /**
   * Not callable yet: an earlier step of the visit is still open. It keeps its place in the line
   * (and counts in others' positions) while counters pass it by.
   */
  held: boolean;
  /** When the previous step finished and this one became callable (ms). */
  releasedAt?: number;
}

/** A ticket with its place in the line. */
export interface TicketView extends Ticket {
  /** People to be served before this ticket (0 when called or finished). */
  ahead: number;
  /** 1-based place in the line while waiting. */
  position: number;
  etaMinutes: number;
}

/** A queue refusal with a stable code and what the citizen needs to know next. */
export class QueueError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly info: { nextOpen?: Date; until?: Date; remaining?: number; quota?: number; ticketId?: string; status?: string; serviceId?: string } = {},
  ) {
    super(code, message, info);
  }
}

export function parseTicket(raw: Record<string, string>): Ticket | undefined {
  if (!raw.id || !raw.status) return undefined;
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  let checklist: Ticket['checklist'] = null;
  try {
    checklist = raw.checklist ? (JSON.parse(raw.checklist) as Ticket['checklist']) : null;
  } catch {
    checklist = null;
  }
  return {
    id: raw.id,
    number: raw.number ?? '',
    seq: Number(raw.seq ?? 0),
    serviceId: raw.serviceId ?? '',
    group: raw.group ?? '',
    day: raw.day ?? '',
    status: raw.status as TicketStatus,
    priority: raw.priority === '1',
    subject: raw.subject ?? '',
    channel: raw.channel ?? '',
    to: raw.to ?? '',
    checklist,
    question: raw.question ?? '',
    createdAt: Number(raw.createdAt ?? 0),
    calledAt: num(raw.calledAt),
    startedAt: num(raw.startedAt),
    doneAt: num(raw.doneAt),
    counter: raw.counter ?? '',
    recalls: Number(raw.recalls ?? 0),
    calls: Number(raw.calls ?? 0),
    source: raw.source ?? '',
    ...(raw.transferredFrom ? { transferredFrom: raw.transferredFrom } : {}),
    postponed: raw.postponed === '1',
    ...(raw.onTheWay ? { onTheWay: Number(raw.onTheWay) } : {}),
    surveyed: raw.surveyed === '1',
    ...(raw.visitId ? { visit: { id: raw.visitId, step: Number(raw.visitStep ?? 1), of: Number(raw.visitSteps ?? 1), held: raw.held === '1', ...(raw.releasedAt ? { releasedAt: Number(raw.releasedAt) } : {}) } } : {}),
  };
}

export function isActive(status: TicketStatus): boolean {
  return status === 'waiting' || status === 'called' || status === 'serving';
}
