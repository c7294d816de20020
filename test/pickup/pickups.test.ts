import { describe, expect, it } from 'vitest';
import { PickupKeys } from '../../src/pickup/keys.js';
import { PickupError } from '../../src/pickup/pickup.js';
import { KTP, PASSPORT, SKCK, pickupSetup } from './support.js';

const citizen = (n: number) => ({ channel: 'webchat', userKey: `citizen-${n}` });
const DAY = 86_400_000;

describe('document pickup records', () => {
  it('records an application when a passport ticket is done, with a reference of number and date and the expected day in working days', async () => {
    const { pickups, serve } = await pickupSetup();
    const ticket = await serve(PASSPORT, 'loket-3', citizen(1));
    const p = await pickups.recordDone(ticket);
    expect(p).toMatchObject({ id: ticket.id, reference: `${ticket.number}-20261123`, status: 'applied', serviceId: PASSPORT, channel: 'webchat', to: 'citizen-1' });
    // Monday 23 Nov + 3 working days = Thursday 26 Nov.
    expect(p!.expectedDay).toBe('2026-11-26');
    expect(await pickups.ofCitizen('webchat', 'citizen-1')).toHaveLength(1);
    expect(await pickups.ofCitizen('telegram', 'citizen-1')).toHaveLength(0);
  });

  it('makes one record however often the same done ticket is handled', async () => {
    const { pickups, serve, store } = await pickupSetup();
    const ticket = await serve(KTP, 'loket-1', citizen(2));
    await Promise.all([pickups.recordDone(ticket), pickups.recordDone(ticket), pickups.recordDone(ticket)]);
    expect(await store.recent(10)).toHaveLength(1);
    expect((await pickups.get(ticket.id))!.expectedDay).toBe('');
  });

  it('records nothing for a service collected at once, or a ticket not finished', async () => {
    const { pickups, serve, queue } = await pickupSetup();
    expect(await pickups.recordDone(await serve(SKCK, 'loket-4', citizen(3)))).toBeUndefined();
    const { ticket } = await queue.take({ serviceId: PASSPORT, citizen: citizen(4), source: 'test' });
    expect(await pickups.recordDone((await queue.get(ticket.id))!)).toBeUndefined();
  });

  it('keeps no address for a kiosk ticket: it is found by reference, nobody is told', async () => {
    const { pickups, serve, scheduled } = await pickupSetup();
    const ticket = await serve(PASSPORT, 'loket-3');
    const p = (await pickups.recordDone(ticket))!;
    expect(p.channel).toBe('');
    const { pickup } = await pickups.markReady(p.reference);
    expect(pickup.status).toBe('ready');
    expect(scheduled).toHaveLength(0);
  });

  it('marks ready by ticket reference in any spelling and tells the citizen once, on the channel they used', async () => {
    const { pickups, serve, scheduled } = await pickupSetup();
    const ticket = await serve(PASSPORT, 'loket-3', citizen(5));
    const p = (await pickups.recordDone(ticket))!;
    const loose = p.reference.toLowerCase().replace(/-/g, ' ');
    const first = await pickups.markReady(loose);
    expect(first).toMatchObject({ changed: true, pickup: { status: 'ready' } });
    const again = await pickups.markReady(p.reference);
    expect(again.changed).toBe(false);
    expect(again.pickup.readyAt).toBe(first.pickup.readyAt);
    // Scheduled on each call, but under one job id: one notice.
    expect(new Set(scheduled.map((s) => `${s.channel}/${s.job.kind}/${s.job.pickupId}`))).toEqual(new Set([`webchat/pickup-ready/${ticket.id}`]));
  });

  it('marks ready by the receipt number the officer noted, and the receipt then finds it too', async () => {
    const { pickups, serve } = await pickupSetup();
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(6))))!;
    await pickups.noteReceipt(p.reference, 'TT/2026/0042');
    const { pickup } = await pickups.markReady('tt-2026-0042');
    expect(pickup).toMatchObject({ id: p.id, status: 'ready', receipt: 'TT/2026/0042' });
    expect((await pickups.find('TT 2026 0042'))!.id).toBe(p.id);
  });

  it('refuses a receipt number that belongs to another application', async () => {
    const { pickups, serve } = await pickupSetup();
    const a = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(7))))!;
    const b = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(8))))!;
    await pickups.noteReceipt(a.reference, 'R-100');
    await expect(pickups.markReady(b.reference, 'R-100')).rejects.toMatchObject({ code: 'bad_request', reason: 'receipt_taken' });
    expect((await pickups.get(b.id))!.status).toBe('applied');
  });

  it('lets staff type the ticket number alone while one application fits, and asks for the date when several do', async () => {
    const { pickups, serve, clock } = await pickupSetup();
    const monday = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(20))))!;
    expect((await pickups.markReady('b 001')).pickup.id).toBe(monday.id);
    clock.advance(DAY);
    const tuesday = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(21))))!;
    expect(tuesday.ticketNumber).toBe(monday.ticketNumber);
    await expect(pickups.markReady('B-001')).rejects.toMatchObject({ code: 'bad_request', reason: 'ambiguous' });
    await pickups.markCollected(monday.reference);
    expect((await pickups.markReady('B-001')).pickup.id).toBe(tuesday.id);
    // The chat never resolves a bare number: it could be anyone's.
    expect(await pickups.find('B-001')).toBeUndefined();
  });

  it('refuses an unknown reference with not_found', async () => {
    const { pickups } = await pickupSetup();
    const err = await pickups.markReady('B-999-20261123').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PickupError);
    expect(err).toMatchObject({ code: 'not_found' });
    await expect(pickups.markCollected('zz')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('never moves back from collected: marking ready again is refused, collecting again changes nothing', async () => {
    const { pickups, serve, withdrawn } = await pickupSetup();
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(9))))!;
    await pickups.markReady(p.reference);
    const collected = await pickups.markCollected(p.reference);
    expect(collected).toMatchObject({ changed: true, pickup: { status: 'collected' } });
    expect(withdrawn.map((w) => w.ref.kind)).toContain('pickup-uncollected');
    await expect(pickups.markReady(p.reference)).rejects.toMatchObject({ code: 'illegal_transition' });
    expect((await pickups.markCollected(p.reference)).changed).toBe(false);
  });

  it('keeps a collected record only a few days, and any record at most the maximum', async () => {
    const { pickups, serve, redis, prefix } = await pickupSetup({ keepDays: 2, maxDays: 30 });
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(10))))!;
    const key = new PickupKeys(prefix).record(p.id);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(29 * DAY);
    expect(ttl).toBeLessThanOrEqual(30 * DAY + 60_000);
    await pickups.markCollected(p.reference);
    const after = await redis.pttl(key);
    expect(after).toBeGreaterThan(DAY);
    expect(after).toBeLessThanOrEqual(2 * DAY + 60_000);
    for (const rule of pickups.store.retention()) expect(rule.ttlSec).toBe(30 * 86_400);
  });

  it('reminds about a ready document not collected after N days, then every N days, at most three times', async () => {
    const { pickups, serve, clock, scheduled } = await pickupSetup({ remindAfterDays: 5 });
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(11))))!;
    await pickups.markReady(p.reference);
    const reminders = () => scheduled.filter((s) => s.job.kind === 'pickup-uncollected').map((s) => s.job.n);
    clock.advance(4 * DAY);
    expect(await pickups.remindUncollected()).toBe(0);
    clock.advance(DAY + 1000);
    expect(await pickups.remindUncollected()).toBe(1);
    // Run twice the same night: nothing more.
    expect(await pickups.remindUncollected()).toBe(0);
    clock.advance(30 * DAY);
    await pickups.remindUncollected();
    clock.advance(30 * DAY);
    await pickups.remindUncollected();
    expect(reminders()).toEqual([1, 3]);
  });

  it('sends a reminder found by the nightly run at 08:00 local, not in the night', async () => {
    const { pickups, serve, clock, scheduled } = await pickupSetup({ remindAfterDays: 2 });
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(14))))!;
    await pickups.markReady(p.reference);
    // Thursday 26 Nov, 02:30 WIB (19:30 UTC the day before).
    clock.set(new Date('2026-11-25T19:30:00Z'));
    expect(await pickups.remindUncollected()).toBe(1);
    expect(scheduled.find((s) => s.job.kind === 'pickup-uncollected')!.delayMs).toBe(5.5 * 3600_000);
  });

  it('sends no reminder once the document is collected', async () => {
    const { pickups, serve, clock, scheduled } = await pickupSetup({ remindAfterDays: 1 });
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(12))))!;
    await pickups.markReady(p.reference);
    await pickups.markCollected(p.reference);
    clock.advance(3 * DAY);
    expect(await pickups.remindUncollected()).toBe(0);
    expect(scheduled.filter((s) => s.job.kind === 'pickup-uncollected')).toHaveLength(0);
  });

  it('erases a citizen\'s applications on request', async () => {
    const { pickups, serve } = await pickupSetup();
    const p = (await pickups.recordDone(await serve(PASSPORT, 'loket-3', citizen(13))))!;
    expect(await pickups.erase('webchat', 'citizen-13')).toBe(1);
    expect(await pickups.find(p.reference)).toBeUndefined();
    expect(await pickups.ofCitizen('webchat', 'citizen-13')).toHaveLength(0);
  });
});
