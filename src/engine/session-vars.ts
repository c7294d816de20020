import { z } from 'zod';
import { SITE_ID } from '../redis/keyspace.js';

/**
 * What a conversation keeps between turns, by full name. Strict: a session saved with another
 * layout (the old short keys) fails to parse and the citizen simply starts again from the menu.
 */
export const sessionVarsSchema = z.strictObject({
  /** The MPP site the citizen chose or came from (a site id of content/); absent: not chosen yet. */
  site: z.string().regex(SITE_ID).optional(),
  /**
   * What waits for the citizen to say which MPP ("di MPP mana?"): the state to enter, or the text to
   * answer, once a site is chosen; `service` limits the choices to the sites that offer it.
   */
  sitePending: z
    .strictObject({ state: z.string().max(60).optional(), text: z.string().max(400).optional(), service: z.string().max(120).optional(), asked: z.number().int().min(0).max(9).optional() })
    .optional(),
  /** The service being looked at (a catalogue id). */
  service: z.string().optional(),
  /** The agency being browsed. */
  agency: z.string().optional(),
  /** The citizen's last search, kept on the ticket as their question. */
  query: z.string().optional(),
  /** Service ids of an ambiguous search, offered as choices. */
  results: z.array(z.string()).optional(),
  /** Requirements checklist answers: one 'y' (ready) or 'n' (missing) per requirement, in order. */
  checklist: z.string().optional(),
  /** Whether the citizen declared priority (elderly, disabled, pregnant) for the ticket being taken. */
  priority: z.boolean().optional(),
  /** The ticket a notice is about. */
  ticket: z.string().optional(),
  /** The ticket the citizen is about to cancel. */
  cancelTicket: z.string().optional(),
  /** Which notice was pushed (a NoticeKind), for its wording. */
  notice: z.string().optional(),
  /** The incident a notice is about. */
  incident: z.string().optional(),
  /** The document pickup a notice is about (src/pickup). */
  pickup: z.string().max(40).optional(),
  /** Services named in "paspor saya sudah jadi?", so the answer is about those documents first. */
  pickupAbout: z.array(z.string().max(120)).max(6).optional(),
  /** A receipt or reference typed in the pickup question itself ("paspor sudah jadi? resi 12345"); used once. */
  pickupRef: z.string().max(40).optional(),
  /** The booking looked at. */
  booking: z.string().optional(),
  /** Day (YYYY-MM-DD) and slot (HH:MM) being picked for a booking. */
  bookingDay: z.string().optional(),
  bookingSlot: z.string().optional(),
  /** The booking being moved to another day or time. */
  changeBooking: z.string().optional(),
  /** A ticket of today given up once the booking is made (an incident's "move"). */
  releaseTicket: z.string().optional(),
  /** The finished ticket the satisfaction survey is about, and the scores so far (one digit 1-4 each). */
  surveyTicket: z.string().optional(),
  surveyAnswers: z.string().optional(),
  /** "otw" / "saya terlambat" understood in free text: late or on the way, minutes when said. */
  arriving: z.strictObject({ late: z.boolean(), inMinutes: z.number().int().min(0).max(24 * 60).optional() }).optional(),
  /** A day and/or time understood in free text ("besok jam 9"), for a ticket or a booking. */
  when: z
    .strictObject({
      date: z.iso.date().optional(),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).optional(),
    })
    .optional(),
  /** A not-here entry (content/not-here.yaml) the citizen asked about. */
  notHere: z.string().max(60).optional(),
  /** Closest services offered when nothing matched. */
  suggestions: z.array(z.string()).max(5).optional(),
  /** Follow-up topic last answered, so "kalau yang 10 tahun?" after a fee answer stays on the fee. */
  topic: z.string().max(40).optional(),
  /** The services of the visit plan in context, as the citizen named or added them (planVisit's input). */
  visitServices: z.array(z.string().max(120)).min(1).max(6).optional(),
  /** The visit whose remaining steps the citizen is asked to cancel too, after cancelling one step. */
  cancelVisit: z.string().max(60).optional(),
  /** The service a "sekalian X" / "tambah X" wants added, whose variant is being picked. */
  visitAdding: z.boolean().optional(),
  /** The words that asked for a person (set with the text action's `human` outcome): the officer reads them first. */
  handoverText: z.string().max(4096).optional(),
  /** An ADU reference understood in free text ("status aduan ADU-20261123-0007"). */
  complaintRef: z.string().max(30).optional(),
  /** What a complaint understood in free text is about (a ComplaintCategory: pungli, petugas …). */
  complaintCategory: z.string().max(40).optional(),
  /** The complaint being written in the chat, step by step (complaints flow in flows/desk.yaml). */
  complaintDraft: z
    .strictObject({
      what: z.string().max(2000).optional(),
      agencyId: z.string().max(80).optional(),
      serviceId: z.string().max(120).optional(),
      happenedOn: z.iso.date().optional(),
      ticketNumber: z.string().max(20).optional(),
    })
    .optional(),
});

export type SessionVars = z.infer<typeof sessionVarsSchema>;
