import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';
import type { QueueEvent, QueueEventTail } from '../../queue/events.js';
import type { QueueService } from '../../queue/queue-service.js';
import { boardData, localiseBoard, type BoardState } from './snapshot.js';

export interface BoardFeedOptions {
  tail: QueueEventTail;
  queue: QueueService;
  catalogue: Catalogue;
  logger: Logger;
  /** A burst of queue changes (a counter calling, starting, finishing) becomes one snapshot. */
  debounceMs?: number;
  /** Proxies and some TVs' browsers drop a stream that stays silent for a minute. */
  keepAliveMs?: number;
}

interface Screen {
  res: Response;
  locale: Locale;
  hasSnapshot: boolean;
}

/**
 * The board's live feed: one queue event tail per process, fanned out to every open board over
 * Server-Sent Events. Snapshots are built once per burst of changes, whatever the number of screens.
 */
export class BoardFeed {
  private readonly screens = new Set<Screen>();
  private readonly unsubscribe: () => void;
  private readonly keepAlive: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: BoardFeedOptions) {
    this.unsubscribe = opts.tail.on((event) => this.onEvent(event));
    this.keepAlive = setInterval(() => this.send(() => ': keep-alive\n\n'), opts.keepAliveMs ?? 25_000);
    this.keepAlive.unref();
  }

  get openStreams(): number {
    return this.screens.size;
  }

  /** The board as it is now (page, polling, a new stream); pushes share one build per burst. */
  async state(locale: Locale): Promise<BoardState> {
    return localiseBoard(await boardData(this.opts.queue, this.opts.catalogue), locale, this.opts.catalogue);
  }

  /**
   * Starts a stream on `res`: the screen joins before the first snapshot is built, so a call made
   * meanwhile still reaches it, and a newer pushed snapshot is never overwritten by the first one.
   */
  async open(res: Response, locale: Locale): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n: connected\n\n');
    const screen: Screen = { res, locale, hasSnapshot: false };
    this.screens.add(screen);
    res.on('close', () => this.screens.delete(screen));
    try {
      const snapshot = await this.state(locale);
      if (!screen.hasSnapshot && this.screens.has(screen)) res.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
      screen.hasSnapshot = true;
    } catch (err) {
      // The browser reconnects after `retry`; by then Redis may be back.
      this.opts.logger.warn({ err: (err as Error).message }, 'board: first snapshot failed');
      res.end();
    }
  }

  /** Ends every stream and stops listening (shutdown). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.keepAlive);
    clearTimeout(this.timer);
    for (const { res } of this.screens) res.end();
    this.screens.clear();
  }

  private onEvent(event: QueueEvent): void {
    if ((event.type === 'called' || event.type === 'recalled') && event.counter) {
      const counter = this.opts.catalogue.mpp.counters.find((c) => c.id === event.counter);
      this.send((locale) => `event: called\ndata: ${JSON.stringify({ number: event.number, counter: event.counter, counterName: counter?.name[locale] ?? event.counter })}\n\n`);
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push();
    }, this.opts.debounceMs ?? 200);
  }

  private async push(): Promise<void> {
    if (this.screens.size === 0) return;
    try {
      const data = await boardData(this.opts.queue, this.opts.catalogue);
      const frames = new Map<Locale, string>();
      this.send((locale, screen) => {
        screen.hasSnapshot = true;
        let frame = frames.get(locale);
        if (!frame) frames.set(locale, (frame = `event: snapshot\ndata: ${JSON.stringify(localiseBoard(data, locale, this.opts.catalogue))}\n\n`));
        return frame;
      });
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'board: snapshot failed');
    }
  }

  private send(frame: (locale: Locale, screen: Screen) => string): void {
    for (const screen of this.screens) if (!screen.res.writableEnded && !screen.res.destroyed) screen.res.write(frame(screen.locale, screen));
  }
}
