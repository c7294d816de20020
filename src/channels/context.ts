import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.js';
import type { Translator } from '../i18n.js';

/** What every channel adapter is given by the composition root. */
export interface ChannelContext {
  engine: Engine;
  translator: Translator;
  redis: Redis;
  /** REDIS_PREFIX: a channel keeps its own keys (dedupe, "wrote first") under it. */
  prefix: string;
  logger: Logger;
}
