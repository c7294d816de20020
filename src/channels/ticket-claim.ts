import { AppError } from '../errors.js';
import type { Translator } from '../i18n.js';
import type { Locale } from '../message.js';

/** Gives a kiosk ticket to the citizen writing on a channel, from a tracking page's one-time claim token. */
export interface TicketClaimPort {
  redeem(token: string, channel: string, userKey: string): Promise<{ number: string }>;
}

/** Refusals a citizen is told about in words; anything else is a fault for the channel's error handler. */
const TOLD = new Set(['unknown_ticket', 'claimed_by_other', 'limit_reached', 'illegal_transition']);

/** Redeems a claim and says what happened: the ticket is followed in this chat now, or why not. */
export async function claimTicket(claims: TicketClaimPort, translator: Translator, token: string, channel: string, userKey: string, locale: Locale): Promise<string> {
  try {
    const ticket = await claims.redeem(token, channel, userKey);
    return translator.t(locale, 'track.claimed', { number: ticket.number });
  } catch (err) {
    if (err instanceof AppError && TOLD.has(err.code)) return translator.t(locale, `track.claim_failed.${err.code}`);
    throw err;
  }
}
