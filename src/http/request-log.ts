import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** Id of this request on every log line about it (from X-Request-Id when sane). */
    id?: string;
    log?: Logger;
  }
}

/**
 * Gives each request an id and a child logger, and logs one line per finished request with the
 * method, route path (no query string: it may hold a session id) and status. No bodies, no text.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    req.id = given && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    req.log = logger.child({ req: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = performance.now();
    res.on('finish', () => {
      // Health probes and live streams would drown everything else.
      if (req.path === '/healthz' || req.path === '/readyz' || req.path === '/metrics') return;
      req.log?.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
    });
    next();
  };
}
