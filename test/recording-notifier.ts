import type { OutgoingMessage } from '../src/message.js';
import type { ChannelNotifier } from '../src/reminders/notifier.js';
import type { Redis } from 'ioredis';
import type { ReminderRuntime } from '../src/reminders/runtime.js';
import { testRedis, until } from './helpers.js';

export interface Sent {
  to: string;
  message: OutgoingMessage;
  /** When the notifier was handed the message (ms). */
  at: number;
}

export interface RecordingOptions {
  /** Default `test`. */
  channel?: string;
  rate?: ChannelNotifier['rate'];
  /** Fails the n-th call (1-based) with the returned error, if any. */
  fail?: (n: number) => Error | undefined;
  isReady?: () => boolean;
}

/**
 * The one fake channel of the tests: it records what reminders deliver and can be told to fail
 * or to be down (the real peers cannot be reached here). Register it with `app.notifiers.register`.
 */
export function recordingNotifier(opts: RecordingOptions = {}) {
  const sent: Sent[] = [];
  let calls = 0;
  const notifier: ChannelNotifier = {
    channel: opts.channel ?? 'test',
    rate: opts.rate ?? { max: 100, durationMs: 1000 },
    send: (to, message) => {
      calls++;
      const err = opts.fail?.(calls);
      if (err) return Promise.reject(err);
      sent.push({ to, message, at: Date.now() });
      return Promise.resolve();
    },
    ...(opts.isReady ? { isReady: opts.isReady } : {}),
  };
  return { notifier, sent, calls: () => calls };
}

/**
 * "Nothing more will happen": every queue event has been read and acknowledged by the reminder
 * scheduler (so every notice it plans is in the outbox), then the channel's outbox holds no job
 * waiting, running or delayed. Waits for that instead of sleeping and hoping.
 */
export async function remindersSettled(runtime: ReminderRuntime, eventStream: string, opts: { channel?: string; redis?: Redis } = {}): Promise<void> {
  const redis = opts.redis ?? testRedis();
  const channel = opts.channel ?? 'test';
  await until(async () => {
    const groups = (await redis.xinfo('GROUPS', eventStream).catch(() => [])) as unknown[][];
    for (const group of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < group.length; i += 2) info.set(String(group[i]), group[i + 1]);
      if (Number(info.get('pending')) > 0 || Number(info.get('lag') ?? 0) > 0) return false;
    }
    const counts = await runtime.outbox.queue(channel).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).every((n) => n === 0);
  });
}
