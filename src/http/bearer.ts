import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** `Authorization: Bearer <token>` checked in constant time; without a configured token, nobody passes. */
export function requireBearer(token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : undefined;
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!expected) throw new AppError('unauthorized', 'The API is disabled: MPP_API_TOKEN is not configured on this server.');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw new AppError('unauthorized', 'Missing or wrong bearer token.');
    next();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
