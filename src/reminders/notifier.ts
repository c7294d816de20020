import type { OutgoingMessage } from '../message.js';

/**
 * How a channel delivers a message the citizen did not just ask for (reminders, incident notices).
 * Channels register one each; domain code never imports a channel. Delivery runs through a
 * per-channel BullMQ outbox whose limiter enforces `rate`, with retries and backoff.
 */
export interface ChannelNotifier {
  /** Channel name as in IncomingMessage.channel: webchat, telegram, whatsapp-web, whatsapp-cloud. */
  channel: string;
  /**
   * Sends to the citizen's address on this channel (the `userKey` the channel gave the engine).
   * Throw PermanentDeliveryError when it can never succeed (bot blocked, number gone); throw
   * ChannelUnavailableError while the channel is down (held and retried later); anything else
   * is retried with exponential backoff.
   */
  send(to: string, message: OutgoingMessage): Promise<void>;
  /** Outgoing limit for this channel, e.g. Telegram 30 messages per 1000 ms. */
  rate: { max: number; durationMs: number };
  /** False while the channel cannot send (WhatsApp session down): the outbox pauses, nothing is lost. */
  isReady?(): boolean;
}

/** Delivery can never succeed (user blocked the bot, deleted account): recorded, not retried. */
export class PermanentDeliveryError extends Error {
  readonly code = 'permanent_delivery_failure';
}

/** The channel is down for now (session lost, API unreachable): keep the message and retry later. */
export class ChannelUnavailableError extends Error {
  readonly code = 'channel_unavailable';
}

/** Channel name -> notifier. Filled by the channel adapters at start. */
export class NotifierRegistry {
  private readonly notifiers = new Map<string, ChannelNotifier>();

  register(notifier: ChannelNotifier): void {
    this.notifiers.set(notifier.channel, notifier);
  }

  unregister(channel: string): void {
    this.notifiers.delete(channel);
  }

  get(channel: string): ChannelNotifier | undefined {
    return this.notifiers.get(channel);
  }

  channels(): string[] {
    return [...this.notifiers.keys()];
  }
}
