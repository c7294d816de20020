import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { loadCatalogue, type Catalogue } from '../src/catalogue/loader.js';

export const silentLogger = pino({ level: 'silent' });

let cataloguePromise: Promise<Catalogue> | undefined;
/** The real demo catalogue from content/, loaded once per test file. */
export function demoCatalogue(): Promise<Catalogue> {
  return (cataloguePromise ??= loadCatalogue('content'));
}

/** A fresh key prefix per test so tests never see each other's data in the shared Redis. */
export function testPrefix(): string {
  return 't' + randomBytes(5).toString('hex');
}

const opened: Redis[] = [];
/** A real Redis connection to the test server, closed after the file's tests. */
export function testRedis(): Redis {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: the global setup should have started redis-server');
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  opened.push(redis);
  return redis;
}

afterAll(async () => {
  await Promise.all(opened.splice(0).map((r) => r.quit().catch(() => undefined)));
});
