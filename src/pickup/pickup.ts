import { AppError, type ErrorCode } from '../errors.js';

export const pickupStatuses = ['applied', 'ready', 'collected'] as const;
export type PickupStatus = (typeof pickupStatuses)[number];

/**
 * An application whose product is collected later (passport, KTP-el, certificate), made when its
 * ticket is finished at the counter. `channel`/`to` are the ticket's notice address, kept only to
 * say "it is ready" and expiring with the record; nothing else about the citizen is stored.
 */
export interface Pickup {
  /** The ticket's id. */
  id: string;
  /** What the citizen quotes: the ticket number and the visit date, e.g. `A-001-20261123`. */
  reference: string;
  /** The agency's receipt number (tanda terima), when the officer entered one. */
  receipt: string;
  ticketNumber: string;
  /** Day of the visit (YYYY-MM-DD, MPP time). */
  day: string;
  serviceId: string;
  status: PickupStatus;
  channel: string;
  to: string;
  subject: string;
  /** Usual ready day (YYYY-MM-DD) from the service's working days; '' when it depends. */
  expectedDay: string;
  createdAt: number;
  readyAt?: number;
  collectedAt?: number;
  /** Not-collected reminders sent so far. */
  reminders: number;
  /** The MPP site where the document is collected, when it is not the main site (several sites in one deployment). */
  site?: string;
}

/** A pickup refusal with a stable code: `not_found` (no such reference), `illegal_transition` (already collected), `bad_request`. */
export class PickupError extends AppError {
  constructor(
    code: Extract<ErrorCode, 'not_found' | 'illegal_transition' | 'bad_request'>,
    message: string,
    /** Which bad request: the receipt number is another application's; a bare ticket number fits several. */
    readonly reason?: 'receipt_taken' | 'ambiguous',
  ) {
    super(code, message);
  }
}

/** The reference a citizen quotes: ticket number and visit date. */
export function pickupReference(ticketNumber: string, day: string, site?: string): string {
  // Another site numbers its own A-001 the same day: its site id keeps the two references apart.
  return `${site ? `${site.toUpperCase()}-` : ''}${ticketNumber}-${day.replaceAll('-', '')}`;
}

/**
 * How references and receipts are looked up: letters and digits only, upper case, so "a-001 20261123",
 * "A001-20261123" and "A-001-20261123" are one reference. Empty when nothing usable is left.
 */
export function compactReference(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 40);
}

/**
 * The number in what the citizen typed, without the words around it: "nomornya 1234567",
 * "no A-001-20261123", "paspor saya sudah jadi? resi 12345" (from the first to the last word with a
 * digit). Undefined when those words hold fewer than `minChars` letters and digits ("tgl 5").
 */
export function referenceIn(text: string, minChars = 4): string | undefined {
  const words = text.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
  const first = words.findIndex((w) => /\d/.test(w));
  if (first < 0) return undefined;
  const last = words.length - 1 - [...words].reverse().findIndex((w) => /\d/.test(w));
  const typed = words.slice(first, last + 1).join(' ');
  return compactReference(typed).length >= minChars ? typed : undefined;
}

/** A ticket number alone ("B-001", compact "B001"): staff may type it without the date. */
export const BARE_NUMBER = /^[A-Z]{1,2}\d{1,4}$/;

/** A receipt or reference as typed: 3 to 40 characters of letters, digits, spaces and - / . */
export const REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ./-]{1,38}[A-Za-z0-9]$/;

export function parsePickup(raw: Record<string, string>): Pickup | undefined {
  if (!raw.id || !raw.status) return undefined;
  const num = (v: string | undefined) => (v ? Number(v) : undefined);
  const readyAt = num(raw.readyAt);
  const collectedAt = num(raw.collectedAt);
  return {
    id: raw.id,
    reference: raw.reference ?? '',
    receipt: raw.receipt ?? '',
    ticketNumber: raw.ticketNumber ?? '',
    day: raw.day ?? '',
    serviceId: raw.serviceId ?? '',
    status: (pickupStatuses as readonly string[]).includes(raw.status) ? (raw.status as PickupStatus) : 'applied',
    channel: raw.channel ?? '',
    to: raw.to ?? '',
    subject: raw.subject ?? '',
    expectedDay: raw.expectedDay ?? '',
    createdAt: Number(raw.createdAt ?? 0),
    ...(readyAt !== undefined ? { readyAt } : {}),
    ...(collectedAt !== undefined ? { collectedAt } : {}),
    reminders: Number(raw.reminders ?? 0),
    ...(raw.site ? { site: raw.site } : {}),
  };
}

/** What staff and the API see: no channel address, no subject. */
export function publicPickup(p: Pickup) {
  return {
    id: p.id,
    reference: p.reference,
    receipt: p.receipt || null,
    ticketNumber: p.ticketNumber,
    day: p.day,
    serviceId: p.serviceId,
    status: p.status,
    expectedDay: p.expectedDay || null,
    readyAt: p.readyAt ?? null,
    collectedAt: p.collectedAt ?? null,
    notifiable: Boolean(p.channel && p.to),
  };
}
