/**
 * Codes of the help desk's refusals. Stable: the desk page maps each to `desk.errors.<code>` and the
 * HTTP edge to a status (claimed_by_other → 409, unknown_conversation → 404, the rest → 409).
 */
export const deskErrorCodes = ['unknown_conversation', 'claimed_by_other', 'not_claimed', 'conversation_ended', 'unknown_message'] as const;
export type DeskErrorCode = (typeof deskErrorCodes)[number];

export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
    /** For `claimed_by_other`: the officer who holds it, so the page can say who. */
    readonly holder?: string,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}
