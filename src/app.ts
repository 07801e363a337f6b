import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { AppConfig } from './config.js';
import { errorHandler, notFound } from './http/errors-middleware.js';
import { healthRouter, type ReadinessCheck } from './http/health-router.js';
import { requestLogging } from './http/request-logging.js';
import type { Logger } from './log.js';

export interface AppDeps {
  config: Readonly<AppConfig>;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** ltijs's router, mounted at /lti; absent in tests that do not launch. */
  lti?: RequestHandler;
  /** Built launcher assets (index.html + assets/). */
  clientDir?: string;
  isShuttingDown?: () => boolean;
}

/** Builds the express app without listening, so supertest and main.ts share it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.server.trustProxy);

  app.use(securityHeaders);
  app.use(
    healthRouter({
      checks: deps.readiness,
      timeoutMs: deps.config.health.checkTimeoutMs,
      isShuttingDown: deps.isShuttingDown ?? (() => false),
    }),
  );
  app.use(requestLogging(deps.logger));
  if (deps.lti) app.use('/lti', deps.lti);
  if (deps.clientDir) app.use(clientAssets(deps.clientDir));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  next();
};

function clientAssets(clientDir: string): RequestHandler {
  const router = express.Router();
  // Vite puts a content hash in every asset name, so they can be cached forever.
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(clientDir, { index: 'index.html', maxAge: 0 }));
  return router;
}
