import { z } from 'zod';
import type { CitizenAddress } from '../desk/conversation.js';
import type { Locale } from '../message.js';

/** What a complaint is about; `pungli` (extortion, bribery) also gets the Ombudsman's contacts. */
export const complaintCategories = ['pelayanan_lambat', 'petugas', 'pungli', 'persyaratan', 'informasi', 'fasilitas', 'sistem', 'lainnya'] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

/** SP4N-LAPOR!'s own words: new, in process, forwarded (to an agency), done. */
export const complaintStatuses = ['baru', 'diproses', 'diteruskan', 'selesai'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

/**
 * Allowed moves. Every complaint is verified (`diproses`) or forwarded before it can be done; an
 * agency may send a forwarded one back to us; `selesai` is final (a new complaint reopens).
 */
export const complaintTransitions: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  baru: ['diproses', 'diteruskan'],
  diproses: ['diteruskan', 'selesai'],
  diteruskan: ['diproses', 'selesai'],
  selesai: [],
};

/** `ADU-YYYYMMDD-NNNN`: per local day; a fifth digit appears past 9999 rather than refusing one. */
export const REFERENCE_PATTERN = /^ADU-\d{8}-\d{4,}$/;
export const COMPLAINT_MAX_CHARS = 2000;

/** A new complaint as the chat flow or the desk collects it; parse at the edge. */
export const newComplaintSchema = z.strictObject({
  what: z.string().trim().min(1).max(COMPLAINT_MAX_CHARS),
  category: z.enum(complaintCategories),
  agencyId: z.string().min(1).max(80).optional(),
  serviceId: z.string().min(1).max(120).optional(),
  /** When it happened (local date), if the citizen said. */
  happenedOn: z.iso.date().optional(),
  ticketNumber: z.string().min(1).max(20).optional(),
  /** "Keep my name hidden": no name is stored, and staff pages never show who sent it. */
  anonymous: z.boolean(),
  /** Only kept when not anonymous. */
  reporterName: z.string().trim().min(1).max(100).optional(),
});
export type NewComplaint = z.infer<typeof newComplaintSchema>;

export interface StatusChange {
  status: ComplaintStatus | 'note';
  at: number;
  officer: string;
  /** For `diteruskan`: the agency it went to. */
  agencyId?: string;
}

/** A complaint's record: what the figures and the status lookup need. No text, no contact. */
export interface ComplaintRecord {
  reference: string;
  status: ComplaintStatus;
  category: ComplaintCategory;
  agencyId?: string;
  serviceId?: string;
  happenedOn?: string;
  ticketNumber?: string;
  anonymous: boolean;
  locale: Locale;
  createdAt: number;
  /** Local day of creation (YYYY-MM-DD): the reference's day and the figures' day. */
  day: string;
  updatedAt: number;
  /** First move out of `baru` (verified or forwarded). */
  firstResponseAt?: number;
  /** First follow-up after verification: a note or `selesai`. */
  followUpAt?: number;
  resolvedAt?: number;
  forwardedTo?: string;
}

/** What staff see: the record, the history and, within retention, the text (masked). */
export interface Complaint extends ComplaintRecord {
  history: StatusChange[];
  /** Undefined once the text's retention period has passed. */
  what?: string;
  /** Never present for anonymous complaints. */
  reporterName?: string;
}

export type { CitizenAddress };

/** A reference in a citizen's words ("status aduan adu-20261123-0007"), normalised; undefined if none. */
export function findReference(text: string): string | undefined {
  const m = /\bADU[-\s]?(\d{8})[-\s]?(\d{4,})\b/i.exec(text);
  return m ? `ADU-${m[1]}-${m[2]}` : undefined;
}
