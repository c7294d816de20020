import type { Redis } from 'ioredis';
import { redisHealthOf } from '../redis/health.js';
import type { SchedulerHealth } from '../reminders/scheduler.js';

/** A channel's state as the readiness probe sees it. */
export interface ChannelState {
  state: string;
}

export interface ReadinessSources {
  redis: Pick<Redis, 'ping'>;
  /** Each mounted channel's current state (`running` or `ready` is up). */
  channels: Record<string, () => ChannelState>;
  /**
   * The reminder schedulers of this process (one per MPP site); undefined health: they run in a
   * worker process. `scheduler` is the worst of them; `schedulers` names each site's.
   */
  reminders: { schedulerHealth(): SchedulerHealth | undefined; schedulerHealthBySite?(): Record<string, SchedulerHealth> | undefined };
  notifiers: { channels(): string[] };
}

const UP = ['running', 'ready'];

/**
 * `/readyz`: Redis must answer (else 503); `redisClient` tells the mode (single, cluster, sentinel),
 * the failovers the client followed and its last connection error. A channel that is down, or a reminder scheduler that is
 * not consuming its site's queue events, degrades this instance (reported with the reason, still 200): it
 * keeps serving web chat and the other channels, so a load balancer must not take it out, but an
 * operator's monitor must see that reminders have stopped.
 */
export function readiness(sources: ReadinessSources): () => Promise<Record<string, unknown>> {
  return async () => {
    await sources.redis.ping();
    const channels = Object.fromEntries(Object.entries(sources.channels).map(([name, state]) => [name, state()]));
    const scheduler = sources.reminders.schedulerHealth() ?? { state: 'elsewhere' };
    const schedulers = sources.reminders.schedulerHealthBySite?.();
    const degraded = Object.values(channels).some((c) => !UP.includes(c.state)) || scheduler.state === 'stalled';
    // What the client went through: its mode, failovers it followed, the last connection error.
    const redisClient = redisHealthOf(sources.redis)?.snapshot();
    return { redis: 'ok', ...(redisClient ? { redisClient } : {}), degraded, channels, workers: { scheduler, ...(schedulers ? { schedulers } : {}), deliveryChannels: sources.notifiers.channels() } };
  };
}
