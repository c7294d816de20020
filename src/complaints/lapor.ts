import type { Complaint } from './complaint.js';

/** SP4N-LAPOR!, the national complaints channel (Perpres 76/2013). */
export const LAPOR_URL = 'https://www.lapor.go.id';

export type LaporResult =
  /** The citizen is given the public link to file there themselves. */
  | { kind: 'link'; url: string }
  /** Filed through an agency integration; LAPOR!'s own tracking id. */
  | { kind: 'submitted'; trackingId: string };

/**
 * Passing a complaint on to SP4N-LAPOR!. Its submission API is documented only to registered
 * agencies (instansi terhubung), so today's implementation is `linkOnly`; an MPP that is
 * connected can plug its client in here without touching the flow or the store.
 */
export interface LaporAdapter {
  submit(complaint: Complaint): Promise<LaporResult>;
}

/** Today's behaviour: nothing is sent; the citizen gets the public link. */
export function linkOnly(url: string = LAPOR_URL): LaporAdapter {
  return { submit: () => Promise.resolve({ kind: 'link', url }) };
}
