import { describe, expect, it } from 'vitest';
import { CounterDesk } from '../../src/http/counter/desk.js';
import { testQueue } from '../helpers.js';

const SIM = 'polri-sim-perpanjangan'; // loket-5
const PAJAK = 'samsat-pajak-tahunan'; // loket-6

describe('counter state of a visit ticket', () => {
  it('says which step of how many, and where the citizen goes next; nothing for a single ticket', async () => {
    const { queue, catalogue, clock } = await testQueue({ hoursMode: 'always' });
    const desk = new CounterDesk(queue, catalogue, clock);
    const counter = (id: string) => catalogue.mpp.counters.find((c) => c.id === id)!;
    const { visit } = await queue.takeVisit({ serviceIds: [SIM, PAJAK], citizen: { channel: 'test', userKey: 'v' }, source: 'test' });
    await queue.take({ serviceId: PAJAK, citizen: { channel: 'test', userKey: 's' }, source: 'test' });
    await queue.callNext('loket-5');
    const sim = await desk.state(counter('loket-5'), 'id');
    expect(sim.current?.visit).toEqual({ id: visit.id, step: 1, of: 2, next: { serviceId: PAJAK, number: visit.steps[1]!.number, counters: ['loket-6'] } });
    const samsat = await desk.state(counter('loket-6'), 'id');
    const tickets = samsat.waiting.find((w) => w.serviceId === PAJAK)!.tickets;
    expect(tickets.map((t) => t.visit ?? null)).toEqual([{ id: visit.id, step: 2, of: 2, next: null }, null]);
    // Once the citizen cancels the last step, the first one has nothing next.
    await queue.cancelStep(visit.steps[1]!.ticketId, 'test', 'v');
    expect((await desk.state(counter('loket-5'), 'id')).current?.visit?.next).toBeNull();
  });
});
