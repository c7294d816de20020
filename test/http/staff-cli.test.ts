import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { StaffStore } from '../../src/staff/accounts.js';
import { testPrefix, testRedis } from '../helpers.js';

function staff(prefix: string, args: string[], input = '', env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, REDIS_PREFIX: prefix, ...env } });
}

describe('npm run staff', () => {
  it('adds an account with the password from stdin, lists it without the hash, and the password verifies', async () => {
    const prefix = testPrefix();
    const add = staff(prefix, ['add', 'budi', '--role', 'counter', '--counters', 'loket-1'], 'a-long-password\n');
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    const envAdd = staff(prefix, ['add', 'ani', '--role', 'admin', '--password-env', 'STAFF_PW'], '', { STAFF_PW: 'another-long-one' });
    expect(envAdd.status).toBe(0);
    const list = staff(prefix, ['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^ani\s+admin\s+-$/m);
    expect(list.stdout).toMatch(/^budi\s+counter\s+loket-1$/m);
    expect(list.stdout).not.toContain('scrypt');
    const store = new StaffStore(testRedis(), prefix);
    expect((await store.verify('budi', 'a-long-password'))?.counters).toEqual(['loket-1']);
    expect((await store.verify('ani', 'another-long-one'))?.role).toBe('admin');
  });

  it('refuses an unknown counter with exit 1 and names it and the known ones', async () => {
    const prefix = testPrefix();
    const run = staff(prefix, ['add', 'budi', '--role', 'counter', '--counters', 'loket-1,loket-99'], 'a-long-password\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Unknown counter(s): loket-99');
    expect(run.stderr).toContain('loket-2');
    expect(await new StaffStore(testRedis(), prefix).get('budi')).toBeUndefined();
  });

  it('refuses a weak password with a clear message in the shell\'s language', async () => {
    const prefix = testPrefix();
    const id = staff(prefix, ['add', 'budi', '--role', 'admin'], 'aaaaaaaaaa\n', { LANG: 'C.UTF-8', LC_ALL: '' });
    expect(id.status).toBe(1);
    expect(id.stderr).toContain('terlalu mudah ditebak');
    expect(id.stderr).not.toMatch(/\n\s+at /);
    const en = staff(prefix, ['add', 'budi', '--role', 'admin'], ' '.repeat(10) + '\n', { LANG: 'en_US.UTF-8', LC_ALL: '' });
    expect(en.status).toBe(1);
    expect(en.stderr).toContain('too easy to guess');
    expect(await new StaffStore(testRedis(), prefix).get('budi')).toBeUndefined();
  });

  it('never takes a password on the command line, and explains usage', () => {
    const run = staff(testPrefix(), ['add', 'budi', '--role', 'admin', '--password', 'a-long-password']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run staff');
  });

  it('passwd and remove change the account, remove of a missing one fails', async () => {
    const prefix = testPrefix();
    const store = new StaffStore(testRedis(), prefix);
    await store.create('budi', 'a-long-password', 'counter', ['loket-1']);
    expect(staff(prefix, ['passwd', 'budi'], 'a-changed-password\n').status).toBe(0);
    expect(await store.verify('budi', 'a-changed-password')).toBeDefined();
    expect(staff(prefix, ['remove', 'budi']).status).toBe(0);
    expect(await store.get('budi')).toBeUndefined();
    const again = staff(prefix, ['remove', 'budi']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no staff account "budi"');
  });
});
