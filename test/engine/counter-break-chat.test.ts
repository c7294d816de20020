import { describe, expect, it } from 'vitest';
import { allText, choiceIds, takeTicketInChat, testEngine } from '../helpers.js';

const SIM = 'polri-sim-perpanjangan';
/** The counters serving a service, as content/mpp.yaml assigns them (agency, and its services list when given). */
const countersFor = (catalogue: Awaited<ReturnType<typeof testEngine>>['catalogue'], serviceId: string) => {
  const agency = catalogue.services.get(serviceId)!.agency;
  return catalogue.mpp.counters.filter((c) => c.agency === agency && (!c.services || c.services.includes(serviceId))).map((c) => c.id);
};

describe('a hurried citizen while every counter of the service is on a break', () => {
  it('hears about the break when asking "udah nomor brp" / "masih lama ga", and before taking a ticket; not after the counters reopen', async () => {
    const { engine, queue, catalogue } = await testEngine();
    const first = { channel: 'test', userKey: 'break-first' };
    const me = { channel: 'test', userKey: 'break-me' };
    await takeTicketInChat(engine, first, 'perpanjang sim');
    await takeTicketInChat(engine, me, 'perpanjang sim');
    const counters = countersFor(catalogue, SIM);
    expect(counters.length).toBeGreaterThan(0);
    for (const id of counters) await queue!.setCounterStatus(id, 'break');

    for (const asked of ['udah nomor brp', 'masih lama ga']) {
      const reply = await engine.handle({ ...me, text: asked });
      expect(allText(reply), asked).toMatch(/C-\d{3}/);
      expect(allText(reply), asked).toContain('sedang istirahat');
      expect(choiceIds(reply), asked).toContain('menu');
    }
    // Someone else about to take a ticket is told before waiting for nobody.
    const other = { channel: 'test', userKey: 'break-other' };
    await engine.handle({ ...other, text: 'perpanjang sim' });
    const confirm = await engine.handle({ ...other, text: 'ambil nomor antrian' });
    expect(allText(confirm)).toContain('Ambil antrean untuk layanan Perpanjangan SIM');
    expect(allText(confirm)).toContain('sedang istirahat');
    expect(choiceIds(confirm)).toEqual(expect.arrayContaining(['confirm', 'menu']));

    for (const id of counters) await queue!.setCounterStatus(id, 'open');
    expect(allText(await engine.handle({ ...me, text: 'udah nomor brp' }))).not.toContain('istirahat');
    await engine.handle({ ...other, text: 'menu' });
    await engine.handle({ ...other, text: 'perpanjang sim' });
    expect(allText(await engine.handle({ ...other, text: 'ambil nomor antrian' }))).not.toContain('istirahat');
  });

  it('says "tutup" rather than a break when every counter is closed, in English too', async () => {
    const { engine, queue, catalogue } = await testEngine();
    const me = { channel: 'test', userKey: 'closed-me' };
    for (const id of countersFor(catalogue, SIM)) await queue!.setCounterStatus(id, 'closed');
    await engine.handle({ ...me, text: 'renew driving license' });
    const confirm = allText(await engine.handle({ ...me, text: 'get a ticket' }));
    expect(confirm).toContain('Take a ticket for Driving licence renewal');
    expect(confirm).toMatch(/closed/i);
  });
});
