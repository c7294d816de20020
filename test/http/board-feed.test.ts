import type { Response } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { BoardFeed } from '../../src/http/board/feed.js';
import type { BoardState } from '../../src/http/board/snapshot.js';
import { MONDAY_9AM, silentLogger, startTestApp, type TestApp } from '../helpers.js';

let app: TestApp;
let feed: BoardFeed | undefined;

beforeEach(async () => {
  app = await startTestApp({}, new ManualClock(MONDAY_9AM));
});
afterEach(async () => {
  feed?.close();
  await app.close();
});

/** A screen's stream as the feed writes it: the snapshots it received, parsed. */
function screen(): { res: Response; snapshots: () => BoardState[] } {
  const writes: string[] = [];
  const res = { writeHead: () => res, write: (chunk: string) => writes.push(chunk) > 0, on: () => res, end: () => undefined, writableEnded: false, destroyed: false } as unknown as Response;
  const snapshots = () => writes.filter((w) => w.startsWith('event: snapshot')).map((w) => JSON.parse(/^data: (.+)$/m.exec(w)![1]!) as BoardState);
  return { res, snapshots };
}

describe('board feed', () => {
  it('pushes an incident declared outside the queue to open screens on its next re-read, and nothing when nothing changed', async () => {
    feed = new BoardFeed({ tail: app.events, queue: app.queue, catalogue: app.catalogue, logger: silentLogger, incidents: app.incidentStore, refreshMs: 100 });
    const tv = screen();
    await feed.open(tv.res, 'id');
    expect(tv.snapshots()).toHaveLength(1);
    expect(tv.snapshots()[0]!.incidents).toEqual([]);

    await app.incidents.declare({ scope: { type: 'agency', id: 'imigrasi' }, kind: 'sistem_offline', message: 'Sistem paspor sedang gangguan.', offers: { cancel: false, move: false }, by: 'operator' });
    await expect.poll(() => tv.snapshots().at(-1)!.incidents.map((i) => i.message), { timeout: 2000 }).toEqual(['Sistem paspor sedang gangguan.']);
    const count = tv.snapshots().length;
    // Several re-reads later: the same board, so nothing more was sent.
    await new Promise((r) => setTimeout(r, 450));
    expect(tv.snapshots()).toHaveLength(count);
  });

  it('pushes a fresh snapshot soon after refresh() (a change the queue stream does not carry)', async () => {
    feed = new BoardFeed({ tail: app.events, queue: app.queue, catalogue: app.catalogue, logger: silentLogger, incidents: app.incidentStore, refreshMs: 60_000 });
    const tv = screen();
    await feed.open(tv.res, 'en');
    await app.incidents.declare({ scope: { type: 'service', id: 'dukcapil-kia' }, kind: 'blanko_habis', message: 'Blanko habis.', offers: { cancel: false, move: false }, by: 'operator' });
    feed.refresh();
    await expect.poll(() => tv.snapshots().at(-1)!.incidents.map((i) => [i.kind, i.where]), { timeout: 2000 }).toEqual([['blanko_habis', app.catalogue.services.get('dukcapil-kia')!.name.en]]);
  });
});
