import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actions } from '../../src/engine/actions/index.js';
import { loadFlows } from '../../src/engine/flow.js';
import { decodePayload } from '../../src/engine/payload.js';
import { SessionStore } from '../../src/engine/sessions.js';
import type { TurnResult } from '../../src/message.js';
import { testEngine } from '../helpers.js';

const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom('menu', 'kembali', 'batal', 'bahasa', 'bantuan', 'antrean', 'antrean saya', 'batal antrean', 'hapus data saya', 'ya', 'iya kak', 'ga jadi deh', 'tidak', '1', '2', '99', 'skck', 'paspor hilang', 'kk baru', '<script>', ''),
);
const choice = fc.oneof(fc.constantFrom('search', 'take', 'info', 'lang-en', 's.polri-skck-baru', 'a.dukcapil', 'menu', 's.nope', 'd.2026-11-24', 'x.nope'), fc.string({ maxLength: 80 }));
/** A step: something typed, a button (maybe forged or stale), or one of the buttons just offered. */
const step = fc.oneof(
  fc.record({ text }, { requiredKeys: [] }),
  fc.record({ choice }),
  fc.record({ pickOffered: fc.nat(20) }),
  fc.record({ localeHint: fc.constantFrom('id', 'en', 'ja', '', 'zz-ZZ'), text }),
);

describe('engine under random input', () => {
  it('always answers; every reply is its state own, and every choice it offers is accepted next turn', async () => {
    const { engine, sessions, translator, clock } = await testEngine();
    const flows = await loadFlows('flows');
    const stale = new Set(['id', 'en'].map((l) => translator.t(l as 'id', 'common.stale')));
    const broken = new Set(['id', 'en'].map((l) => translator.t(l as 'id', 'errors.unavailable')));
    let run = 0;

    /** The last message's buttons are exactly what the session's state offers: its own choices or payloads its on_choice takes. */
    const belongsToState = async (userKey: string, result: TurnResult) => {
      const loaded = await sessions.load(SessionStore.subject('fuzz', userKey), clock.now().getTime(), { countRate: false });
      const ids = result.messages.at(-1)?.choices?.map((c) => c.id) ?? [];
      // "Hapus data saya" ends the session on purpose: nothing is left to belong to.
      if (!loaded.existing) return ids;
      const state = flows.states.get(loaded.session.state);
      expect(state, `state ${loaded.session.state}`).toBeDefined();
      expect(loaded.session.offered.map((o) => o.split('\u0000')[0])).toEqual(ids);
      const takes = state!.on_choice ? actions[state!.on_choice]!.accepts : [];
      for (const id of ids) {
        const payload = decodePayload(id);
        const ok = state!.choices.some((c) => c.id === id) || (payload !== undefined && takes.includes(payload.kind));
        expect(ok, `${id} offered in state ${loaded.session.state}`).toBe(true);
      }
      return ids;
    };

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const userKey = `p${run++}`;
        let offered: string[] = [];
        for (const s of steps) {
          const picked = 'pickOffered' in s ? offered[s.pickOffered % Math.max(offered.length, 1)] : undefined;
          const message = 'pickOffered' in s ? (picked === undefined ? { text: 'menu' } : { choice: picked }) : s;
          const result = await engine.handle({ channel: 'fuzz', userKey, ...message });
          expect(result.messages.length).toBeGreaterThan(0);
          for (const out of result.messages) {
            expect(typeof out.text).toBe('string');
            expect(out.text.length).toBeGreaterThan(0);
            expect(broken.has(out.text), 'the engine failed a turn').toBe(false);
            for (const c of out.choices ?? []) expect(Buffer.byteLength(c.id)).toBeLessThanOrEqual(64);
          }
          if (picked !== undefined) expect(result.messages.some((m) => stale.has(m.text)), `offered choice ${picked} was refused as stale`).toBe(false);
          offered = await belongsToState(userKey, result);
        }
      }),
      { numRuns: 150 },
    );
  });
});
