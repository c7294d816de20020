import type { Metrics } from '../metrics.js';
import type { ServiceSnapshot } from '../queue/queue-service.js';

export interface ScrapeSources {
  metrics: Metrics;
  queue: { snapshot(): Promise<{ services: ServiceSnapshot[] }> };
  /** Whether each channel is up now (1/0 in `mpp_channel_up`). */
  channelsUp: Record<string, () => boolean>;
}

/** `GET /metrics`: the gauges read at scrape time (queue lengths, quotas, channels), then the registry's text. */
export function metricsScrape({ metrics, queue, channelsUp }: ScrapeSources): () => Promise<{ contentType: string; body: string }> {
  return async () => {
    const snapshot = await queue.snapshot();
    for (const s of snapshot.services) {
      metrics.ticketsWaiting.set({ service: s.serviceId }, s.waiting);
      metrics.ticketsIssued.set({ service: s.serviceId }, s.quota - s.remainingQuota);
    }
    for (const [channel, up] of Object.entries(channelsUp)) metrics.channelUp.set({ channel }, up() ? 1 : 0);
    return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
  };
}
