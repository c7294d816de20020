import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';

/** One Lua script: its source and, when fixed, how many of its arguments are KEYS. */
export interface ScriptSource {
  lua: string;
  numberOfKeys?: number;
}

/** Reads `<dir>/<name>.lua`, the script kept beside the code that calls it (`dir`: import.meta.dirname, or its lua/ folder). */
export function readLua(dir: string, name: string): string {
  return readFileSync(path.join(dir, `${name}.lua`), 'utf8');
}

/**
 * Defines each script as an ioredis command on this connection (EVALSHA after the first call,
 * reloaded by ioredis on NOSCRIPT), once: stores sharing a connection define theirs side by side.
 * `C` names the commands with their argument and reply types, for the typed wrapper that calls them.
 */
export function defineScripts<C>(redis: Redis, scripts: Record<keyof C & string, ScriptSource>): Redis & C {
  for (const [name, source] of Object.entries<ScriptSource>(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, source.numberOfKeys === undefined ? { lua: source.lua } : { lua: source.lua, numberOfKeys: source.numberOfKeys });
  }
  return redis as Redis & C;
}
