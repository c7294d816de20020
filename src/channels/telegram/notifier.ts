import { GrammyError, type Api } from 'grammy';
import type { OutgoingMessage } from '../../message.js';
import { PermanentDeliveryError, type ChannelNotifier } from '../../reminders/notifier.js';
import { sendMessages } from './send.js';

/** The channel name the engine and the notifier registry know Telegram by. */
export const TELEGRAM = 'telegram';

/**
 * Reminders to citizens on Telegram, through the bot's api (so auto-retry and the throttler apply).
 * `to` is the userKey the channel gave the engine: the private chat id.
 */
export class TelegramNotifier implements ChannelNotifier {
  readonly channel = TELEGRAM;
  // Telegram's bulk limit: about 30 messages per second per bot (Bot FAQ).
  readonly rate = { max: 30, durationMs: 1000 };

  constructor(private readonly api: Api) {}

  async send(to: string, message: OutgoingMessage): Promise<void> {
    // Group sessions (`g<chatId>`) never hold tickets, so nothing may be addressed to them.
    if (!/^\d+$/.test(to)) throw new PermanentDeliveryError('not a private Telegram chat id');
    try {
      await sendMessages(this.api, to, [message]);
    } catch (err) {
      if (isPermanent(err)) throw new PermanentDeliveryError(`telegram: ${err.description}`);
      throw err;
    }
  }
}

/**
 * Whether Telegram will never accept messages for this chat: every 403 (bot blocked, user
 * deactivated, kicked) and the 400s for a chat that does not exist. The Bot API gives those 400s
 * no code of their own, so their description is the only signal.
 */
export function isPermanent(err: unknown): err is GrammyError {
  if (!(err instanceof GrammyError)) return false;
  if (err.error_code === 403) return true;
  return err.error_code === 400 && /chat not found|user not found|PEER_ID_INVALID/i.test(err.description);
}
