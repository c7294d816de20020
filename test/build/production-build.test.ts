import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/local-server.js';
import { testPrefix, until } from '../helpers.js';

/** Runs a process as if `npm ci --omit=optional` had left whatsapp-web.js out. */
const WITHOUT_WHATSAPP_WEB = ['--import', './test/fixtures/without-whatsapp-web.mjs'];

function env(extra: Record<string, string>) {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent', ...extra };
}

beforeAll(() => {
  // The production build itself: tsc with tsconfig.build.json, then the assets code reads beside it.
  const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8', timeout: 180_000 });
  expect(build.stderr + build.stdout).toBe('');
  expect(build.status).toBe(0);
}, 200_000);

describe('npm run build, then node dist/main.js (the Docker image)', () => {
  it('starts without tsx and without whatsapp-web.js, and serves health, the web chat page and the staff assets', async () => {
    const port = await freePort();
    const app = spawn(process.execPath, [...WITHOUT_WHATSAPP_WEB, 'dist/main.js'], { env: env({ PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    app.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(app, 'exit');
    try {
      const base = `http://127.0.0.1:${port}`;
      await until(() => fetch(`${base}/healthz`).then((r) => r.ok, () => false), 30_000);
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready', workers: { scheduler: { state: 'consuming' } } });
      // page.html and public/ are read next to the compiled code (import.meta.dirname).
      expect(await (await fetch(`${base}/`)).text()).toContain('<html');
      expect((await fetch(`${base}/board`)).status).toBe(200);
      expect((await fetch(`${base}/staff/style.css`)).status).toBe(200);
    } finally {
      app.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(stderr).toBe('');
      expect(code).toBe(0);
    }
  }, 60_000);

  it('refuses to start with WHATSAPP_WEB_ENABLED=true when whatsapp-web.js is not installed, saying how to fix it', async () => {
    const run = spawnSync(process.execPath, [...WITHOUT_WHATSAPP_WEB, 'dist/main.js'], { encoding: 'utf8', timeout: 30_000, env: env({ PORT: String(await freePort()), WHATSAPP_WEB_ENABLED: 'true' }) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('WHATSAPP_WEB_ENABLED=true but the optional package whatsapp-web.js is not installed');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 40_000);
});
