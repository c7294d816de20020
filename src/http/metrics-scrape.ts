import type { Metrics } from '../metrics.js';
import type { ServiceSnapshot } from '../queue/queue-service.js';
import { DEFAULT_SITE } from '../redis/keyspace.js';

interface SnapshotSource {
  snapshot(): Promise<{ services: ServiceSnapshot[] }>;
}

export interface ScrapeSources {
  metrics: Metrics;
  /** The queue of a one-site deployment (no `site` label, as before sites); ignored when `sites` is given. */
  queue: SnapshotSource;
  /** Every MPP site's queue (`core.sites.list`): with several, the queue gauges get each site's id as `site`. */
  sites?: ReadonlyArray<{ id: string; queue: SnapshotSource }>;
  /** Whether each channel is up now (1/0 in `mpp_channel_up`). */
  channelsUp: Record<string, () => boolean>;
}

/** `GET /metrics`: the gauges read at scrape time (queue lengths, quotas per site, channels), then the registry's text. */
export function metricsScrape({ metrics, queue, sites, channelsUp }: ScrapeSources): () => Promise<{ contentType: string; body: string }> {
  const queues = sites ?? [{ id: DEFAULT_SITE, queue }];
  // One site: the series stay as they were before sites (dashboards keep working).
  const labelled = queues.length > 1;
  return async () => {
    const snapshots = await Promise.all(queues.map(async (s) => ({ site: s.id, snapshot: await s.queue.snapshot() })));
    for (const { site, snapshot } of snapshots) {
      for (const s of snapshot.services) {
        const labels = labelled ? { service: s.serviceId, site } : { service: s.serviceId };
        metrics.ticketsWaiting.set(labels, s.waiting);
        metrics.ticketsIssued.set(labels, s.quota - s.remainingQuota);
      }
    }
    for (const [channel, up] of Object.entries(channelsUp)) metrics.channelUp.set({ channel }, up() ? 1 : 0);
    return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
  };
}
