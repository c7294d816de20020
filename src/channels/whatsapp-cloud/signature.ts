import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body bytes with
 * the app secret. Over the bytes as received: re-serialised JSON differs (emoji, key order).
 */
export function validSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = HEADER.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}

/** Constant-time comparison of two secrets of any length: both are hashed first, so not even the length leaks. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'compare').update(given).digest();
  const b = createHmac('sha256', 'compare').update(expected).digest();
  return timingSafeEqual(a, b);
}
