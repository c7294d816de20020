/** Why the engine could not follow the flows; the turn answers `errors.unavailable` and logs the code. */
export type FlowErrorCode = 'invalid_flows' | 'unknown_state' | 'unknown_action' | 'unknown_entry' | 'unmapped_outcome' | 'redirect_loop';

/** A broken contract between flows/ and the code, found at run time (the flow check should have caught it). */
export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlowError';
  }
}
