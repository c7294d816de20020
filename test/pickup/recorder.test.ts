import { describe, expect, it } from 'vitest';
import { PickupRecorder } from '../../src/pickup/recorder.js';
import { silentLogger, startTestApp, until } from '../helpers.js';
import { KTP, PASSPORT, SKCK, pickupSetup } from './support.js';

describe('pickup recorder (queue "done" events)', () => {
  it('two processes reading the stream make one record per finished ticket, and none for other services', async () => {
    const s = await pickupSetup();
    const recorders = [0, 1].map(() => new PickupRecorder(s.redis.duplicate(), s.queue, s.pickups, silentLogger));
    await Promise.all(recorders.map((r) => r.start()));
    try {
      const done = [await s.serve(PASSPORT, 'loket-3', { channel: 'telegram', userKey: 'r1' }), await s.serve(KTP, 'loket-1', { channel: 'telegram', userKey: 'r2' }), await s.serve(SKCK, 'loket-4', { channel: 'telegram', userKey: 'r3' })];
      await until(async () => (await s.store.recent(10)).length === 2);
      const ids = (await s.store.recent(10)).map((p) => p.id).sort();
      expect(ids).toEqual([done[0]!.id, done[1]!.id].sort());
    } finally {
      await Promise.all(recorders.map((r) => r.stop()));
    }
  });

  it('records a ticket finished while no recorder ran, once one starts again', async () => {
    const s = await pickupSetup();
    const first = new PickupRecorder(s.redis.duplicate(), s.queue, s.pickups, silentLogger);
    await first.start();
    await first.stop();
    const ticket = await s.serve(PASSPORT, 'loket-3', { channel: 'telegram', userKey: 'r4' });
    const again = new PickupRecorder(s.redis.duplicate(), s.queue, s.pickups, silentLogger);
    await again.start();
    try {
      await until(async () => (await s.pickups.get(ticket.id)) !== undefined);
    } finally {
      await again.stop();
    }
  });
});

describe('pickup recorder in a deployment of several MPPs', () => {
  it('records an application for a ticket finished at Kec. Utara, from that site\'s own stream', async () => {
    const app = await startTestApp();
    await app.pickupRecorder.start();
    try {
      const utara = app.sites.get('kec-utara')!;
      const { ticket } = await utara.queue.take({ serviceId: KTP, citizen: { channel: 'telegram', userKey: 'utara-pickup' }, source: 'test' });
      expect((await utara.queue.callNext('loket-1'))?.id).toBe(ticket.id);
      await utara.queue.act(ticket.id, 'done');
      await until(async () => (await app.pickups.get(ticket.id)) !== undefined);
      expect(await app.pickups.get(ticket.id)).toMatchObject({ ticketNumber: ticket.number, serviceId: KTP, status: 'applied', site: 'kec-utara' });
      // A-001 the same day at the main site is another application with its own reference.
      const { ticket: atMain } = await app.queue.take({ serviceId: KTP, citizen: { channel: 'telegram', userKey: 'main-pickup' }, source: 'test' });
      expect(atMain.number).toBe(ticket.number);
      expect((await app.queue.callNext('loket-1'))?.id).toBe(atMain.id);
      await app.queue.act(atMain.id, 'done');
      await until(async () => (await app.pickups.get(atMain.id)) !== undefined);
      const [utaraPickup, mainPickup] = [(await app.pickups.get(ticket.id))!, (await app.pickups.get(atMain.id))!];
      expect(mainPickup.site).toBeUndefined();
      expect(mainPickup.reference).toBe(`${atMain.number}-${atMain.day.replaceAll('-', '')}`);
      expect(utaraPickup.reference).toBe(`KEC-UTARA-${ticket.number}-${ticket.day.replaceAll('-', '')}`);
      expect((await app.pickups.find(utaraPickup.reference))?.id).toBe(ticket.id);
      expect((await app.pickups.find(mainPickup.reference))?.id).toBe(atMain.id);
    } finally {
      await app.close();
    }
  });
});
