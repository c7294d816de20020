import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, type Payload } from '../../src/engine/payload.js';

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/);
const payload: fc.Arbitrary<Payload> = fc.oneof(
  id.map((v) => ({ kind: 'service' as const, id: v })),
  id.map((v) => ({ kind: 'agency' as const, id: v })),
  id.map((v) => ({ kind: 'booking' as const, id: v })),
  id.map((v) => ({ kind: 'ticket' as const, id: v })),
  fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => ({ kind: 'day' as const, day: d.toISOString().slice(0, 10) })),
  fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => ({ kind: 'slot' as const, slot: `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}` })),
  fc.constantFrom(1, 2, 3, 4).map((score) => ({ kind: 'score' as const, score: score })),
  fc.constantFrom('id', 'en').map((locale) => ({ kind: 'language' as const, locale: locale })),
);

describe('choice payloads', () => {
  it('round-trips every payload through an ASCII choice id of at most 64 bytes (Telegram callback_data)', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const encoded = encodePayload(p);
        expect(encoded).toMatch(/^[\x21-\x7e]+$/);
        expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
        expect(decodePayload(encoded)).toEqual(p);
      }),
    );
  });

  it('keeps the ids of buttons already sent, and refuses malformed ones', () => {
    expect(decodePayload('s.polri-skck-baru')).toEqual({ kind: 'service', id: 'polri-skck-baru' });
    expect(decodePayload('t.0930')).toEqual({ kind: 'slot', slot: '09:30' });
    expect(decodePayload('d.2026-11-24')).toEqual({ kind: 'day', day: '2026-11-24' });
    expect(decodePayload('s3')).toEqual({ kind: 'score', score: 3 });
    for (const bad of ['menu', 's.', 't.2599', 'd.tomorrow', 's5', 'lang-fr', 'x.a b', 's.'.padEnd(80, 'x')]) expect(decodePayload(bad), bad).toBeUndefined();
  });
});
