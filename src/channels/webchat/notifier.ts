import type { ChannelNotifier } from '../../reminders/notifier.js';
import type { PushHub } from './push-hub.js';
import { WEBCHAT } from './routes.js';

/** Reminders to web chat go over the page's SSE stream (kept until the page comes back). */
export function webchatNotifier(hub: PushHub): ChannelNotifier {
  return {
    channel: WEBCHAT,
    send: (to, message) => hub.deliver(to, message),
    // Pushes are cheap Redis publishes; the limit only guards against a runaway loop.
    rate: { max: 200, durationMs: 1000 },
  };
}
