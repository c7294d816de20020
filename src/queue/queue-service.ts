import type { Redis } from 'ioredis';
import type { OpeningHours } from '../catalogue/hours.js';
import type { Catalogue } from '../catalogue/loader.js';
import type { Clock } from '../clock.js';
import { CitizenRecords } from './citizens.js';
import { QueueCommands } from './commands.js';
import { CounterOps, type CounterState, type CounterStatus, type OutOfOrderCall } from './counters.js';
import { QueueKeys } from './keys.js';
import { QueueLayout } from './layout.js';
import type { QueuePolicy } from './policy.js';
import { QueueReads, type Availability, type CounterSnapshot, type ServiceDayCounts, type ServiceSnapshot } from './reads.js';
import { TicketDesk, type TakeRequest } from './tickets.js';
import type { Ticket, TicketAction, TicketView } from './ticket.js';
import { VisitDesk, type StepCancelled, type TakeVisitRequest, type VisitBadge, type VisitView } from './visits.js';
import { awaitReplicas } from '../redis/durability.js';

export type { Availability, CounterSnapshot, ServiceDayCounts, ServiceSnapshot } from './reads.js';
export type { TakeRequest } from './tickets.js';
export { counterStatuses, UNDO_DONE_MS, type CounterState, type CounterStatus, type OutOfOrderCall } from './counters.js';
export type { StepCancelled, TakeVisitRequest, VisitBadge, VisitStepView, VisitView } from './visits.js';
import type { ServiceDayDetail } from './day-detail.js';
export type { ServiceDayDetail } from './day-detail.js';

/** Where another module may put keys that must share a Lua script with a ticket (one Redis Cluster slot). */
export interface TicketSlot {
  /** The ticket's own hash (a script may set a field of its own on it, e.g. `surveyed`). */
  ticketKey(id: string): string;
  /** A key of the caller's own, named `<name>:<parts…>`, in the queue's hash-tag slot. */
  key(name: string, ...parts: string[]): string;
}

/**
 * The virtual queue, one object for its callers: state changes (`TicketDesk`, Lua through
 * `QueueCommands`), read models (`QueueReads`), citizen records (`CitizenRecords`). The Redis key
 * layout stays inside this folder; others get read models, the event stream's name, a
 * `TicketSlot`, and the queue's own retention rules.
 */
export class QueueService {
  /** The MPP site this queue is of (content/mpp.yaml `site`, or content/sites/<id>.yaml). */
  readonly site: string;
  private readonly keys: QueueKeys;
  private readonly layout: QueueLayout;
  private readonly reads: QueueReads;
  private readonly desk: TicketDesk;
  private readonly citizens: CitizenRecords;
  private readonly counters: CounterOps;
  private readonly visits: VisitDesk;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    catalogue: Catalogue,
    hours: OpeningHours,
    clock: Clock,
    readonly policy: QueuePolicy,
  ) {
    // The site's hash tag: every queue key of this MPP in one Cluster slot.
    this.site = catalogue.mpp.site;
    this.keys = new QueueKeys(prefix, catalogue.mpp.site);
    this.layout = new QueueLayout(catalogue, clock);
    const commands = new QueueCommands(redis, this.keys);
    this.reads = new QueueReads(redis, this.keys, commands, this.layout, hours, clock, policy.priorityEvery);
    this.desk = new TicketDesk(commands, this.reads, this.layout, hours, clock, policy);
    this.counters = new CounterOps(redis, this.keys, commands, this.reads, this.layout, clock, policy);
    this.visits = new VisitDesk(redis, this.keys, commands, this.reads, this.desk, this.layout, hours, clock, policy);
    this.citizens = new CitizenRecords(redis, this.keys, this.reads, this.layout, clock, (id) => this.desk.transition(id, 'cancel'));
  }

  /** The queue's event stream (Redis stream): the board and the reminder scheduler read it. */
  get eventStream(): string {
    return this.keys.events;
  }

  readonly ticketSlot: TicketSlot = {
    ticketKey: (id) => this.keys.ticket(id),
    key: (name, ...parts) => [this.keys.base, name, ...parts].join(':'),
  };

  // The day and the content's layout.
  today = (at?: Date): string => this.layout.today(at);
  countersFor = (serviceId: string) => this.layout.countersFor(serviceId);
  servicesOf = (counterId: string): string[] => this.layout.servicesOf(counterId);

  // Read models.
  get = (id: string): Promise<Ticket | undefined> => this.reads.get(id);
  view = (ticket: Ticket): Promise<TicketView> => this.reads.view(ticket);
  availability = (serviceId: string): Promise<Availability> => this.reads.availability(serviceId);
  activeTickets = (channel: string, userKey: string): Promise<TicketView[]> => this.reads.activeTickets(channel, userKey);
  atCounter = (counterId: string): Promise<Ticket | undefined> => this.reads.atCounter(counterId);
  waiting = (serviceId: string, limit?: number): Promise<Ticket[]> => this.reads.waiting(serviceId, limit);
  nextInLine = (serviceId: string, limit: number): Promise<TicketView[]> => this.reads.nextInLine(serviceId, limit);
  pending = (serviceId: string): Promise<Ticket[]> => this.reads.pending(serviceId);
  snapshot = (): Promise<{ services: ServiceSnapshot[]; counters: CounterSnapshot[] }> => this.reads.snapshot();
  dayCounts = (serviceIds: readonly string[], day: string): Promise<Map<string, ServiceDayCounts>> => this.reads.dayCounts(serviceIds, day);
  /** Each service's durable figures per local day, with the report detail (see day-detail.ts). */
  dayDetails = (serviceIds: readonly string[], days: readonly string[]): Promise<ServiceDayDetail[]> => this.reads.dayDetails(serviceIds, days);

  // State changes.
  take = async (req: TakeRequest): Promise<{ ticket: TicketView; created: boolean }> => {
    const taken = await this.desk.take(req);
    // On Cluster/Sentinel a ticket is confirmed once a replica has it: a failover cannot lose it.
    if (taken.created) await awaitReplicas(this.redis, this.keys.ticket(taken.ticket.id));
    return taken;
  };
  /** `officer`: the calling staff member's username, for the report's per-officer totals. */
  callNext = async (counterId: string, officer?: string): Promise<TicketView | undefined> => {
    // A counter on break or closed calls no one (its officer reopens it first).
    await this.counters.requireOpen(counterId);
    return this.desk.callNext(counterId, officer);
  };
  act = async (ticketId: string, action: TicketAction): Promise<Ticket> => {
    const ticket = await this.desk.act(ticketId, action);
    if (action === 'done') await this.counters.countServed(ticket);
    return ticket;
  };
  transfer = (ticketId: string, serviceId: string): Promise<Ticket> => this.desk.transfer(ticketId, serviceId);
  cancelOwn = (ticketId: string, channel: string, userKey: string): Promise<Ticket> => this.desk.cancelOwn(ticketId, channel, userKey);
  postpone = (ticketId: string, channel: string, userKey: string, places: number): Promise<{ moved: number; ticket: TicketView }> => this.desk.postpone(ticketId, channel, userKey, places);
  placeAt = (ticketId: string, since: Date): Promise<number> => this.desk.placeAt(ticketId, since);
  /** An anonymous (kiosk) ticket becomes a chat citizen's: notices go to that channel from now on. */
  attach = (ticketId: string, channel: string, userKey: string): Promise<TicketView> => this.desk.attach(ticketId, channel, userKey);
  noteOrigin = (channel: string, userKey: string, origin: string): Promise<void> => this.desk.noteOrigin(channel, userKey, origin);

  // Counters: status, served today, out-of-order calls, undo of "done", the officer's note.
  counterStatuses = (): Promise<Map<string, CounterState>> => this.counters.statuses();
  counterStatus = (counterId: string): Promise<CounterState> => this.counters.status(counterId);
  setCounterStatus = (counterId: string, status: CounterStatus): Promise<CounterState> => this.counters.setStatus(counterId, status);
  servedToday = (): Promise<Map<string, number>> => this.counters.servedToday();
  waitingCounts = (counterId: string): Promise<Map<string, number>> => this.counters.waitingCounts(counterId);
  nextUp = (counterId: string, limit: number): Promise<Ticket[]> => this.counters.nextUp(counterId, limit);
  callTicket = (counterId: string, ticketId: string, reason: string, officer: string): Promise<Ticket> => this.counters.callTicket(counterId, ticketId, reason, officer);
  undoDone = (ticketId: string): Promise<Ticket> => this.counters.undoDone(ticketId);
  noteTicket = (ticketId: string, outcome: string, note: string): Promise<void> => this.counters.note(ticketId, outcome, note);
  outOfOrderCalls = (day: string): Promise<OutOfOrderCall[]> => this.counters.outOfOrder(day);
  // Visits: chained tickets (issue 13; src/queue/visits.ts, CONTRACT in the branch visit-queue).
  takeVisit = async (req: TakeVisitRequest): Promise<{ visit: VisitView; created: boolean }> => {
    const taken = await this.visits.takeVisit(req);
    // As for one ticket: on Cluster/Sentinel the visit is confirmed once a replica has it.
    if (taken.created) await awaitReplicas(this.redis, this.keys.visit(taken.visit.id));
    return taken;
  };
  visit = (visitId: string): Promise<VisitView | undefined> => this.visits.visit(visitId);
  visitOf = async (ticket: Ticket): Promise<VisitView | undefined> => (ticket.visit ? this.visits.visit(ticket.visit.id) : undefined);
  ownVisit = (visitId: string, channel: string, userKey: string): Promise<VisitView> => this.visits.ownVisit(visitId, channel, userKey);
  visitBadge = (ticket: Ticket): Promise<VisitBadge | undefined> => this.visits.badge(ticket);
  cancelStep = (ticketId: string, channel: string, userKey: string): Promise<StepCancelled> => this.visits.cancelStep(ticketId, channel, userKey);
  cancelVisit = (visitId: string, channel: string, userKey: string): Promise<{ visit: VisitView; cancelled: number }> => this.visits.cancelVisit(visitId, channel, userKey);
  visitDependents = (cancelled: string, remaining: readonly string[]): string[] => this.visits.dependents(cancelled, remaining);
  visitsOn = (day: string): Promise<string[]> => this.visits.visitsOn(day);
  visitRecord = (visitId: string) => this.visits.record(visitId);

  // Citizen records.
  markOnTheWay = async (ticketId: string, channel: string, userKey: string): Promise<Ticket> => this.citizens.markOnTheWay(await this.desk.own(ticketId, channel, userKey));
  forgetCitizen = (channel: string, userKey: string): Promise<{ tickets: number; cancelled: number }> => this.citizens.forget(channel, userKey);
  liftBlock = (channel: string, userKey: string): Promise<boolean> => this.citizens.liftBlock(channel, userKey);
  isBlocked = (channel: string, userKey: string): Promise<Date | undefined> => this.citizens.isBlocked(channel, userKey);

  /**
   * The queue's retention (UU 27/2022): tickets and a citizen's ticket index live as long as the
   * retention period, the citizen's day index two days; daily counts are anonymous and stay.
   */
  retention(): Array<{ match: string; ttlSec: number }> {
    const retentionSec = this.policy.retentionDays * 86_400;
    const personal = this.keys.personal;
    return [
      { match: personal.tickets, ttlSec: retentionSec },
      { match: personal.citizenTickets, ttlSec: retentionSec },
      { match: personal.citizenDays, ttlSec: 2 * 86_400 },
    ];
  }

  /** Drops queue events older than two days: the board and reminders act within the day. Returns how many. */
  async sweep(nowMs: number): Promise<number> {
    return Number(await this.redis.xtrim(this.keys.events, 'MINID', `${nowMs - 2 * 86_400_000}-0`));
  }
}
