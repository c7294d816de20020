/**
 * Codes of refused complaint operations, stable for the edges (`complaints.errors.<code>` in
 * locales; HTTP: unknown_complaint → 404, illegal_transition → 409, invalid_complaint → 400).
 */
export const complaintErrorCodes = ['unknown_complaint', 'illegal_transition', 'invalid_complaint'] as const;
export type ComplaintErrorCode = (typeof complaintErrorCodes)[number];

export class ComplaintError extends Error {
  constructor(
    readonly code: ComplaintErrorCode,
    message: string,
    /** For illegal_transition: the status the complaint is in. */
    readonly current?: string,
  ) {
    super(message);
    this.name = 'ComplaintError';
  }
}
