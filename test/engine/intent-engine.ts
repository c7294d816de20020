import { afterAll } from 'vitest';
import { Appointments } from '../../src/appointments/appointments.js';
import { BookingPlan } from '../../src/appointments/plan.js';
import { BookingStore } from '../../src/appointments/store.js';
import { OpeningHours } from '../../src/catalogue/hours.js';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { ManualClock } from '../../src/clock.js';
import { actions } from '../../src/engine/actions/index.js';
import { Engine } from '../../src/engine/engine.js';
import { loadFlows } from '../../src/engine/flow.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { Translator } from '../../src/i18n.js';
import { defaultQueuePolicy } from '../../src/queue/policy.js';
import { QueueService } from '../../src/queue/queue-service.js';
import { Outbox } from '../../src/reminders/outbox.js';
import { ChecklistReader } from '../../src/understanding/checklist.js';
import { loadUnderstandingData } from '../../src/understanding/load.js';
import { MONDAY_9AM, demoCatalogue, silentLogger, testPrefix, testRedis } from '../helpers.js';

const outboxes: Outbox[] = [];
afterAll(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close()));
});

/**
 * A real engine on the demo content with the queue, appointments (real BullMQ outbox) and the
 * checklist reader. Until the default text action leads to ticket-arriving and booking-when
 * (outcomes arriving, booking_when), tests reach them as the router will: the vars set, then the
 * state entered (`engine.push` on the entries `arriving` and `booking_when`).
 */
export async function intentEngine(opts: { clock?: ManualClock } = {}) {
  const catalogue = await demoCatalogue();
  const clock = opts.clock ?? new ManualClock(MONDAY_9AM);
  const prefix = testPrefix();
  const redis = testRedis();
  const hours = new OpeningHours(catalogue.mpp);
  const search = new ServiceSearch(catalogue);
  const queue = new QueueService(redis, prefix, catalogue, hours, clock, defaultQueuePolicy);
  const outbox = Outbox.connect(process.env.REDIS_URL!, prefix);
  outboxes.push(outbox);
  const appointments = new Appointments(new BookingStore(redis, prefix), new BookingPlan(catalogue, hours), queue, outbox, clock);
  const [flows, translator, understanding] = await Promise.all([loadFlows('flows'), Translator.load('locales'), loadUnderstandingData('content')]);
  flows.entries.arriving ??= 'ticket-arriving';
  flows.entries.booking_when ??= 'booking-when';
  const engine = new Engine({
    flows,
    actions,
    translator,
    sessions: new SessionStore(redis, prefix, 30 * 60_000),
    services: { catalogue, search, hours, queue, appointments, checklistReader: new ChecklistReader(understanding.intents, search.normaliser) },
    clock,
    logger: silentLogger,
    ratePerMinute: 1000,
  });
  return { engine, queue, appointments, clock, catalogue, understanding, search };
}

let n = 0;
/** A fresh citizen; `en` starts their conversation in English (a WhatsApp-style locale hint). */
export async function citizen(engine: Engine, locale: 'id' | 'en' = 'id') {
  const u = { channel: 'test', userKey: `warga-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 8)}` };
  if (locale === 'en') await engine.handle({ ...u, text: 'menu', localeHint: 'en' });
  return u;
}

/** Texts of pushed messages, joined like allText. */
export const pushedText = (messages: Array<{ text: string }>) => messages.map((m) => m.text).join('\n---\n');
/** Choice ids of the last pushed message. */
export const pushedChoices = (messages: Array<{ choices?: Array<{ id: string }> }>) => messages.at(-1)?.choices?.map((c) => c.id) ?? [];
