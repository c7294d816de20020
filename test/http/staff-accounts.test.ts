import { describe, expect, it } from 'vitest';
import { StaffAccountError, StaffStore } from '../../src/staff/accounts.js';
import { hashPassword, verifyPassword } from '../../src/staff/password.js';
import { StaffSessions, parseCookies } from '../../src/staff/sessions.js';
import { testPrefix, testRedis } from '../helpers.js';

describe('staff password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with N=16384, r=8, p=1, a 16-byte salt and a 64-byte key', async () => {
    const stored = await hashPassword('a-long-password');
    const [name, n, r, p, salt, key] = stored.split('$');
    expect([name, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64')).toHaveLength(64);
  });

  it('accepts the right password and refuses a wrong one or a malformed hash', async () => {
    const stored = await hashPassword('a-long-password');
    expect(await verifyPassword('a-long-password', stored)).toBe(true);
    expect(await verifyPassword('a-long-passwore', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('a-long-password', 'scrypt$16384$8$1$$')).toBe(false);
    expect(await verifyPassword('a-long-password', 'plain-text')).toBe(false);
  });

  it('salts every hash differently, so equal passwords do not look equal', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password'), hashPassword('same-password')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });
});

describe('StaffStore', () => {
  const store = () => new StaffStore(testRedis(), testPrefix());

  it('creates, lists, verifies and removes accounts without ever returning the hash', async () => {
    const s = store();
    await s.create('budi', 'a-long-password', 'counter', ['loket-1', 'loket-1', 'loket-2']);
    await s.create('ani.admin', 'another-long-one', 'admin', []);
    expect(await s.list()).toEqual([
      { username: 'ani.admin', role: 'admin', counters: [], createdAt: expect.any(String) },
      { username: 'budi', role: 'counter', counters: ['loket-1', 'loket-2'], createdAt: expect.any(String) },
    ]);
    expect(JSON.stringify(await s.list())).not.toContain('scrypt');
    expect((await s.verify('budi', 'a-long-password'))?.role).toBe('counter');
    expect(await s.verify('budi', 'wrong-password')).toBeUndefined();
    expect(await s.verify('nobody', 'a-long-password')).toBeUndefined();
    expect(await s.verify('NOT VALID', 'a-long-password')).toBeUndefined();
    expect(await s.remove('budi')).toBe(true);
    expect(await s.remove('budi')).toBe(false);
    expect(await s.get('budi')).toBeUndefined();
    expect((await s.list()).map((a) => a.username)).toEqual(['ani.admin']);
  });

  it('refuses a taken username, a bad username and a short password', async () => {
    const s = store();
    await s.create('budi', 'a-long-password', 'counter', ['loket-1']);
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof StaffAccountError ? e.code : String(e)));
    expect(await code(s.create('budi', 'another-long-one', 'admin', []))).toBe('username_taken');
    expect(await code(s.create('Budi Santoso', 'a-long-password', 'admin', []))).toBe('invalid_username');
    expect(await code(s.create('ab', 'a-long-password', 'admin', []))).toBe('invalid_username');
    expect(await code(s.create('sari', 'short', 'admin', []))).toBe('weak_password');
    expect(await code(s.setPassword('nobody', 'a-long-password'))).toBe('unknown_user');
  });

  it('refuses a password that is long enough but easy to guess, on create and on change', async () => {
    const s = store();
    await s.create('budisantoso', 'a-long-password', 'counter', ['loket-1']);
    const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof StaffAccountError ? `${e.code}:${e.reason}` : String(e)));
    // Repetition, common passwords, keyboard walks, our Indonesian words.
    for (const weak of [' '.repeat(10), 'aaaaaaaaaa', 'password123', 'qwertyuiop', '1234567890', 'rahasia2024', 'Bismillah123', 'katasandiku1', 'sayangku123', 'indonesia45', 'Dukcapil2024!']) {
      expect(await reason(s.create('sari', weak, 'admin', [])), JSON.stringify(weak)).toBe('weak_password:guessable');
      expect(await reason(s.setPassword('budisantoso', weak)), JSON.stringify(weak)).toBe('weak_password:guessable');
    }
    // The account's own username, with a digit.
    expect(await reason(s.setPassword('budisantoso', 'budisantoso1'))).toBe('weak_password:guessable');
    expect(await reason(s.create('sari', 'short', 'admin', []))).toBe('weak_password:too_short');
    expect(await reason(s.create('sari', 'kopi tubruk di pasar senen', 'admin', []))).toBe('ok');
  });

  it('never lets two concurrent creates of one username both succeed', async () => {
    const s = store();
    const results = await Promise.allSettled([1, 2, 3].map((i) => s.create('budi', `password-number-${i}`, 'counter', ['loket-1'])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('setPassword replaces the old password', async () => {
    const s = store();
    await s.create('budi', 'a-long-password', 'counter', ['loket-1']);
    await s.setPassword('budi', 'a-new-long-password');
    expect(await s.verify('budi', 'a-long-password')).toBeUndefined();
    expect(await s.verify('budi', 'a-new-long-password')).toBeDefined();
  });
});

describe('StaffSessions', () => {
  it('stores only a hash of the session id and ends every session of a person on revokeUser', async () => {
    const redis = testRedis();
    const prefix = testPrefix();
    const sessions = new StaffSessions(redis, prefix, { ttlHours: 12, secure: false });
    const account = { username: 'budi', role: 'counter' as const, counters: ['loket-1'], createdAt: '' };
    const [a, b] = [await sessions.create(account), await sessions.create(account)];
    expect(a.id).toMatch(/^[\w-]{43}$/);
    expect(a.csrf).not.toBe(b.csrf);
    const keys = await redis.keys(`${prefix}:{staff}:session:*`);
    expect(keys).toHaveLength(2);
    expect(keys.join()).not.toContain(a.id);
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(11 * 3600);
    expect((await sessions.get(a.id))?.username).toBe('budi');
    expect(await sessions.revokeUser('budi')).toBe(2);
    expect(await sessions.get(a.id)).toBeUndefined();
    expect(await sessions.get(b.id)).toBeUndefined();
  });

  it('parses cookie headers leniently', () => {
    expect(parseCookies('a=1; mpp_staff=abc%2Fd; b="q"; bad; c=%E0%A4%A')).toEqual({ a: '1', mpp_staff: 'abc/d', b: 'q' });
    expect(parseCookies(undefined)).toEqual({});
    expect(Object.getPrototypeOf(parseCookies('__proto__=x'))).toBeNull();
  });
});
