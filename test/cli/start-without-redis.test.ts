import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/local-server.js';

describe('npm start without any Redis', () => {
  it('exits with a message that says exactly how to get one', async () => {
    const port = await freePort();
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      encoding: 'utf8',
      timeout: 20_000,
      // No REDIS_URL, and a PATH without redis-server.
      env: { PATH: '/nonexistent', HOME: process.env.HOME ?? '/tmp', LOCAL_REDIS_PORT: String(port), PORT: String(await freePort()), LOG_LEVEL: 'silent' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('redis-server');
    expect(run.stderr).toContain('apt-get install -y redis-server');
    expect(run.stderr).toContain('REDIS_URL=');
  });

  it('stops with a clear message naming a bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, PORT: 'abc', LOG_LEVEL: 'silent' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT: .*\(got "abc"\)/);
  });
});
