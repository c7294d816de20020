import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../helpers.js';

describe('engine under random input', () => {
  it('always answers and never throws, whatever arrives', async () => {
    const { engine } = await testEngine();
    const message = fc.record(
      {
        userKey: fc.constantFrom('p1', 'p2', 'p3'),
        text: fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('menu', 'kembali', 'batal', 'bahasa', '1', '99', 'skck', 'paspor hilang', '<script>', '')),
        choice: fc.oneof(fc.constantFrom('search', 'take', 'info', 'lang-en', 's.polri-skck-baru', 'a.dukcapil', 'menu', 's.nope'), fc.string({ maxLength: 80 })),
        localeHint: fc.constantFrom('id', 'en', 'ja', '', 'zz-ZZ'),
      },
      { requiredKeys: ['userKey'] },
    );
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const result = await engine.handle({ channel: 'fuzz', ...m });
        expect(result.messages.length).toBeGreaterThan(0);
        for (const out of result.messages) {
          expect(typeof out.text).toBe('string');
          expect(out.text.length).toBeGreaterThan(0);
          for (const c of out.choices ?? []) expect(Buffer.byteLength(c.id)).toBeLessThanOrEqual(64);
        }
      }),
      { numRuns: 300 },
    );
  });
});
