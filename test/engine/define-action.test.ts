import { describe, expect, it } from 'vitest';
import { defineAction } from '../../src/engine/action.js';

describe('defineAction', () => {
  it('exposes the declared outcomes, flags and payload kinds for the flow check', () => {
    const action = defineAction({ outcomes: ['ready', 'quota_full'], flags: ['bookable'], accepts: ['day'], run: () => ({ outcome: 'ready' }) });
    expect(action).toMatchObject({ outcomes: ['ready', 'quota_full'], flags: ['bookable'], accepts: ['day'] });
  });

  it('does not compile an outcome, flag or payload kind the action did not declare (checked by tsc in npm test)', () => {
    // @ts-expect-error "quota_full" is not a declared outcome
    defineAction({ outcomes: ['ready'], run: () => ({ outcome: 'quota_full' }) });
    // @ts-expect-error "bookable" is not a declared flag
    defineAction({ flags: ['asking'], run: () => ({ flags: ['bookable'] }) });
    // @ts-expect-error an action that accepts days never sees a service
    defineAction({ accepts: ['day'], run: (ctx) => ({ text: ctx.payload?.kind === 'service' ? 'a' : 'b' }) });
    expect(true).toBe(true);
  });

  it('hands the action only payloads of the kinds it accepts', async () => {
    const seen: unknown[] = [];
    const action = defineAction({ accepts: ['day'], run: (ctx) => (seen.push(ctx.payload), {}) });
    const ctx = { payload: { kind: 'service' as const, id: 'x' } } as unknown as Parameters<typeof action.run>[0];
    await action.run(ctx);
    await action.run({ ...ctx, payload: { kind: 'day', day: '2026-11-24' } });
    expect(seen).toEqual([undefined, { kind: 'day', day: '2026-11-24' }]);
  });
});
