import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.js';
import { isRedisUnavailable } from '../redis/errors.js';

/** HTTP status for each error code; the switch must cover every code (checked by tsc). */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'invalid_complaint':
    case 'unknown_site':
      return 400;
    case 'not_found':
    case 'unknown_service':
    case 'unknown_session':
    case 'unknown_ticket':
    case 'unknown_counter':
    case 'unknown_booking':
    case 'unknown_conversation':
    case 'unknown_message':
    case 'unknown_complaint':
      return 404;
    case 'unauthorized':
      return 401;
    case 'forbidden':
    case 'csrf':
    case 'blocked':
      return 403;
    case 'quota_full':
    case 'web_share_full':
    case 'closed':
    case 'illegal_transition':
    case 'counter_busy':
    case 'citizen_busy':
    case 'slot_full':
    case 'already_booked':
    case 'not_bookable':
    case 'check_in_window':
    case 'idempotency_mismatch':
    case 'claimed_by_other':
    case 'not_claimed':
    case 'conversation_ended':
    case 'counter_not_open':
    case 'undo_expired':
    case 'already_in_line':
      return 409;
    case 'unsupported_media_type':
      return 415;
    case 'not_offered_here':
      return 422;
    case 'limit_reached':
    case 'address_limit':
      return 429;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
  }
}

/** Body shape of every JSON error: `{"error": {"code", "message"}}`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * The one Express error handler: known errors keep their code, body-parser errors become 4xx,
 * Redis being away becomes 503 (judged by error class or code and the client's state, never by message).
 */
export function errorHandler(logger: Logger, redis?: { status: string }): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof AppError) {
      res.status(httpStatus(err.code)).json(errorBody(err.code, err.message, err.details));
      return;
    }
    const client = bodyReadError(err);
    if (client) {
      res.status(httpStatus(client.code)).json(errorBody(client.code, client.message));
      return;
    }
    if (isRedisUnavailable(err, redis)) {
      res.status(503).json(errorBody('unavailable', 'The service is temporarily unavailable, please try again shortly.'));
      return;
    }
    (req.log ?? logger).error({ err, path: req.path }, 'unhandled error');
    res.status(500).json(errorBody('internal', 'Something went wrong on our side.'));
  };
}

/**
 * body-parser's errors (http-errors with `expose` and a 4xx `status`) are the client's doing: a
 * body that is not JSON, too large, cut short, or a `Content-Encoding: gzip` stream that does not
 * inflate (a zlib error wrapped in a 400 with no `type`). They get a 4xx and no stack; a 5xx from
 * body-parser (`stream.not.readable`: our wiring) stays a 500.
 */
function bodyReadError(err: unknown): { code: ErrorCode; message: string } | undefined {
  const e = err as { status?: unknown; expose?: unknown; type?: unknown } | null;
  if (!e || typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return undefined;
  switch (e.status) {
    case 413:
      return { code: 'payload_too_large', message: 'The request body is too large.' };
    case 415:
      return { code: 'unsupported_media_type', message: 'The request body\'s encoding or charset is not supported.' };
    default:
      return { code: 'bad_request', message: e.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : 'The request body could not be read.' };
  }
}
