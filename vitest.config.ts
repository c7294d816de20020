import { defineConfig } from 'vitest/config';

/** The tests that must pass on a Redis Cluster too (issue 16): the same files, another connection. */
const ON_CLUSTER = ['test/queue/**/*.test.ts', 'test/reminders/**/*.test.ts', 'test/channels/webchat.test.ts', 'test/cluster/**/*.test.ts'];

export default defineConfig({
  test: {
    // Pseudonyms are keyed; components built without compose (testQueue) need the key too.
    setupFiles: ['test/setup/pseudonym-key.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // 2 cores: keep workers few so Redis and Chromium tests do not starve each other.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'single', include: ['test/**/*.test.ts'], exclude: ['test/cluster/**'], globalSetup: ['test/setup/global-redis.ts'] },
      },
      {
        // A real local cluster (6 redis-server processes); test/cluster/ holds the failover test.
        extends: true,
        test: { name: 'cluster', include: ON_CLUSTER, globalSetup: ['test/setup/global-cluster.ts'], env: { MPP_TEST_REDIS: 'cluster' } },
      },
    ],
  },
});
