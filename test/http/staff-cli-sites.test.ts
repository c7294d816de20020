import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { StaffStore } from '../../src/staff/accounts.js';
import { testPrefix, testRedis } from '../helpers.js';

function staff(prefix: string, args: string[], input = 'a-long-password\n') {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, REDIS_PREFIX: prefix } });
}

describe('npm run staff -- add --site', () => {
  it('binds an account to the sites given (repeatable), lists them, and leaves accounts without --site at every site', async () => {
    const prefix = testPrefix();
    const add = staff(prefix, ['add', 'utari', '--role', 'counter', '--counters', 'loket-7', '--site', 'kec-utara', '--site', 'main']);
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(staff(prefix, ['add', 'budi', '--role', 'operator']).status).toBe(0);
    const list = staff(prefix, ['list']);
    expect(list.stdout).toMatch(/^utari\s+counter\s+loket-7\s+sites:kec-utara,main$/m);
    expect(list.stdout).toMatch(/^budi\s+operator\s+-$/m);
    const store = new StaffStore(testRedis(), prefix);
    expect((await store.get('utari'))?.sites).toEqual(['kec-utara', 'main']);
    expect((await store.get('budi'))?.sites).toBeUndefined();
  });

  it('refuses an unknown site, and a counter that its sites do not have, with exit 1', async () => {
    const prefix = testPrefix();
    const site = staff(prefix, ['add', 'utari', '--role', 'counter', '--counters', 'loket-1', '--site', 'kec-selatan']);
    expect(site.status).toBe(1);
    expect(site.stderr).toContain('kec-selatan');
    expect(site.stderr).toContain('kec-utara');
    // Kec. Utara has seven counters; loket-9 exists only at the main site.
    const counter = staff(prefix, ['add', 'utari', '--role', 'counter', '--counters', 'loket-9', '--site', 'kec-utara']);
    expect(counter.status).toBe(1);
    expect(counter.stderr).toContain('loket-9');
    expect(await new StaffStore(testRedis(), prefix).get('utari')).toBeUndefined();
  });
});
