import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Keyed pseudonyms (UU 27/2022): keys, indexes and logs never hold a phone number or chat id in
 * clear, and an unkeyed hash of one is not enough (Indonesian mobile numbers are few enough to
 * hash them all in seconds). Every pseudonym is an HMAC-SHA256 under the deployment's secret,
 * set once at start-up (`usePseudonymKey`, from PSEUDONYM_SECRET or `loadPseudonymKey`).
 *
 * One key for the process, on purpose: sessions, tickets, limits, channel stores and logs must all
 * derive the same pseudonym for a citizen, and they are built in many places.
 */
let key: Buffer | undefined;

export function usePseudonymKey(secret: string | Buffer): void {
  key = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
}

function hmac(domain: string, value: string): Buffer {
  if (!key) throw new Error('pseudonym key not set: call usePseudonymKey() at start-up');
  return createHmac('sha256', key).update(`${domain}\u0000${value}`).digest();
}

/** A stable id for a citizen on a channel; sessions, tickets, limits and blocks all key on it. */
export function citizenSubject(channel: string, userKey: string): string {
  return hmac('subject', `${channel}\u0000${userKey}`).toString('base64url').slice(0, 22);
}

/** A short, stable tag for a personal identifier: logs, and channel keys (`wa:seen`, `wac:last`). */
export function pseudonym(value: string): string {
  return hmac('tag', value).toString('hex').slice(0, 12);
}

/**
 * The secret when PSEUDONYM_SECRET is not configured: generated once and kept in Redis (SET NX),
 * so every process of the deployment derives the same pseudonyms. Losing it (Redis data loss)
 * only orphans pseudonymous keys, which expire.
 */
export async function loadPseudonymKey(redis: Redis, prefix: string): Promise<string> {
  const name = `${prefix}:pseudonym-secret`;
  await redis.set(name, randomBytes(32).toString('base64url'), 'NX');
  const secret = await redis.get(name);
  if (!secret) throw new Error('pseudonym secret vanished right after it was stored');
  return secret;
}
