import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';
import type { QueueEvent, QueueEventTail } from '../../queue/events.js';
import type { QueueService } from '../../queue/queue-service.js';
import { boardData, counterNumber, localiseBoard, type BoardData, type BoardIncidents, type BoardState } from './snapshot.js';

export interface BoardFeedOptions {
  tail: QueueEventTail;
  queue: QueueService;
  catalogue: Catalogue;
  logger: Logger;
  /** Today's incidents, shown as running text (optional: a board without them shows none). */
  incidents?: BoardIncidents;
  /** A burst of queue changes (a counter calling, starting, finishing) becomes one snapshot. */
  debounceMs?: number;
  /** Proxies and some TVs' browsers drop a stream that stays silent for a minute. */
  keepAliveMs?: number;
  /**
   * Incidents and counter statuses change outside the queue's event stream: the board re-reads
   * itself this often while a screen is open and pushes a snapshot when something changed.
   */
  refreshMs?: number;
}

/** The SSE `called` event: a call or a recall, for the highlight card and the voice. */
export interface BoardCall {
  number: string;
  counter: string;
  counterName: string;
  /** What the voice says after "loket"; missing when the counter has no number. */
  counterNo?: number;
  calledAt: number;
  recall: boolean;
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
  private readonly refresher: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  /** The last snapshot pushed, to skip a periodic push that would change nothing. */
  private lastPushed = '';

  constructor(private readonly opts: BoardFeedOptions) {
    this.unsubscribe = opts.tail.on((event) => this.onEvent(event));
    this.keepAlive = setInterval(() => this.send(() => ': keep-alive\n\n'), opts.keepAliveMs ?? 25_000);
    this.keepAlive.unref();
    this.refresher = setInterval(() => void this.push(true), opts.refreshMs ?? 15_000);
    this.refresher.unref();
  }

  get openStreams(): number {
    return this.screens.size;
  }

  /** The board as it is now (page, polling, a new stream); pushes share one build per burst. */
  async state(locale: Locale): Promise<BoardState> {
    return localiseBoard(await this.data(), locale, this.opts.catalogue);
  }

  /** Pushes a fresh snapshot soon (a counter's status or an incident changed). */
  refresh(): void {
    this.schedule();
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
    clearInterval(this.refresher);
    clearTimeout(this.timer);
    for (const { res } of this.screens) res.end();
    this.screens.clear();
  }

  private onEvent(event: QueueEvent): void {
    if ((event.type === 'called' || event.type === 'recalled') && event.counter) {
      const counter = this.opts.catalogue.mpp.counters.find((c) => c.id === event.counter);
      this.send((locale) => {
        const call: BoardCall = { number: event.number, counter: event.counter, counterName: counter?.name[locale] ?? event.counter, counterNo: counter && counterNumber(counter), calledAt: event.at, recall: event.type === 'recalled' };
        return `event: called\ndata: ${JSON.stringify(call)}\n\n`;
      });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push();
    }, this.opts.debounceMs ?? 200);
  }

  private data(): Promise<BoardData> {
    return boardData(this.opts.queue, this.opts.catalogue, this.opts.incidents);
  }

  /** Sends the board to every screen; `onlyIfChanged` for the periodic re-read. */
  private async push(onlyIfChanged = false): Promise<void> {
    if (this.screens.size === 0) return;
    try {
      const data = await this.data();
      const key = JSON.stringify(data);
      if (onlyIfChanged && key === this.lastPushed) return;
      this.lastPushed = key;
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
