/**
 * Redis keys of tracking codes. Both directions share the hash tag `{track}`, so a deployment on
 * Redis Cluster keeps a code and its ticket's entry in one slot.
 */
export class TrackingKeys {
  readonly base: string;
  constructor(prefix: string) {
    this.base = `${prefix}:{track}`;
  }
  /** code -> ticket id. */
  code(code: string): string {
    return `${this.base}:code:${code}`;
  }
  /** One-time claim token -> ticket id (a tracking page's "continue in the chat" link). */
  claim(token: string): string {
    return `${this.base}:claim:${token}`;
  }
  /** ticket id -> code (a retried request gets the same code). */
  ticket(ticketId: string): string {
    return `${this.base}:ticket:${ticketId}`;
  }
}
