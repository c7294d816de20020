import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libraryClientFactory } from '../../src/channels/whatsapp-web/client.js';
import type { ClientFactory } from '../../src/channels/whatsapp-web/index.js';
import { staffSession, type TestApp } from '../helpers.js';
import { startWhatsAppApp, until } from './whatsapp-app.js';

const CHROMIUM = '/usr/bin/chromium';

/** Chromium processes started with this profile folder. */
function browsersFor(profile: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', `--user-data-dir=${profile}`], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch (err) {
    if ((err as { status?: number }).status === 1) return []; // nothing matches
    throw err;
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'mpp-wa-'));
let app: TestApp | undefined;
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The real whatsapp-web.js Client with Debian's Chromium, on a machine with no internet:
 * `initialize()` fails (`net::ERR_NAME_NOT_RESOLVED`) or never gets ready. What must hold is
 * everything around it: the app serves, the state and reason show, the watchdog backs off, and
 * no browser is left behind.
 */
describe.skipIf(!existsSync(CHROMIUM))('whatsapp-web.js, real library, offline', () => {
  it('keeps the app serving, reports the failure, retries with backoff and leaves no Chromium behind', { timeout: 45_000 }, async () => {
    const real = await libraryClientFactory();
    let created = 0;
    const counting: ClientFactory = (opts) => {
      created++;
      return real(opts);
    };
    app = await startWhatsAppApp(
      {
        WHATSAPP_WEB_ENABLED: 'true',
        DATA_DIR: dataDir,
        WHATSAPP_CHROMIUM_PATH: CHROMIUM,
        // A blackholed network hangs initialize() instead: the ready timeout catches that.
        WHATSAPP_WEB_READY_TIMEOUT_SECONDS: '10',
        WHATSAPP_WEB_RETRY_MIN_SECONDS: '3',
        WHATSAPP_WEB_RETRY_MAX_SECONDS: '6',
      },
      counting,
    );
    const channel = app.whatsappWeb!;
    const started = Date.now();
    // Proves the process check can see a browser at all, so "none left" below means something.
    let sawBrowser = false;
    const watch = setInterval(() => (sawBrowser ||= browsersFor(channel.profileDir).length > 0), 50);
    await channel.start();

    await until(() => channel.status().retries >= 1, 20_000);
    clearInterval(watch);
    expect(sawBrowser).toBe(true);
    const failed = channel.status();
    expect(['failed', 'disconnected', 'auth_failure']).toContain(failed.state);
    expect(failed.reason).toMatch(/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION|not ready after/);
    expect(failed.nextRetryAt!.getTime()).toBeGreaterThan(failed.since.getTime());
    // Between attempts the failed browser is gone (it holds the profile lock otherwise).
    await until(() => browsersFor(channel.profileDir).length === 0, 5_000);

    // Every other channel keeps working.
    const chat = await fetch(`${app.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'syarat skck' }) });
    expect(chat.status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; degraded: boolean; channels: Record<string, { status: string; state: string; reason: string }> };
    expect(body.status).toBe('ready');
    expect(body.degraded).toBe(true);
    expect(body.channels['whatsapp-web']).toMatchObject({ status: 'degraded', reason: channel.status().reason });
    const admin = await staffSession(app, 'admin-wa', 'admin');
    const page = await (await fetch(`${app.url}/admin/whatsapp`, { headers: { cookie: admin.cookie } })).text();
    expect(page).toContain(`data-state="${channel.status().state}"`);
    expect(page).toContain(channel.status().reason!.split(' ')[0]!);

    // The watchdog tries again, after a wait, with a fresh client.
    await until(() => channel.status().retries >= 2, 25_000);
    expect(created).toBeGreaterThanOrEqual(2);
    // No spinning: with waits of 1.5 s and more, a handful of attempts at most in this time.
    expect(created).toBeLessThanOrEqual(2 + Math.ceil((Date.now() - started) / 1500));

    await channel.stop();
    expect(channel.status().state).toBe('stopped');
    expect(browsersFor(channel.profileDir)).toEqual([]);
    const after = created;
    await new Promise((r) => setTimeout(r, 3500));
    expect(created).toBe(after);
  });
});
