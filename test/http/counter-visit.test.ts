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
    // The held step 2 is not the Samsat counter's to call yet: only the single ticket is next up.
    expect(samsat.next.map((t) => t.visit ?? null)).toEqual([null]);
    await queue.act(visit.steps[0]!.ticketId, 'done');
    const released = await desk.state(counter('loket-6'), 'id');
    expect(released.next.map((t) => t.visit ?? null)).toEqual([{ id: visit.id, step: 2, of: 2, next: null }, null]);
    await queue.undoDone(visit.steps[0]!.ticketId);
    // Back at the SIM counter after an undo: step 2 cannot be called out of order meanwhile.
    await expect(queue.callTicket('loket-6', visit.steps[1]!.ticketId, 'dipanggil lebih dulu', 'petugas')).rejects.toMatchObject({ code: 'citizen_busy' });
    expect((await queue.callNext('loket-6'))?.visit).toBeUndefined();
    await queue.act(visit.steps[0]!.ticketId, 'done');
    // Once the citizen cancels the last step, nothing is next for the Samsat counter but its single ticket's end.
    await queue.cancelStep(visit.steps[1]!.ticketId, 'test', 'v');
    expect((await queue.visit(visit.id))?.steps[1]?.status).toBe('cancelled');
  });
});
