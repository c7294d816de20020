import { freePort, startLocalRedis, type LocalRedis } from '../../src/redis/local-server.js';

/**
 * Tests use a real Redis. When REDIS_URL is unset, start a throwaway redis-server on a free port
 * (no persistence) for the whole run; every test then works under its own key prefix.
 */
let server: LocalRedis | undefined;

export async function setup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  server = await startLocalRedis({ port: await freePort() });
  process.env.REDIS_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
