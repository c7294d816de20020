import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';
import type { QueueEvent, QueueEventTail } from '../../queue/events.js';
import type { QueueService } from '../../queue/queue-service.js';
import { trackState } from './state.js';

export interface TrackFeedOptions {
  tail: QueueEventTail;
  queue: QueueService;
  catalogue: Catalogue;
  logger: Logger;
  /** A burst of queue changes becomes one read per tracked ticket. */
  debounceMs?: number;
  /** Proxies and mobile networks drop a stream that stays silent for a minute. */
  keepAliveMs?: number;
}

interface Watcher {
  res: Response;
  locale: Locale;
  ticketId: string;
  /** The service its ticket waits in, as last read (a transfer changes it). */
  serviceId: string;
}

/**
 * Live tracking pages: one queue event tail per process (the board's), fanned out to open
 * tracking pages over Server-Sent Events. After a burst of events only the tracked tickets whose
 * line shares a counter with a changed service are read again, each once, however many pages show it.
 */
export class TrackFeed {
  private readonly watchers = new Set<Watcher>();
  private readonly unsubscribe: () => void;
  private readonly keepAlive: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private changedServices = new Set<string>();
  private changedTickets = new Set<string>();
  private readonly counterCache = new Map<string, Set<string>>();

  constructor(private readonly opts: TrackFeedOptions) {
    this.unsubscribe = opts.tail.on((event) => this.onEvent(event));
    this.keepAlive = setInterval(() => this.each(() => ': keep-alive\n\n'), opts.keepAliveMs ?? 25_000);
    this.keepAlive.unref();
  }

  get openStreams(): number {
    return this.watchers.size;
  }

  /** Starts a stream for a ticket on `res`: joins before the first read, so a call meanwhile still arrives. */
  async open(res: Response, ticketId: string, serviceId: string, locale: Locale): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n: connected\n\n');
    const watcher: Watcher = { res, locale, ticketId, serviceId };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
    try {
      const state = await trackState(this.opts.queue, this.opts.catalogue, ticketId, locale);
      if (state && this.watchers.has(watcher)) res.write(frame(state));
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'track: first state failed');
      res.end();
    }
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.keepAlive);
    clearTimeout(this.timer);
    for (const { res } of this.watchers) res.end();
    this.watchers.clear();
  }

  private onEvent(event: QueueEvent): void {
    if (this.watchers.size === 0) return;
    if (event.service) this.changedServices.add(event.service);
    if (event.ticket) this.changedTickets.add(event.ticket);
    // A counter's break or closing moves no ticket, but its lines now wait for nobody: tell them.
    if (event.type === 'counter-status' && event.counter) for (const id of this.opts.queue.servicesOf(event.counter)) this.changedServices.add(id);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push();
    }, this.opts.debounceMs ?? 200);
  }

  private async push(): Promise<void> {
    const services = this.changedServices;
    const tickets = this.changedTickets;
    this.changedServices = new Set();
    this.changedTickets = new Set();
    const due = new Map<string, Watcher[]>();
    for (const w of this.watchers) {
      if (!tickets.has(w.ticketId) && !this.sharesCounter(w.serviceId, services)) continue;
      const list = due.get(w.ticketId) ?? [];
      list.push(w);
      due.set(w.ticketId, list);
    }
    for (const [ticketId, list] of due) {
      try {
        const frames = new Map<Locale, string>();
        for (const w of list) {
          let text = frames.get(w.locale);
          if (text === undefined) {
            const state = await trackState(this.opts.queue, this.opts.catalogue, ticketId, w.locale);
            text = state ? frame(state) : 'event: gone\ndata: {}\n\n';
            frames.set(w.locale, text);
          }
          if (!w.res.writableEnded && !w.res.destroyed) w.res.write(text);
        }
        const serviceId = (await this.opts.queue.get(ticketId))?.serviceId;
        if (serviceId) for (const w of list) w.serviceId = serviceId;
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'track: state failed');
      }
    }
  }

  /** Whether a counter that serves `serviceId` also serves one of `changed` (a call there moves its line). */
  private sharesCounter(serviceId: string, changed: Set<string>): boolean {
    if (changed.has(serviceId)) return true;
    const mine = this.countersOf(serviceId);
    for (const other of changed) for (const c of this.countersOf(other)) if (mine.has(c)) return true;
    return false;
  }

  private countersOf(serviceId: string): Set<string> {
    let ids = this.counterCache.get(serviceId);
    if (!ids) this.counterCache.set(serviceId, (ids = new Set(this.opts.queue.countersFor(serviceId).map((c) => c.id))));
    return ids;
  }

  private each(text: () => string): void {
    for (const w of this.watchers) if (!w.res.writableEnded && !w.res.destroyed) w.res.write(text());
  }
}

function frame(state: object): string {
  return `event: state\ndata: ${JSON.stringify(state)}\n\n`;
}
