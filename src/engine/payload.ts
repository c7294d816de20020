import { MAX_CHOICE_ID_BYTES, isLocale, type Locale } from '../message.js';
import { SITE_ID } from '../redis/keyspace.js';

/**
 * What a choice carries beyond the fixed choices of flows/: one home for the made-up choice ids, so
 * no action parses them by prefix. Encoded ids stay ASCII and at most 64 bytes (Telegram callback_data).
 */
export type Payload =
  | { kind: 'service'; id: string }
  | { kind: 'agency'; id: string }
  | { kind: 'day'; day: string }
  | { kind: 'slot'; slot: string }
  | { kind: 'booking'; id: string }
  | { kind: 'ticket'; id: string }
  | { kind: 'score'; score: 1 | 2 | 3 | 4 }
  | { kind: 'language'; locale: Locale }
  | { kind: 'site'; id: string };

export type PayloadKind = Payload['kind'];
export type PayloadOf<K extends PayloadKind> = Extract<Payload, { kind: K }>;

// Short prefixes keep ids of long service names under the 64-byte limit; kept as before, so
// buttons already sent keep working.
const ID = /^[A-Za-z0-9_-]{1,60}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SLOT = /^([01]\d|2[0-3]):?([0-5]\d)$/;

/** The choice id of a payload. */
export function encodePayload(p: Payload): string {
  switch (p.kind) {
    case 'service':
      return `s.${p.id}`;
    case 'agency':
      return `a.${p.id}`;
    case 'day':
      return `d.${p.day}`;
    case 'slot':
      return `t.${p.slot.replace(':', '')}`;
    case 'booking':
      return `b.${p.id}`;
    case 'ticket':
      return `x.${p.id}`;
    case 'score':
      return `s${p.score}`;
    case 'language':
      return `lang-${p.locale}`;
    case 'site':
      return `m.${p.id}`;
  }
}

/** The payload of a choice id, or undefined for a fixed choice id or anything malformed. */
export function decodePayload(choiceId: string): Payload | undefined {
  if (Buffer.byteLength(choiceId) > MAX_CHOICE_ID_BYTES) return undefined;
  const score = /^s([1-4])$/.exec(choiceId);
  if (score) return { kind: 'score', score: Number(score[1]) as 1 | 2 | 3 | 4 };
  const lang = /^lang-(.+)$/.exec(choiceId)?.[1];
  if (lang !== undefined) return isLocale(lang) ? { kind: 'language', locale: lang } : undefined;
  const m = /^([sadtbxm])\.(.+)$/.exec(choiceId);
  if (!m) return undefined;
  const rest = m[2]!;
  switch (m[1]) {
    case 's':
      return ID.test(rest) ? { kind: 'service', id: rest } : undefined;
    case 'a':
      return ID.test(rest) ? { kind: 'agency', id: rest } : undefined;
    case 'b':
      return ID.test(rest) ? { kind: 'booking', id: rest } : undefined;
    case 'x':
      return ID.test(rest) ? { kind: 'ticket', id: rest } : undefined;
    case 'm':
      return SITE_ID.test(rest) ? { kind: 'site', id: rest } : undefined;
    case 'd':
      return DAY.test(rest) ? { kind: 'day', day: rest } : undefined;
    case 't': {
      const slot = SLOT.exec(rest);
      return slot && rest.length === 4 ? { kind: 'slot', slot: `${slot[1]}:${slot[2]}` } : undefined;
    }
  }
  return undefined;
}
