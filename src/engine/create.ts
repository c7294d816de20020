import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { EngineServices } from './action.js';
import { actions } from './actions/index.js';
import { Engine } from './engine.js';
import { loadFlows } from './flow.js';
import { Translator } from '../i18n.js';
import { SessionStore } from './sessions.js';
import { Understander, loadUnderstandingData, serviceRelations } from '../understanding/index.js';
import { DocumentMatcher, loadDocumentTable } from '../visits/documents.js';

export interface CreateEngineOptions {
  redis: Redis;
  /** Redis key prefix (config REDIS_PREFIX; a fresh one per test). */
  prefix: string;
  services: EngineServices;
  clock: Clock;
  logger: Logger;
  flowsDir?: string;
  /** Where content/intents.yaml, not-here.yaml and documents.yaml are, when services bring none (default `content`). */
  contentDir?: string;
  /** False: no understanding layer, free text is only searched (the bench's baseline). */
  understand?: boolean;
  localesDir?: string;
  idleMinutes?: number;
  /** Exact idle expiry in ms (tests); overrides idleMinutes. */
  idleMs?: number;
  ratePerMinute?: number;
  onTurn?: (channel: string, ms: number, messagesOut: number) => void;
}

/** Loads flows and locales and wires the engine to Redis sessions. */
export async function createEngine(opts: CreateEngineOptions): Promise<{ engine: Engine; translator: Translator; sessions: SessionStore }> {
  const [flows, translator] = await Promise.all([loadFlows(opts.flowsDir ?? 'flows'), Translator.load(opts.localesDir ?? 'locales')]);
  const contentDir = opts.contentDir ?? 'content';
  const services: EngineServices = { ...opts.services };
  if (!services.understander && opts.understand !== false) {
    services.understander = new Understander(await loadUnderstandingData(contentDir, new Set(services.catalogue.services.keys())), services.search, serviceRelations(services.catalogue.services));
  }
  services.documents ??= new DocumentMatcher(await loadDocumentTable(contentDir));
  const sessions = new SessionStore(opts.redis, opts.prefix, opts.idleMs ?? (opts.idleMinutes ?? 30) * 60_000);
  const engine = new Engine({
    flows,
    actions,
    translator,
    sessions,
    services,
    clock: opts.clock,
    logger: opts.logger,
    ratePerMinute: opts.ratePerMinute ?? 30,
    ...(opts.onTurn ? { onTurn: opts.onTurn } : {}),
  });
  return { engine, translator, sessions };
}
