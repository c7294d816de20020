import type { Catalogue } from '../../catalogue/loader.js';
import type { Locale } from '../../message.js';
import type { QueueService } from '../../queue/queue-service.js';

/** How many waiting numbers the board lists per queue group (a TV row holds about this many). */
const NEXT_PER_GROUP = 5;

type Named = { id: string; en: string };
type CounterStatus = 'open' | 'break' | 'closed';

/**
 * What the board shows, in both languages, built once per queue change and shared by every
 * screen. Only numbers, counter and group names: a TV in a waiting hall shows nothing personal.
 */
export interface BoardData {
  day: string;
  /** Counters with a called or serving ticket, newest call first. */
  calling: Array<{ counter: string; counterName: Named; number: string; status: string; calledAt: number }>;
  groups: Array<{ id: string; prefix: string; name: Named; waiting: number; next: string[] }>;
  /** Every counter with its status today (set from the counter console) and since when (ms; 0: open all day). */
  counters: Array<{ counter: string; counterName: Named; status: CounterStatus; statusSince: number }>;
}

/** The board in one language: the JSON of `/board/state` and of the SSE `snapshot` event. */
export interface BoardState {
  mpp: string;
  timeZone: string;
  day: string;
  calling: Array<{ counter: string; counterName: string; number: string; status: string; calledAt: number }>;
  groups: Array<{ id: string; prefix: string; name: string; waiting: number; next: string[] }>;
  counters: Array<{ counter: string; counterName: string; status: CounterStatus; statusSince: number }>;
}

export async function boardData(queue: QueueService, catalogue: Catalogue): Promise<BoardData> {
  const [snapshot, statuses] = await Promise.all([queue.snapshot(), queue.counterStatuses()]);
  const counters = new Map(catalogue.mpp.counters.map((c) => [c.id, c]));
  const calling = snapshot.counters
    .flatMap((c) => (c.current ? [{ counter: c.id, counterName: counters.get(c.id)!.name, number: c.current.number, status: c.current.status, calledAt: c.current.calledAt ?? 0 }] : []))
    .sort((a, b) => b.calledAt - a.calledAt || a.counter.localeCompare(b.counter));

  const waitingOf = new Map(snapshot.services.map((s) => [s.serviceId, s.waiting]));
  const groups = await Promise.all(
    catalogue.mpp.groups.map(async (group) => {
      const services = [...catalogue.services.values()].filter((s) => group.agencies.includes(s.agency));
      const waiting = services.reduce((sum, s) => sum + (waitingOf.get(s.id) ?? 0), 0);
      // Numbers of a group are issued in one sequence, so ordering by it gives the order of arrival.
      const tickets = waiting === 0 ? [] : (await Promise.all(services.map((s) => queue.waiting(s.id)))).flat();
      const next = tickets.sort((a, b) => a.seq - b.seq).slice(0, NEXT_PER_GROUP).map((t) => t.number);
      return { id: group.id, prefix: group.prefix, name: group.name, waiting, next };
    }),
  );
  const status = catalogue.mpp.counters.map((c) => ({ counter: c.id, counterName: c.name, status: statuses.get(c.id)?.status ?? 'open', statusSince: statuses.get(c.id)?.since ?? 0 }));
  return { day: queue.today(), calling, groups, counters: status };
}

export function localiseBoard(data: BoardData, locale: Locale, catalogue: Catalogue): BoardState {
  return {
    mpp: catalogue.mpp.name,
    timeZone: catalogue.mpp.timezone,
    day: data.day,
    calling: data.calling.map((c) => ({ ...c, counterName: c.counterName[locale] })),
    groups: data.groups.map((g) => ({ ...g, name: g.name[locale] })),
    counters: data.counters.map((c) => ({ ...c, counterName: c.counterName[locale] })),
  };
}
