import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import type { Api } from 'grammy';

/**
 * Outgoing calls obey Telegram's limits. auto-retry waits out a 429's `retry_after` and backs off on
 * 5xx; the throttler keeps us under the limits before Telegram has to say so. Installed after any
 * transformer already on the api, so both wrap it (tests fake the Bot API server that way).
 */
export function installOutgoingLimits(api: Api): void {
  api.config.use(
    autoRetry({
      // A reply waiting longer than a minute is stale; the reminder outbox retries on its own.
      maxDelaySeconds: 60,
      maxRetryAttempts: 3,
      // Network errors are rethrown, not retried forever: the caller (handler or outbox) decides.
      rethrowHttpErrors: true,
    }),
  );
  // Installed last, so it is outermost: a retry keeps its chat's turn and messages stay in order.
  api.config.use(
    apiThrottler({
      // Bot FAQ: about 30 messages per second overall.
      global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
      // Bot FAQ: at most 20 messages per minute in one group (the plugin's default, without its
      // 1 s spacing: a two-message answer may arrive together, the minute's total is what counts).
      group: { maxConcurrent: 1, reservoir: 20, reservoirRefreshAmount: 20, reservoirRefreshInterval: 60_000 },
      // Bot FAQ: about one message per second in one chat, short bursts allowed. A turn is often
      // two or three messages, so a bucket of 5 refilled at 1/s keeps replies quick.
      out: { maxConcurrent: 1, reservoir: 5, reservoirIncreaseAmount: 1, reservoirIncreaseInterval: 1000, reservoirIncreaseMaximum: 5 },
    }),
  );
}
