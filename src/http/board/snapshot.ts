import type { Catalogue } from '../../catalogue/loader.js';
import type { Incident } from '../../incidents/incident.js';
import type { Locale } from '../../message.js';
import type { QueueService } from '../../queue/queue-service.js';

/** How many waiting numbers the board lists per queue group (a TV row holds about this many). */
const NEXT_PER_GROUP = 5;

type Named = { id: string; en: string };

/** A counter's state for the hall: open, on a break (lunch, Friday prayer) or closed for the day. */
export type CounterStatus = 'open' | 'break' | 'closed';
const STATUSES: readonly string[] = ['open', 'break', 'closed'];

/** The incidents the board reads: today's, newest first, with their resolution once over (IncidentStore.onDay). */
export interface BoardIncidents {
  onDay(day: string): Promise<Array<Incident & { resolution?: unknown }>>;
}

/**
 * What the board shows, in both languages, built once per queue change and shared by every
 * screen. Only numbers, counter and group names: a TV in a waiting hall shows nothing personal.
 */
export interface BoardData {
  day: string;
  /** Counters with a called or serving ticket, newest call first. */
  calling: Array<{ counter: string; counterName: Named; counterNo?: number; number: string; status: string; calledAt: number; counterStatus: CounterStatus }>;
  /** Every counter with its status today (set from the counter console) and since when (ms; 0: open all day). */
  counters: Array<{ counter: string; counterName: Named; status: CounterStatus; statusSince: number }>;
  groups: Array<{ id: string; prefix: string; name: Named; waiting: number; next: string[] }>;
  /** Today's incidents still in force, newest first; `where` is the service or agency. */
  incidents: Array<{ id: string; kind: string; where: Named; message: string }>;
}

/** The board in one language: the JSON of `/board/state` and of the SSE `snapshot` event. */
export interface BoardState {
  mpp: string;
  timeZone: string;
  day: string;
  calling: Array<{ counter: string; counterName: string; counterNo?: number; number: string; status: string; calledAt: number; counterStatus: CounterStatus }>;
  counters: Array<{ counter: string; counterName: string; status: CounterStatus; statusSince: number }>;
  groups: Array<{ id: string; prefix: string; name: string; waiting: number; next: string[] }>;
  incidents: Array<{ id: string; kind: string; where: string; message: string }>;
}

/**
 * The number a voice says for a counter ("loket empat"): the trailing number of its id
 * (`loket-4`), else the first number in its name; none when neither has one.
 */
export function counterNumber(counter: { id: string; name: Named }): number | undefined {
  const digits = /(\d+)$/.exec(counter.id)?.[1] ?? /\d+/.exec(counter.name.id)?.[0];
  return digits === undefined ? undefined : Number(digits);
}

/** Per counter: its status and since when (ms; 0 for a counter open all day). */
type Statuses = Map<string, { status: CounterStatus; since: number }>;

/** Counter statuses as the counter console sets them; an unknown value counts as open. */
async function statusesOf(queue: QueueService): Promise<Statuses> {
  const out: Statuses = new Map();
  for (const [id, { status, since }] of await queue.counterStatuses()) if (STATUSES.includes(status) && status !== 'open') out.set(id, { status, since: Number(since) || 0 });
  return out;
}

/** An incident stays on the board until an operator marks it resolved (its `resolution`). */
function inForce(incident: Incident & { resolution?: unknown }): boolean {
  return !incident.resolution && !incident.resolved;
}

export async function boardData(queue: QueueService, catalogue: Catalogue, incidents?: BoardIncidents): Promise<BoardData> {
  const day = queue.today();
  const [snapshot, statuses, todays] = await Promise.all([queue.snapshot(), statusesOf(queue), incidents ? incidents.onDay(day) : Promise.resolve([])]);
  const counters = new Map(catalogue.mpp.counters.map((c) => [c.id, c]));
  const known = snapshot.counters.filter((c) => counters.has(c.id));
  const calling = known
    .flatMap((c) => {
      const counter = counters.get(c.id)!;
      return c.current ? [{ counter: c.id, counterName: counter.name, counterNo: counterNumber(counter), number: c.current.number, status: c.current.status, calledAt: c.current.calledAt ?? 0, counterStatus: statuses.get(c.id)?.status ?? 'open' }] : [];
    })
    .sort((a, b) => b.calledAt - a.calledAt || a.counter.localeCompare(b.counter));
  const all = catalogue.mpp.counters.map((c) => ({ counter: c.id, counterName: c.name, status: statuses.get(c.id)?.status ?? ('open' as const), statusSince: statuses.get(c.id)?.since ?? 0 }));

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
  const notices = todays.filter(inForce).map((i) => {
    const named = i.scope.type === 'agency' ? catalogue.agencies.get(i.scope.id)?.name : catalogue.services.get(i.scope.id)?.name;
    return { id: i.id, kind: i.kind, where: named ?? { id: i.scope.id, en: i.scope.id }, message: i.message };
  });
  return { day, calling, counters: all, groups, incidents: notices };
}

export function localiseBoard(data: BoardData, locale: Locale, catalogue: Catalogue): BoardState {
  return {
    mpp: catalogue.mpp.name,
    timeZone: catalogue.mpp.timezone,
    day: data.day,
    calling: data.calling.map((c) => ({ ...c, counterName: c.counterName[locale] })),
    counters: data.counters.map((c) => ({ ...c, counterName: c.counterName[locale] })),
    groups: data.groups.map((g) => ({ ...g, name: g.name[locale] })),
    incidents: data.incidents.map((i) => ({ ...i, where: i.where[locale] })),
  };
}
