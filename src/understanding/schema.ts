import { z } from 'zod';

const phrase = z.string().trim().min(1, 'must not be empty');
/** Phrases in both languages; either list may be empty. */
export const phraseLists = z.strictObject({ id: z.array(phrase).default([]), en: z.array(phrase).default([]) });
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case: a-z, 0-9 and single dashes');

/** Most specific first: on phrases of equal width the earlier topic wins ("kalo ilang gimana" is lost, not procedure). */
export const followUpTopics = ['fines', 'children', 'lost', 'representation', 'eligibility', 'fee', 'duration', 'online', 'location', 'agency', 'requirements', 'procedure'] as const;
export type FollowUpTopic = (typeof followUpTopics)[number];

export const intentNames = [
  'ticket_status', 'ticket_cancel', 'on_my_way', 'late', 'greeting', 'thanks', 'small_talk', 'frustration', 'insult', 'human', 'complaint',
  'hours', 'address', 'facilities', 'contact', 'language_en', 'language_id', 'menu', 'back', 'out_of_scope',
  'pickup_status', 'ticket_take', 'kiosk_ticket',
] as const;
export type IntentName = (typeof intentNames)[number];

const weekdayNames = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Words of the date and time parser (content/intents.yaml `dates`). */
export const dateWordsSchema = z.strictObject({
  weekdays: z.strictObject(Object.fromEntries(weekdayNames.map((d) => [d, z.array(phrase).min(1)])) as Record<(typeof weekdayNames)[number], z.ZodArray<typeof phrase>>),
  months: z.array(z.array(phrase).min(1)).length(12, 'must list the 12 months, January first'),
  relative: z.record(phrase, z.number().int().min(0).max(14)),
  next_week: z.array(phrase),
  day_markers: z.array(phrase),
  time_markers: z.array(phrase),
  afternoon: z.array(phrase),
  morning: z.array(phrase),
  minutes: z.array(phrase),
  hours: z.array(phrase),
  half: z.array(phrase),
});

/** A phrase with one `{x}` standing for the document named ("yg {x} belum", "kurang {x}"). */
const itemPhrase = phrase.refine((p) => p.split('{x}').length === 2, 'must contain {x} exactly once');

/** Free text in a documents checklist (content/intents.yaml `checklist`). */
export const checklistWordsSchema = z.strictObject({
  /** Every document is ready ("udah semua", "lengkap semua"). */
  all_ready: phraseLists,
  /** Some are not, without saying which ("belum semua"): go on one by one. */
  not_all: phraseLists,
  /** The document `{x}` is missing ("yg kk belum"); the others are ready. */
  missing: z.strictObject({ id: z.array(itemPhrase).default([]), en: z.array(itemPhrase).default([]) }),
});

/** `content/intents.yaml`. */
export const intentsFileSchema = z.strictObject({
  follow_up: z.strictObject(Object.fromEntries(followUpTopics.map((t) => [t, phraseLists])) as Record<FollowUpTopic, typeof phraseLists>),
  intents: z.strictObject(Object.fromEntries(intentNames.map((t) => [t, phraseLists])) as Record<IntentName, typeof phraseLists>),
  answers: z.strictObject({ yes: phraseLists, no: phraseLists }),
  chatter: phraseLists,
  connectors: phraseLists,
  language: z.strictObject({ id: z.array(phrase).min(1), en: z.array(phrase).min(1) }),
  dates: dateWordsSchema,
  checklist: checklistWordsSchema,
  /** Words that say what a complaint is about (a ComplaintCategory of src/complaints); the first match wins. */
  complaint_categories: z.record(z.string().regex(/^[a-z_]+$/), phraseLists).default({}),
});

const bilingual = z.strictObject({ id: phrase, en: phrase });

/** `content/not-here.yaml`: requests this MPP does not serve and where to go instead. */
export const notHereFileSchema = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        id: kebab,
        triggers: phraseLists.refine((t) => t.id.length + t.en.length > 0, 'needs at least one trigger phrase'),
        unless: phraseLists.optional(),
        where: bilingual,
        related: kebab.optional(),
      }),
    )
    .min(1)
    .refine((list) => new Set(list.map((e) => e.id)).size === list.length, 'entry ids must be unique'),
});

export type IntentsFile = z.infer<typeof intentsFileSchema>;
export type DateWords = z.infer<typeof dateWordsSchema>;
export type ChecklistWords = z.infer<typeof checklistWordsSchema>;
export type NotHereFile = z.infer<typeof notHereFileSchema>;
export type NotHereEntry = NotHereFile['entries'][number];
export type PhraseLists = z.infer<typeof phraseLists>;
