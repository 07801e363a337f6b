import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { AppConfig } from './config.js';
import { errorHandler, notFound } from './http/errors-middleware.js';
import { healthRouter, type ReadinessCheck } from './http/health-router.js';
import { PAGE_STYLE_SOURCE } from './http/html.js';
import { requestLogging } from './http/request-logging.js';
import type { Logger } from './log.js';
import type { Mount } from './modules/module.js';
import { parseUrl } from './urls.js';

export interface AppDeps {
  config: Readonly<AppConfig>;
  logger: Logger;
  readiness: readonly ReadinessCheck[];
  /** Routers and their paths (each module's); unit tests mount only what they exercise. */
  mounts?: readonly Mount[];
  /** Origins allowed to frame the tool (registered LMSs). */
  frameAncestors?: () => Promise<string[]>;
  /** Origins the launcher may load images from besides its own (configured and registered logos). */
  imgOrigins?: () => Promise<string[]>;
  /** Origins the launcher may play media from besides its own (the recordings bucket signed links redirect to). */
  mediaOrigins?: () => Promise<string[]>;
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
  if (deps.frameAncestors) {
    app.use(
      contentSecurityPolicy(
        deps.frameAncestors,
        deps.imgOrigins,
        livekitSources(deps.config.livekit.url),
        [new URL(deps.config.server.publicUrl).origin],
        deps.mediaOrigins,
      ),
    );
  }
  app.use(
    healthRouter({
      checks: deps.readiness,
      timeoutMs: deps.config.health.checkTimeoutMs,
      isShuttingDown: deps.isShuttingDown ?? (() => false),
    }),
  );
  app.use(requestLogging(deps.logger));
  for (const m of byPathDepth(deps.mounts ?? [])) app.use(m.path, m.router);
  if (deps.clientDir) app.use(clientAssets(deps.clientDir));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/**
 * Deeper paths first (/api/room before /api), whatever order the modules come in: a router under a shorter
 * prefix (the launcher's /api, which asks for a launch token) must never see another module's requests.
 */
function byPathDepth(mounts: readonly Mount[]): Mount[] {
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(b.path) - depth(a.path));
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
  // Tokens, launch sessions and signed JWTs travel in answers: nothing is cached unless a route says so
  // (static assets and public key sets set their own cache-control).
  res.setHeader('cache-control', 'no-store');
  next();
};

/** The LiveKit signalling URL (ws/wss) and its http(s) twin, which the client uses to check a failed connection. */
export function livekitSources(url: string): string[] {
  const parsed = parseUrl(url);
  if (!parsed) return [];
  const secure = parsed.protocol === 'wss:' || parsed.protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${parsed.host}`, `${secure ? 'https' : 'http'}://${parsed.host}`];
}

/**
 * Only registered LMSs may frame the tool; scripts, styles and connections come from the tool itself (and
 * the SFU); images also from the logo origins an operator configured or registered for a platform. The
 * launcher has no inline script or style element (preact sets styles through the CSSOM, which CSP allows);
 * the server's own pages have one inline stylesheet, allowed by its hash. The demo LMS (development and
 * tests only, never in production) keeps inline scripts and styles. No CORS headers are ever sent: the
 * launcher calls the API from the tool's own origin, so cross-origin callers get the browser's refusal.
 */
function contentSecurityPolicy(
  frameAncestors: () => Promise<string[]>,
  imgOrigins: () => Promise<string[]> = async () => [],
  connectSources: readonly string[] = [],
  /** What the demo course page frames: the tool and the platform storage frame, from whichever host it is opened. */
  demoFrameSources: readonly string[] = [],
  mediaOrigins: () => Promise<string[]> = async () => [],
): RequestHandler {
  return (req, res, next) => {
    // Without the store (down, restarting) the policy falls back to the tool's own origin: stricter, and the
    // answer (a /readyz 503, an error page) still goes out instead of failing as a 500 here.
    const origins = Promise.all([frameAncestors(), imgOrigins(), mediaOrigins()]).catch(
      (): [string[], string[], string[]] => [[], [], []],
    );
    origins.then(([frames, images, media]) => {
      const demo = req.path === '/demo' || req.path.startsWith('/demo/');
      const inline = demo ? ["'unsafe-inline'"] : [];
      const policy = [
        "default-src 'self'",
        `script-src ${["'self'", ...inline].join(' ')}`,
        `style-src ${["'self'", ...(demo ? inline : [PAGE_STYLE_SOURCE])].join(' ')}`,
        `img-src ${["'self'", 'data:', ...images].join(' ')}`,
        `media-src ${["'self'", 'blob:', ...media].join(' ')}`,
        `connect-src ${["'self'", ...connectSources].join(' ')}`,
        "object-src 'none'",
        "base-uri 'none'",
        `frame-ancestors ${["'self'", ...frames].join(' ')}`,
        ...(demo ? [`frame-src ${["'self'", ...demoFrameSources].join(' ')}`] : []),
      ];
      res.setHeader('content-security-policy', policy.join('; '));
      next();
    }, next);
  };
}

function clientAssets(clientDir: string): RequestHandler {
  const router = express.Router();
  // Static files carry no token: drop the no-store default so express.static sets their caching (it keeps a
  // cache-control that is already there).
  router.use((_req, res, next) => {
    res.removeHeader('cache-control');
    next();
  });
  // Client-side routes: the launcher, and the page LiveKit Egress records a class from.
  for (const route of ['/launch', '/recorder'])
    router.get(route, (_req, res) => res.sendFile(path.join(clientDir, 'index.html')));
  // Vite puts a content hash in every asset name, so they can be cached forever.
  router.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }),
  );
  router.use(express.static(clientDir, { index: 'index.html', maxAge: 0 }));
  return router;
}
