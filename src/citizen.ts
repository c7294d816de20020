import { createHash } from 'node:crypto';

/**
 * A stable, non-reversible id for a citizen on a channel (UU 27/2022: keys and indexes never hold
 * a phone number or chat id in clear). Sessions, tickets and limits all key on it.
 */
export function citizenSubject(channel: string, userKey: string): string {
  return createHash('sha256').update(`${channel}\u0000${userKey}`).digest('base64url').slice(0, 22);
}
