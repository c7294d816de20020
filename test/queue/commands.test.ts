import { describe, expect, it } from 'vitest';
import { QueueCommands, type TakeInput } from '../../src/queue/commands.js';
import { QueueKeys } from '../../src/queue/keys.js';
import { testPrefix, testRedis } from '../helpers.js';

const DAY = '2026-11-23';
const NOW = Date.parse('2026-11-23T02:00:00Z');

function setup() {
  const redis = testRedis();
  const commands = new QueueCommands(redis, new QueueKeys(testPrefix()));
  let n = 0;
  const take = (over: Partial<TakeInput> = {}) =>
    commands.take({
      ticketId: `tktest${String(++n).padStart(4, '0')}`,
      serviceId: 'svc',
      group: { id: 'g', prefix: 'A' },
      day: DAY,
      subject: `citizen-${n}`,
      channel: 'test',
      userKey: `warga-${n}`,
      priority: false,
      quota: 10,
      maxPerDay: 3,
      nowMs: NOW,
      retentionSec: 86_400,
      checklist: '',
      question: '',
      source: 'test',
      ...over,
    });
  return { commands, take };
}

describe('queue commands (one typed wrapper per Lua script)', () => {
  it('take: a new ticket, the same one again for the same idempotency key, then quota_full', async () => {
    const { take } = setup();
    const first = await take({ quota: 2, idempotencyKey: 'req-1' });
    expect(first).toEqual({ outcome: 'new', ticketId: 'tktest0001' });
    expect(await take({ quota: 2, idempotencyKey: 'req-1' })).toEqual({ outcome: 'existing', ticketId: 'tktest0001' });
    expect((await take({ quota: 2 })).outcome).toBe('new');
    expect(await take({ quota: 2 })).toEqual({ outcome: 'quota_full' });
  });

  it('take: an unverified citizen gets address_limit past the per-address cap and web_share_full past its share', async () => {
    const { commands, take } = setup();
    const web = { channel: 'webchat', unverified: { quota: 3, perAddress: 2 } };
    const from = async (origin: string, subject: string) => {
      await commands.noteOrigin(subject, origin);
      return (await take({ ...web, subject })).outcome;
    };
    expect([await from('net-a', 's1'), await from('net-a', 's2'), await from('net-a', 's3')]).toEqual(['new', 'new', 'address_limit']);
    expect([await from('net-b', 's4'), await from('net-c', 's5')]).toEqual(['new', 'web_share_full']);
    // A verified citizen draws on the rest of the quota.
    expect((await take({ subject: 'telegram-citizen' })).outcome).toBe('new');
    // No recorded address: all such takes share the one "unknown" address.
    expect([(await take({ ...web, unverified: { quota: 10, perAddress: 1 }, subject: 'x1' })).outcome, (await take({ ...web, unverified: { quota: 10, perAddress: 1 }, subject: 'x2' })).outcome]).toEqual(['new', 'address_limit']);
  });

  it('callNext: empty line, then the oldest ticket, then counter_busy while it is called', async () => {
    const { commands, take } = setup();
    const call = () => commands.callNext({ counterId: 'loket-1', pool: { id: 'loket-1', services: ['svc'] }, day: DAY, nowMs: NOW, priorityEvery: 3 });
    expect(await call()).toEqual({ outcome: 'empty' });
    const a = await take();
    await take();
    expect(a.outcome).toBe('new');
    const id = a.outcome === 'new' ? a.ticketId : '';
    expect(await call()).toEqual({ outcome: 'called', ticketId: id });
    expect(await call()).toEqual({ outcome: 'counter_busy', ticketId: id });
  });

  it('transition: ok with the new status, conflict when the caller saw an old status, illegal for a wrong move', async () => {
    const { commands, take } = setup();
    const taken = await take();
    const id = taken.outcome === 'new' ? taken.ticketId : '';
    const ticket = { id, serviceId: 'svc', day: DAY, subject: 'citizen-1', counter: '', status: 'waiting' as const };
    const policy = { nowMs: NOW, noshowLimit: 2, noshowWindowMs: 86_400_000, blockMs: 86_400_000 };
    expect(await commands.transition({ ticket, action: 'start', ...policy })).toEqual({ outcome: 'illegal_transition', status: 'waiting' });
    expect(await commands.transition({ ticket, action: 'cancel', ...policy })).toEqual({ outcome: 'ok', status: 'cancelled' });
    expect(await commands.transition({ ticket, action: 'cancel', ...policy })).toEqual({ outcome: 'conflict', status: 'cancelled' });
    expect(await commands.transition({ ticket: { ...ticket, id: 'tknone0000' }, action: 'cancel', ...policy })).toEqual({ outcome: 'unknown_ticket' });
  });

  it('postpone and place: named outcomes for an unknown ticket and a second postpone', async () => {
    const { commands, take } = setup();
    const taken = await take();
    await take();
    const id = taken.outcome === 'new' ? taken.ticketId : '';
    const line = { ticketId: id, serviceId: 'svc', day: DAY, priority: false };
    const postpone = { ticketId: id, pool: { id: 'loket-1', services: ['svc'] }, day: DAY, places: 3, nowMs: NOW, priorityEvery: 3 };
    expect(await commands.postpone(postpone)).toEqual({ outcome: 'ok', moved: 1, ahead: 1 });
    expect(await commands.postpone(postpone)).toEqual({ outcome: 'already_postponed' });
    expect(await commands.place({ ...line, ticketId: 'tknone0000', sinceMs: NOW })).toEqual({ outcome: 'unknown_ticket' });
  });
});
