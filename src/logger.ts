import { pino, type Logger } from 'pino';

/**
 * Structured logs. Citizens' identifiers (UU 27/2022) never appear in clear: pass them through
 * `pseudonym()`, and the paths below are censored if someone logs a raw object by mistake.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['text', '*.text', 'userKey', '*.userKey', 'phone', '*.phone', 'chatId', '*.chatId', 'name', '*.name', 'nik', '*.nik', 'req.headers.cookie', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A short, stable tag for a personal identifier, for correlating log lines: keyed (HMAC), see citizen.ts. */
export { pseudonym } from './citizen.js';

export type { Logger };
