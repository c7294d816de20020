import { isIP } from 'node:net';

/**
 * The part of a client address that one subscriber holds: an IPv4 address, or the /64 of an IPv6
 * address (a home or phone gets a whole /64 and may pick any address in it, so counting single
 * IPv6 addresses would let one subscriber look like billions).
 */
export function addressScope(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (isIP(plain) !== 6) return plain;
  const [head = '', tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
