import type { Locale } from '../message.js';
import type { FollowUpTopic } from './schema.js';
import type { When } from './when.js';

export type { FollowUpTopic } from './schema.js';
export type { When } from './when.js';

/** What the engine knows about the conversation when a message arrives. */
export interface UnderstandContext {
  /** The service of the last card or of the ticket being taken: follow-ups are about it. */
  serviceId?: string;
  /** The conversation's language so far; decides when the message itself does not. */
  locale?: Locale;
  /** Now, from the engine's Clock. */
  now: Date;
  /** IANA zone of the MPP (content/mpp.yaml); Asia/Jakarta when absent. */
  timeZone?: string;
}

/** Topics about the MPP itself rather than one service. */
export type MppTopic = 'hours' | 'address' | 'facilities' | 'contact';

/**
 * One thing the citizen asked for. Several may come in one message ("otw, 10 menit lagi sampai"
 * is `on_my_way` with a delay); `Understanding.intents` lists them, the one to act on first.
 */
export type Intent =
  /** A question about the service in context (ctx.serviceId). */
  | { kind: 'follow_up'; topic: FollowUpTopic; serviceId: string }
  /** A topic question with no service in context and none named ("biayanya brp?" as a first message). */
  | { kind: 'topic_without_service'; topic: FollowUpTopic }
  /** Catalogue services named: several when the message names several, the close candidates when `ambiguous`, else one; `topic` when the question is about a part ("biaya paspor"). */
  | { kind: 'services'; serviceIds: string[]; topic?: FollowUpTopic; ambiguous: boolean }
  /** A request this MPP does not serve: content/not-here.yaml entry id. */
  | { kind: 'not_here'; entryId: string; related?: string }
  | { kind: 'ticket_status' }
  /** "ambil nomor antrian", "get a ticket for passport": take a ticket (for the service named or in context). */
  | { kind: 'ticket_take' }
  /** "lanjut di chat", "nomor dari mesin": a printed kiosk ticket to follow in this chat (through its QR). */
  | { kind: 'kiosk_ticket' }
  | { kind: 'ticket_cancel' }
  /** "paspor saya sudah jadi?": a document collected later (the services named ride along as their own intent). */
  | { kind: 'pickup_status' }
  /** On the way (`late` false) or running late; `inMinutes` when said ("10 menit lagi"). */
  | { kind: 'arriving'; late: boolean; inMinutes?: number }
  /** A day and/or time for a ticket or a booking. */
  | { kind: 'when'; when: When }
  | { kind: 'mpp_info'; topic: MppTopic; when?: When }
  | { kind: 'language'; to: Locale }
  | { kind: 'human' }
  | { kind: 'complaint' }
  /** Annoyed (`insult` false) or abusive: a short human answer, an apology where fitting. */
  | { kind: 'frustration'; insult: boolean }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'small_talk' }
  | { kind: 'menu' }
  | { kind: 'back' }
  | { kind: 'out_of_scope' }
  /** A yes or no short answer; what it means is the flow's business. */
  | { kind: 'answer'; yes: boolean }
  /** Nothing recognised: search `Understanding.text` as today, and say "not found" if that fails too. */
  | { kind: 'unknown' };

export type IntentKind = Intent['kind'];

/** The result of `understand(text, ctx)`. */
export interface Understanding {
  /** Language of this message (falls back to ctx.locale, then Indonesian). */
  language: Locale;
  /** The request with greetings, fillers and story words removed: what to search. */
  text: string;
  /** What was asked, most important first; never empty (`unknown` at worst). */
  intents: [Intent, ...Intent[]];
}
