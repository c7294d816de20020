import { ReplyError } from 'ioredis';

/**
 * The code of a Redis error reply (`BUSYGROUP`, `NOSCRIPT`, `WRONGTYPE`...): by the protocol
 * (RESP "error prefix") the first upper-case word of the reply names its kind. Anything that is
 * not an error reply from the server (a connection failure, our own bug) has no code.
 */
export function replyErrorCode(err: unknown): string | undefined {
  if (!(err instanceof ReplyError)) return undefined;
  return /^[A-Z]+(?=\s|$)/.exec((err as Error).message)?.[0];
}

/** Node's system error codes that mean the Redis server cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * Whether a failure means "Redis is not there": ioredis's MaxRetriesPerRequestError (its class,
 * by name: ioredis does not export it), a network error code, or a client that is not connected
 * (ioredis rejects with a plain Error then, so the client's own state is what tells).
 */
export function isRedisUnavailable(err: unknown, client?: { status: string }): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  if (e?.name === 'MaxRetriesPerRequestError') return true;
  if (typeof e?.code === 'string' && UNREACHABLE.has(e.code)) return true;
  return client !== undefined && client.status !== 'ready' && !(err instanceof ReplyError);
}
