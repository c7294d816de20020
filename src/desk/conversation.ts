import type { Locale } from '../message.js';

/**
 * A hand-over's life: `waiting` (nobody has it; the assistant is silent), `claimed` (one officer
 * has it), then `returned` (back to the assistant: officer, "menu", or idle timeout) or `closed`
 * (resolved by the desk). Only the first two hold the citizen.
 */
export const handoverStates = ['waiting', 'claimed', 'returned', 'closed'] as const;
export type HandoverState = (typeof handoverStates)[number];

/** Why a conversation went back to the assistant; counted separately in the figures. */
export const returnReasons = ['officer', 'citizen', 'timeout', 'unanswered'] as const;
export type ReturnReason = (typeof returnReasons)[number];

/**
 * Delivery of an officer reply, set by whoever sends it: `pending` (to send now),
 * `queued_for_template` (outside the WhatsApp window: held until the citizen writes again),
 * `sent`, `failed:<code>`, `unreachable` (Telegram 403, number gone), `dropped` (the
 * conversation ended while the reply was still queued).
 */
export type DeliveryStatus = 'pending' | 'queued_for_template' | 'sent' | `failed:${string}` | 'unreachable' | 'dropped';

export type MessageFrom = 'citizen' | 'officer' | 'system';

/** One entry of a conversation's log. Texts are stored masked (src/privacy/mask.ts). */
export interface DeskMessage {
  id: string;
  from: MessageFrom;
  /** Masked text; for `system`, a note code (`opened`, `claimed`, `returned:timeout` …), never prose. */
  text: string;
  at: number;
  officer?: string;
  /** Officer replies only. */
  delivery?: DeliveryStatus;
}

/** What the assistant knew before the hand-over, for the officer: masked, short. */
export interface BotContext {
  serviceId?: string;
  ticketId?: string;
  ticketNumber?: string;
  /** The last turns of the bot conversation, oldest first. */
  turns?: Array<{ from: 'citizen' | 'bot'; text: string }>;
}

/** A citizen as the channels name them; kept only while the conversation is active. */
export interface CitizenAddress {
  channel: string;
  userKey: string;
}

export interface Handover {
  id: string;
  state: HandoverState;
  channel: string;
  locale: Locale;
  /** Pseudonymous citizen id (citizenSubject), never a phone number or chat id. */
  subject: string;
  officer?: string;
  openedAt: number;
  /** When the desk could first see it: openedAt, or the next opening when it came in closed hours. */
  visibleAt: number;
  lastInboundAt: number;
  lastActivityAt: number;
  firstResponseAt?: number;
  endedAt?: number;
  returnReason?: ReturnReason;
  context: BotContext;
  /** Officer replies waiting for the citizen to reopen the WhatsApp window. */
  queuedReplies: number;
  /** A delivery to this citizen failed permanently (blocked the bot). */
  unreachable: boolean;
}

/** Milliseconds left in the channel's free-text window, or undefined when the channel has none. */
export function windowRemaining(handover: Pick<Handover, 'channel' | 'lastInboundAt'>, now: Date, windowsMs: Record<string, number>): number | undefined {
  const window = windowsMs[handover.channel];
  if (window === undefined) return undefined;
  return Math.max(0, handover.lastInboundAt + window - now.getTime());
}

/**
 * How long the citizen waited for the first officer reply, counted from when the desk could see
 * the request (a request sent at night counts from the opening, not from the night).
 */
export function firstResponseMs(handover: Pick<Handover, 'visibleAt' | 'firstResponseAt'>): number | undefined {
  return handover.firstResponseAt === undefined ? undefined : Math.max(0, handover.firstResponseAt - handover.visibleAt);
}

export function parseHandover(raw: Record<string, string>, queuedReplies: number): Handover | undefined {
  if (!raw.id || !raw.state) return undefined;
  const n = (v: string | undefined) => (v ? Number(v) : undefined);
  return {
    id: raw.id,
    state: raw.state as HandoverState,
    channel: raw.channel ?? '',
    locale: (raw.locale ?? 'id') as Locale,
    subject: raw.subject ?? '',
    ...(raw.officer ? { officer: raw.officer } : {}),
    openedAt: Number(raw.openedAt),
    visibleAt: Number(raw.visibleAt),
    lastInboundAt: Number(raw.lastInboundAt),
    lastActivityAt: Number(raw.lastActivityAt),
    ...(n(raw.firstResponseAt) !== undefined ? { firstResponseAt: n(raw.firstResponseAt)! } : {}),
    ...(n(raw.endedAt) !== undefined ? { endedAt: n(raw.endedAt)! } : {}),
    ...(raw.returnReason ? { returnReason: raw.returnReason as ReturnReason } : {}),
    context: raw.context ? (JSON.parse(raw.context) as BotContext) : {},
    queuedReplies,
    unreachable: raw.unreachable === '1',
  };
}
