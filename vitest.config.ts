import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-redis.ts'],
    // Pseudonyms are keyed; components built without compose (testQueue) need the key too.
    setupFiles: ['test/setup/pseudonym-key.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // 2 cores: keep workers few so Redis and Chromium tests do not starve each other.
    maxWorkers: 2,
  },
});
