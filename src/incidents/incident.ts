import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Preset kinds an operator picks from; their labels are `incident.kinds.<kind>` in the locales. */
export const incidentKinds = ['blanko_habis', 'sistem_offline', 'loket_tutup', 'lainnya'] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** Longest operator message: one chat bubble, readable on a phone. */
export const INCIDENT_MESSAGE_MAX = 300;

/** What an incident is about: one service, or every service of an agency. */
export const incidentScope = z.strictObject({ type: z.enum(['service', 'agency']), id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(80) });
export type IncidentScope = z.infer<typeof incidentScope>;

export const incidentSchema = z.strictObject({
  id: z.string(),
  day: z.string(),
  scope: incidentScope,
  kind: z.enum(incidentKinds),
  message: z.string().max(INCIDENT_MESSAGE_MAX),
  /** Choices citizens are offered besides "keep": cancel their ticket or booking, move to another day. */
  offers: z.strictObject({ cancel: z.boolean(), move: z.boolean() }),
  /** Services affected (the scope's one service, or the agency's services). */
  services: z.array(z.string()),
  by: z.string(),
  createdAt: z.number(),
  /** Set on a follow-up notice: the incident it updates (`resolved`: it announces the end). */
  parent: z.string().optional(),
  resolved: z.boolean().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

/**
 * The same scope, kind and day give the same id, so an operator who submits twice declares one
 * incident and nobody is told twice. Letters first: job ids built from it are never all digits.
 */
export function incidentId(day: string, scope: IncidentScope, kind: IncidentKind): string {
  return 'in' + createHash('sha256').update(`${day}\u0000${scope.type}:${scope.id}\u0000${kind}`).digest('hex').slice(0, 16);
}

/** A follow-up notice's id: the incident's id and its number (letters and digits only, like the first). */
export function followUpId(parentId: string, n: number): string {
  return `${parentId}u${n}`;
}
