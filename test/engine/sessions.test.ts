import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/engine/flow-error.js';
import { SessionStore } from '../../src/engine/sessions.js';
import { allText, choiceIds, testEngine, testRedis } from '../helpers.js';

const MENU = ['search', 'take', 'status', 'info', 'bookings', 'language'];

describe('sessions', () => {
  it('starts afresh from the menu, without an error, when a stored session has the old layout', async () => {
    const { engine, prefix } = await testEngine();
    const u = { channel: 'test', userKey: `old-${Math.random()}` };
    const old = { v: 7, state: 'ticket-checklist', locale: 'id', offered: ['ready\u0000Sudah siap'], history: [], vars: { service: 'djp-npwp', cl: 'yn', prio: '1' } };
    await testRedis().set(`${prefix}:sess:{${SessionStore.subject(u.channel, u.userKey)}}`, JSON.stringify(old));
    const r = await engine.handle({ ...u, choice: 'ready' });
    expect(allText(r)).toContain('sudah berakhir');
    expect(allText(r)).not.toContain('gangguan');
    expect(choiceIds(r)).toEqual(MENU);
    expect(choiceIds(await engine.handle({ ...u, choice: 'info' }))).toContain('open-now');
  });

  it('goes "kembali" past states a rename in flows/ left in the history', async () => {
    const { engine, prefix, clock } = await testEngine();
    const u = { channel: 'test', userKey: `renamed-${Math.random()}` };
    const stored = { v: 3, at: clock.now().getTime(), state: 'mpp-info', locale: 'id', offered: [], history: ['agency-list', 'info-old-name'], vars: {} };
    await testRedis().set(`${prefix}:sess:{${SessionStore.subject(u.channel, u.userKey)}}`, JSON.stringify(stored));
    const back = await engine.handle({ ...u, text: 'kembali' });
    expect(allText(back)).not.toContain('gangguan');
    expect(choiceIds(back)).toContain('a.dukcapil');
  });

  it('expires on the injected clock: kept just before the idle time, gone just after', async () => {
    const { engine, clock } = await testEngine({ idleMs: 10 * 60_000 });
    const u = { channel: 'test', userKey: `idle-${Math.random()}` };
    await engine.handle({ ...u, text: 'menu' });
    clock.advance(10 * 60_000);
    expect(choiceIds(await engine.handle({ ...u, choice: 'info' }))).toContain('open-now');
    clock.advance(10 * 60_000 + 1);
    const r = await engine.handle({ ...u, choice: 'open-now' });
    expect(allText(r)).toContain('sudah berakhir');
  });

  it('refuses a push into an entry flows/ do not declare, by error code', async () => {
    const { engine } = await testEngine();
    const err = await engine.push('test', 'someone', 'no_such_entry', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowError);
    expect((err as FlowError).code).toBe('unknown_entry');
  });
});
