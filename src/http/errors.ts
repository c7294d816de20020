import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../errors.js';
import { isRedisUnavailable } from '../redis/errors.js';

/** HTTP status for each error code; the switch must cover every code (checked by tsc). */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'invalid_complaint':
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
    case 'closed':
    case 'illegal_transition':
    case 'counter_busy':
    case 'slot_full':
    case 'already_booked':
    case 'not_bookable':
    case 'check_in_window':
    case 'claimed_by_other':
    case 'not_claimed':
    case 'conversation_ended':
      return 409;
    case 'limit_reached':
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
 * The one Express error handler: known errors keep their code, body-parser errors become 400/413,
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
    const type = (err as { type?: string } | null)?.type;
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody('bad_request', 'The request body is not valid JSON.'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'The request body is too large.'));
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported' || type === 'request.aborted') {
      res.status(400).json(errorBody('bad_request', 'The request body could not be read.'));
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
