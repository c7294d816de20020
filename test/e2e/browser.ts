import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ManualClock } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../helpers.js';

export const ARTIFACTS = 'test-artifacts';

/** Debian's Chromium, headless, without the background traffic a closed network refuses. */
export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The app on a free port (on `clock` when given) and a headless Chromium, for one test file's beforeAll. */
export async function startAppAndBrowser(clock?: ManualClock): Promise<{ app: TestApp; browser: Browser }> {
  const app = await startTestApp({}, clock);
  return { app, browser: await launchChromium() };
}

/** Closes what startAppAndBrowser opened; either may be missing when the start failed. */
export async function closeAppAndBrowser(app: TestApp | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await app?.close();
}

/** Script errors and console errors of a page, except those matching `ignore` (refused on purpose). */
export function watchErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(ignore && ignore.test(m.text()))) errors.push(m.text());
  });
  return errors;
}
