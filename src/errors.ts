/**
 * Every error a citizen or a client can be told about, by stable code. Edges map a code to an
 * HTTP status (src/http/errors.ts) and to a locale key `errors.<code>`; never match on message text.
 */
export const errorCodes = [
  'bad_request',
  'not_found',
  'unknown_service',
  'unknown_session',
  'rate_limited',
  'unavailable',
  'payload_too_large',
  'internal',
  'unauthorized',
  'forbidden',
  'csrf',
  'quota_full',
  'closed',
  'limit_reached',
  'web_share_full',
  'address_limit',
  'already_in_line',
  'blocked',
  'illegal_transition',
  'unknown_ticket',
  'unknown_counter',
  'counter_busy',
  'citizen_busy',
  'unknown_booking',
  'slot_full',
  'already_booked',
  'not_bookable',
  'check_in_window',
  'unsupported_media_type',
  'idempotency_mismatch',
  'unknown_conversation',
  'claimed_by_other',
  'not_claimed',
  'conversation_ended',
  'unknown_message',
  'unknown_complaint',
  'invalid_complaint',
  'counter_not_open',
  'undo_expired',
  'unknown_site',
  'not_offered_here',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
