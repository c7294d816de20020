import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';

/** The queue's Lua scripts, loaded once per connection as ioredis commands (EVALSHA after the first call). */
export interface QueueScripts {
  mppTake(...args: Array<string | number>): Promise<[string, string | number]>;
  mppCallNext(...args: Array<string | number>): Promise<[string, string?]>;
  mppTransition(...args: Array<string | number>): Promise<[string, string?]>;
  mppPostpone(...args: Array<string | number>): Promise<[string, (string | number)?]>;
  mppPlace(...args: Array<string | number>): Promise<[string, (string | number)?]>;
}

const lua = (name: string) => readFileSync(path.join(import.meta.dirname, 'lua', `${name}.lua`), 'utf8');
const sources = { mppTake: lua('take'), mppCallNext: lua('call-next'), mppTransition: lua('transition'), mppPostpone: lua('postpone'), mppPlace: lua('place') };

export function defineQueueScripts(redis: Redis): Redis & QueueScripts {
  for (const [name, source] of Object.entries(sources)) {
    if (!(name in redis)) redis.defineCommand(name, { lua: source });
  }
  return redis as Redis & QueueScripts;
}
