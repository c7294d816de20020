import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';

/** Longer than the queue's own day-scoped idempotency record, so a key is bound for as long as it means a ticket. */
const BIND_SECONDS = 2 * 24 * 3600;

/**
 * Binds an `Idempotency-Key` to the request it first came with (method, path, body, caller): a
 * retry of that request goes on to the queue's idempotent take, anything else sent under the same
 * key is refused with 409 `idempotency_mismatch` instead of being answered with the first
 * request's ticket (which may be another citizen's). The same contract as the IETF draft
 * "The Idempotency-Key HTTP Header Field" (section 2.6: key reused with a different payload).
 */
export class IdempotencyKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Throws `idempotency_mismatch` when `key` (scoped to `scope`, the queue day) was used for another request. */
  async bind(scope: string, key: string, req: Request, body: unknown): Promise<void> {
    const name = `${this.prefix}:idem-fp:${scope}:${key}`;
    const print = fingerprint(req, body);
    const set = await this.redis.set(name, print, 'EX', BIND_SECONDS, 'NX');
    if (set === 'OK') return;
    const bound = await this.redis.get(name);
    // Expired between the two calls: the key is free again, so bind it to this request.
    if (bound === null) return this.bind(scope, key, req, body);
    if (bound !== print) throw new AppError('idempotency_mismatch', 'This Idempotency-Key was already used with a different request; use a new key for a new request.');
  }
}

/** SHA-256 over the method, the route's path, the validated body (keys sorted) and the caller's credential (hashed, never stored). */
export function fingerprint(req: Request, body: unknown): string {
  const caller = createHash('sha256').update(req.get('authorization') ?? '').digest('hex');
  const canonical = JSON.stringify([req.method, req.baseUrl + req.path, sorted(body), caller]);
  return createHash('sha256').update(canonical).digest('base64url');
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sorted(v)]));
  return value;
}
