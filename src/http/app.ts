import express, { type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { errorHandler, notFound } from './errors.js';
import { requestLog } from './request-log.js';
import { requireBearer } from './bearer.js';

export interface AppOptions {
  logger: Logger;
  /** Express `trust proxy`: false, a hop count, or the proxies' subnets (never `true`: see config). */
  trustProxy: false | number | string[];
  /** Routers mounted in order: catalogue API, web chat, staff pages, webhooks... */
  routers: Router[];
  /** Readiness probe: resolves with details, rejects when this instance cannot serve. */
  ready: () => Promise<Record<string, unknown>>;
  /** Prometheus text for GET /metrics. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /**
   * Production: /metrics without a token is not served at all (404), since queue lengths and
   * channel health are nobody's business outside the MPP; a warning at start says how to turn it on.
   */
  production?: boolean;
  /** The commands connection: while it is not ready, a failed request is a 503, not a 500. */
  redis?: { status: string };
}

/** The Express app: security headers, JSON limits, health, the given routers, one error handler. */
export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.use(requestLog(opts.logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        // Everything is served from here; nothing from a CDN.
        // No upgrade-insecure-requests: a board TV or counter tablet may use plain HTTP on the MPP's LAN.
        directives: { 'default-src': ["'self'"], 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'upgrade-insecure-requests': null },
      },
    }),
  );
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      res.json({ status: 'ready', ...(await opts.ready()) });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
    }
  });
  if (opts.metrics && opts.production && !opts.metricsToken) {
    opts.logger.warn('GET /metrics is off: set METRICS_TOKEN (16+ characters) to scrape it in production');
  } else if (opts.metrics) {
    const metrics = opts.metrics;
    app.get('/metrics', requireMetricsToken(opts.metricsToken), async (_req, res) => {
      const { contentType, body } = await metrics();
      res.type(contentType).send(body);
    });
  }
  for (const router of opts.routers) app.use(router);
  app.use(notFound);
  app.use(errorHandler(opts.logger, opts.redis));
  return app;
}

function requireMetricsToken(token: string | undefined): express.RequestHandler {
  return token ? requireBearer(token) : (_req, _res, next) => next();
}
