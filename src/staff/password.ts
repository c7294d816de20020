import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt with the parameters RFC 7914 and OWASP give for interactive logins (N=2^14, r=8, p=1):
 * about 16 MB and a few tens of ms per check, cheap for a sign-in, costly for a guesser.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 64;
const SALT_BYTES = 16;
// Node's default maxmem (32 MB) is what N*r*128 = 16 MB needs plus headroom; stored hashes that ask
// for more are refused rather than allowed to exhaust memory.
const MAX_MEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, { ...options, maxmem: MAX_MEM }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64, a fresh random salt every time. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; compares in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (![n, r, p].every(Number.isSafeInteger) || expected.length === 0 || salt.length === 0) return false;
  let actual: Buffer;
  try {
    actual = await derive(password, salt, expected.length, { N: n, r, p });
  } catch {
    return false;
  }
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;
/**
 * Burns one scrypt for an unknown username, so the answer takes as long as a wrong password and
 * response time does not tell a guesser which usernames exist.
 */
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(password, await (dummy ??= hashPassword(randomBytes(16).toString('hex'))));
  return false;
}
