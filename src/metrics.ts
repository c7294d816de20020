import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (GET /metrics). One registry per process, passed to whoever records:
 * no global default registry, so tests can build several apps side by side.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly messagesIn = new Counter({ name: 'mpp_messages_in_total', help: 'Messages received from citizens', labelNames: ['channel'], registers: [this.registry] });
  readonly messagesOut = new Counter({ name: 'mpp_messages_out_total', help: 'Messages sent to citizens (replies and notices)', labelNames: ['channel', 'kind'], registers: [this.registry] });
  readonly turnSeconds = new Histogram({ name: 'mpp_turn_seconds', help: 'Time to answer one message, engine and Redis included', labelNames: ['channel'], buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [this.registry] });
  readonly searchSeconds = new Histogram({ name: 'mpp_search_seconds', help: 'Catalogue search latency', buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05], registers: [this.registry] });
  readonly ticketsIssued = new Gauge({ name: 'mpp_tickets_issued_today', help: 'Tickets issued today per service and MPP site', labelNames: ['service', 'site'], registers: [this.registry] });
  readonly ticketsWaiting = new Gauge({ name: 'mpp_tickets_waiting', help: 'Tickets waiting now per service and MPP site', labelNames: ['service', 'site'], registers: [this.registry] });
  readonly reminderLatency = new Histogram({ name: 'mpp_reminder_latency_seconds', help: 'From the queue event to the notice handed to the channel', labelNames: ['channel', 'kind'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300], registers: [this.registry] });
  readonly deliveries = new Counter({ name: 'mpp_notice_deliveries_total', help: 'Notice delivery outcomes', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  readonly jobFailures = new Counter({ name: 'mpp_job_failures_total', help: 'Failed BullMQ job attempts', labelNames: ['queue'], registers: [this.registry] });
  readonly channelUp = new Gauge({ name: 'mpp_channel_up', help: '1 when a channel can send and receive (WhatsApp session ready, Telegram running)', labelNames: ['channel'], registers: [this.registry] });

  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: 'mpp_' });
  }
}
