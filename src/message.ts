/** Languages the assistant speaks; Indonesian is the default. */
export const locales = ['id', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'id';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** A message from a citizen, whatever channel it came through. */
export interface IncomingMessage {
  /** Channel name: `webchat`, `telegram`, `whatsapp-web`, `whatsapp-cloud`. */
  channel: string;
  /** Opaque, stable id of the citizen on that channel (never shown, hashed before storage). */
  userKey: string;
  /** Free text typed by the citizen. */
  text?: string;
  /** Id of a choice the citizen picked (button, inline keyboard, numbered reply). */
  choice?: string;
  /** Language the channel believes the citizen uses (browser, Telegram language_code). */
  localeHint?: string;
  /**
   * The MPP site the citizen came from (web chat `/?site=`, Telegram `/start site-<id>`). Sets the
   * site only when the citizen has none yet; an unknown id is ignored.
   */
  siteHint?: string;
}

/** One option offered to the citizen. Ids are ASCII and at most 64 bytes (Telegram callback_data). */
export interface Choice {
  id: string;
  label: string;
}

/** Structured data behind a message, for adapters that can render it richer than plain text. */
export type Card = { kind: 'service'; serviceId: string } | { kind: 'ticket'; ticketId: string };

/** A message to the citizen: plain text (line breaks allowed), optional choices and card. */
export interface OutgoingMessage {
  text: string;
  choices?: Choice[];
  card?: Card;
}

/** What one turn produced. `limited` is set when the citizen was asked to slow down. */
export interface TurnResult {
  messages: OutgoingMessage[];
  locale: Locale;
  limited?: boolean;
}

/** Longest text the engine reads from one message; the rest is ignored, not an error. */
export const MAX_TEXT_CHARS = 2000;
export const MAX_CHOICE_ID_BYTES = 64;
