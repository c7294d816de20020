import type { OutgoingMessage } from '../message.js';

/**
 * What the reminders need from the conversation engine: put a citizen's conversation into a
 * state (a reminder, a survey question) and get the messages to send, so replies to the notice
 * ("1", a button) land in the right place. Implemented by the engine, wired by compose.
 */
export interface ConversationPort {
  push(channel: string, userKey: string, state: string, vars: Record<string, string>): Promise<OutgoingMessage[]>;
}
