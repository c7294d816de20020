import { AppError, type ErrorCode } from '../errors.js';

export const bookingStatuses = ['active', 'cancelled', 'checked-in'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/**
 * An appointment at the MPP on a later day. `to` is the citizen's channel address, kept only for
 * reminders and expiring TICKET_RETENTION_DAYS after the booking day (UU 27/2022).
 */
export interface Booking {
  id: string;
  /** Short code the citizen shows at the MPP and types to staff (e.g. JT-4K7Q). */
  code: string;
  serviceId: string;
  /** Local date YYYY-MM-DD. */
  day: string;
  /** Local start time HH:MM, one of the service's slots. */
  slot: string;
  status: BookingStatus;
  /** Raised on every change (move, cancel, check-in): reminders planned for another version are stale. */
  version: number;
  subject: string;
  channel: string;
  to: string;
  createdAt: number;
  /** The ticket issued at check-in. */
  ticketId?: string;
}

export function parseBooking(raw: Record<string, string>): Booking | undefined {
  if (!raw.id || !raw.status) return undefined;
  return {
    id: raw.id,
    code: raw.code ?? '',
    serviceId: raw.serviceId ?? '',
    day: raw.day ?? '',
    slot: raw.slot ?? '',
    status: raw.status as BookingStatus,
    version: Number(raw.version ?? 0),
    subject: raw.subject ?? '',
    channel: raw.channel ?? '',
    to: raw.to ?? '',
    createdAt: Number(raw.createdAt ?? 0),
    ...(raw.ticketId ? { ticketId: raw.ticketId } : {}),
  };
}

/** A booking refusal with a stable code; `existing` names the booking that is already there. */
export class BookingError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly info: { existing?: string; status?: string; opensAt?: Date } = {},
  ) {
    super(code, message, info);
  }
}
