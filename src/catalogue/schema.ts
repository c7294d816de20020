import { z } from 'zod';
import { DEFAULT_SITE, SITE_ID } from '../redis/keyspace.js';

/** Ids are kebab-case ascii: they travel in URLs, callback data and job ids. */
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: a-z, 0-9 and single dashes');
const text = z.string().trim().min(1, 'must not be empty');
const url = z.url({ protocol: /^https?$/ });

/** A text in Indonesian (required) with an optional English version. */
export const localText = z.strictObject({ id: text, en: text.optional() });
/** A text that must exist in both languages (names, requirement items). */
export const bilingualText = z.strictObject({ id: text, en: text });
const localList = z.strictObject({ id: z.array(text).min(1), en: z.array(text).min(1).optional() });
const slotTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)');

/** Bookings for a later day: slot start times (local), places per slot, how far ahead. */
export const appointmentsSchema = z
  .strictObject({
    slots: z.array(slotTime).min(1).max(48),
    capacity: z.number().int().min(1).max(500),
    days_ahead: z.number().int().min(1).max(90),
  })
  .refine((a) => a.slots.every((s, i) => i === 0 || a.slots[i - 1]! < s), { message: 'slots must be in order, each once', path: ['slots'] });

/**
 * Who may apply. `ask` is the one question the conversation asks when the answer decides the
 * requirements or the fee ("untuk anak atau dewasa?"); each option says what changes for it.
 */
export const eligibilitySchema = z.strictObject({
  text: localList,
  ask: z
    .strictObject({
      question: bilingualText,
      options: z.array(z.strictObject({ id, label: bilingualText, answer: bilingualText })).min(2).max(4),
    })
    .optional(),
  sources: z.array(url).min(1),
});

/** Applying through someone else: allowed or not, who may come, what they bring. */
export const representationSchema = z.strictObject({
  allowed: z.boolean(),
  text: bilingualText,
  brings: z.strictObject({ id: z.array(text).min(1), en: z.array(text).min(1) }).optional(),
  sources: z.array(url).min(1),
});

/**
 * How a service sits in a multi-service visit. `needs`: the service uses another service's product
 * (KTP-el address change needs the new KK), so a plan puts that one first; `when` says in which case.
 * `combines_with`: often done in the same trip (SKCK and BNN SKHPN for a job application); a hint,
 * not an order. Each link is a fact and carries its own sources.
 */
export const visitSchema = z.strictObject({
  needs: z
    .array(
      z.strictObject({
        service: id,
        when: bilingualText.optional(),
        product: bilingualText,
        /** Document id from content/documents.yaml that the product replaces in this service's checklist. */
        document: id.optional(),
        sources: z.array(url).min(1),
      }),
    )
    .default([]),
  combines_with: z.array(z.strictObject({ service: id, why: bilingualText, sources: z.array(url).min(1) })).default([]),
});

/**
 * A product collected on a later day (passport, KTP-el, land certificate): when it is usually
 * ready (working days after the visit, when known), where to collect it, and the sources.
 */
export const collectSchema = z.strictObject({
  /** Usual working days from the visit to the product being ready; absent when it depends (blank cards). */
  after_working_days: z.number().int().min(0).max(90).optional(),
  where: bilingualText,
  note: bilingualText.optional(),
  sources: z.array(url).min(1),
});

export const serviceSchema = z
  .strictObject({
    id,
    agency: id,
    name: bilingualText,
    aliases: z.array(text).default([]),
    keywords: z.array(text).min(1),
    summary: localText,
    requirements: z.array(bilingualText).min(1),
    procedure: localList,
    duration: localText,
    /** Average minutes at the counter, the fallback for the queue's wait estimate. */
    service_minutes: z.number().int().min(1).max(480),
    fee: z.strictObject({
      /** Rupiah; null when the amount depends on the case (e.g. vehicle tax). */
      amount: z.number().int().min(0).nullable(),
      text: localText,
      legal_basis: text.optional(),
    }),
    product: localText,
    notes: localList.optional(),
    online: z.strictObject({ url, label: localText }).optional(),
    daily_quota: z.number().int().min(1).max(5000),
    appointments: appointmentsSchema.optional(),
    /** Who may apply (age, status, turnover...), shown before the requirements. */
    eligibility: eligibilitySchema,
    /** Whether someone else may apply on the citizen's behalf, and what they bring. */
    representation: representationSchema,
    /** What the citizen must do in person (photo, fingerprints, signature, interview). */
    in_person: localText.optional(),
    /** When the facts were last checked against their sources (YYYY-MM-DD); catalogue:check lists those older than 12 months. */
    verified: z.iso.date(),
    examples: z.array(text).min(3),
    sources: z.array(url).min(1),
    /** Dependencies and usual combinations for planning a visit with several services. */
    visit: visitSchema.optional(),
    /** Collected later: staff mark it ready and the citizen is told (src/pickup). */
    collect: collectSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.procedure.en && s.procedure.en.length !== s.procedure.id.length) {
      ctx.addIssue({ code: 'custom', path: ['procedure', 'en'], message: 'must have as many steps as procedure.id' });
    }
    if (s.notes?.en && s.notes.en.length !== s.notes.id.length) {
      ctx.addIssue({ code: 'custom', path: ['notes', 'en'], message: 'must have as many items as notes.id' });
    }
  });

export const agencySchema = z.strictObject({
  id,
  name: bilingualText,
  short: text,
  aliases: z.array(text).default([]),
  description: localText,
  website: url.optional(),
  /** Where in the MPP building the agency sits (demo values). */
  location: localText,
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)');
const dayHours = z
  .strictObject({
    open: hhmm,
    close: hhmm,
    breaks: z.array(z.strictObject({ start: hhmm, end: hhmm, reason: bilingualText.optional() })).default([]),
  })
  .refine((d) => d.open < d.close, { message: 'open must be before close' });

const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof weekdays)[number];

export const mppSchema = z.strictObject({
  demo: z.boolean(),
  /** The site's id (a slug): its Redis keys share the hash tag `{site:<id>}`. Default `main`. */
  site: z.string().regex(SITE_ID, 'a slug: lowercase letters, digits and dashes, like kota-contoh').default(DEFAULT_SITE),
  name: text,
  address: text,
  city: text,
  timezone: text.refine(isIanaZone, 'must be an IANA time zone such as Asia/Jakarta'),
  hours: z.strictObject(Object.fromEntries(weekdays.map((d) => [d, dayHours.nullable()])) as Record<Weekday, z.ZodNullable<typeof dayHours>>),
  holidays: z.array(z.strictObject({ date: z.iso.date(), name: bilingualText })).default([]),
  facilities: z.array(z.strictObject({ id, name: bilingualText, description: bilingualText.optional() })).min(1),
  contacts: z.strictObject({
    phone: text.optional(),
    whatsapp: text.optional(),
    email: z.email().optional(),
    website: url.optional(),
    instagram: text.optional(),
  }),
  groups: z
    .array(z.strictObject({ id, prefix: z.string().regex(/^[A-Z]{1,2}$/), name: bilingualText, agencies: z.array(id).min(1) }))
    .min(1),
  counters: z
    .array(z.strictObject({ id, name: bilingualText, agency: id, services: z.array(id).optional() }))
    .min(1),
  /** A short name for choices and cards when a deployment has several sites ("MPP Kota", "MPP Utara"). */
  short: text.max(40).optional(),
  /** Words citizens use for this site ("utara", "kecamatan utara"), for "ganti MPP" in free text. */
  aliases: z.array(text).default([]),
  /** Services of the shared catalogue this site offers: `all` (default) or a list of service ids. */
  offers: z.union([z.literal('all'), z.array(id).min(1)]).default('all'),
  /**
   * What this site does differently for a service it offers: its own daily quota, a local note
   * (shown on the service card at this site). A service's facts (requirements, fees) stay shared.
   */
  overrides: z
    .record(id, z.strictObject({ daily_quota: z.number().int().min(1).max(5000).optional(), note: localText.optional() }))
    .default({}),
});

export const lexiconSchema = z.strictObject({
  /** Colloquial form -> standard form, one word each side (gmn -> bagaimana). */
  words: z.record(z.string(), z.string()),
  /** Multi-word phrase -> replacement, applied before word rules (ktp elektronik -> ktp). */
  phrases: z.record(z.string(), z.string()).default({}),
  /** Words that carry no meaning for finding a service (syarat, cara, apa). */
  stopwords: z.array(z.string()).default([]),
  /** English query words -> Indonesian index words. */
  english: z.record(z.string(), z.string()).default({}),
});

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
}

export type Service = z.infer<typeof serviceSchema>;
export type Agency = z.infer<typeof agencySchema>;
export type Mpp = z.infer<typeof mppSchema>;
export type Lexicon = z.infer<typeof lexiconSchema>;
export type LocalText = z.infer<typeof localText>;
export type Eligibility = z.infer<typeof eligibilitySchema>;
export type Representation = z.infer<typeof representationSchema>;
export type VisitLinks = z.infer<typeof visitSchema>;
