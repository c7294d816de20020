import type { Redis } from 'ioredis';

/** A channel's state as the readiness probe sees it. */
export interface ChannelState {
  state: string;
}

export interface ReadinessSources {
  redis: Pick<Redis, 'ping'>;
  /** Each mounted channel's current state (`running` or `ready` is up). */
  channels: Record<string, () => ChannelState>;
  reminders: { schedulerRunning: boolean };
  notifiers: { channels(): string[] };
}

const UP = ['running', 'ready'];

/**
 * `/readyz`: Redis must answer (else 503). A channel that is down degrades this instance (reported,
 * still 200): it keeps serving web chat and the other channels, so a load balancer must not take it out.
 */
export function readiness(sources: ReadinessSources): () => Promise<Record<string, unknown>> {
  return async () => {
    await sources.redis.ping();
    const channels = Object.fromEntries(Object.entries(sources.channels).map(([name, state]) => [name, state()]));
    const degraded = Object.values(channels).some((c) => !UP.includes(c.state));
    return { redis: 'ok', degraded, channels, workers: { scheduler: sources.reminders.schedulerRunning, deliveryChannels: sources.notifiers.channels() } };
  };
}
