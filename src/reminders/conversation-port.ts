import type { OutgoingMessage } from '../message.js';

/** What a notice tells the conversation: the ticket, booking or incident it is about, and which notice it is. */
export interface NoticeVars {
  ticket?: string;
  booking?: string;
  incident?: string;
  /** A document pickup (src/pickup) the notice is about. */
  pickup?: string;
  notice?: string;
  /** The MPP site of the ticket or booking (a deployment of several sites): replies act on that site. */
  site?: string;
}

/**
 * What the reminders need from the conversation engine: put a citizen's conversation into an
 * entry of flows/global.yaml (a reminder, a survey question) and get the messages to send, so
 * replies to the notice ("1", a button) land in the right place. Implemented by the engine, wired by compose.
 */
export interface ConversationPort {
  push(channel: string, userKey: string, entry: string, vars: NoticeVars): Promise<OutgoingMessage[]>;
}
