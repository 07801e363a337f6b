import { Router, json, type Request, type RequestHandler } from 'express';
import type { ApiKey, ApiKeyService } from '../integrations/api-keys.js';
import type { SpaceService } from '../integrations/space-service.js';
import {
  apiKeyInputSchema,
  createdKeyJson,
  launchJson,
  liveSessionJson,
  roomStatusJson,
  spaceLaunchInput,
  spaceLaunchSchema,
} from '../integrations/space-wire.js';
import { asyncHandler } from './async-handler.js';
import { notFound } from './errors-middleware.js';
import { refuseNul } from './nul-guard.js';
import { rateLimiter, type RateRule } from './rate-limit.js';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKey;
  }
}

/** `Authorization: Organisation <key>` is how Lessonspace's clients send their key. */
const ORGANISATION = /^Organisation\s+(\S+)$/i;

/** The key from `x-api-key` or `Authorization: Organisation <key>`. */
function keyOf(req: Request): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header;
  return ORGANISATION.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * `x-api-key: lck_...` (or Lessonspace's `Authorization: Organisation lck_...`), looked up on every request
 * so a revoked key fails at once on every instance.
 */
export function apiKeyAuth(apiKeys: ApiKeyService): RequestHandler {
  return (req, _res, next) => {
    apiKeys.authenticate(keyOf(req)).then((key) => {
      req.apiKey = key;
      req.log = req.log?.child({ apiKeyId: key.id });
      next();
    }, next);
  };
}

const currentKey = (key: ApiKey | undefined): ApiKey => {
  if (!key) throw new Error('apiKeyAuth did not run');
  return key;
};

export interface IntegratorRouterDeps {
  apiKeys: ApiKeyService;
  spaces: SpaceService;
  allowHttpWebhooks: boolean;
  /**
   * Launches (each stores a join link, maybe a space and a room) per API key: `perKeyLimit` of config
   * `limits.integratorLaunch`, one instance shared with /api/live-room so both count against one budget.
   */
  launchLimit: RequestHandler;
  /** A class session's recordings and live streams (live sessions' counts); both 0 without it. */
  recordingCounts?: (sessionId: string) => Promise<{ recordings: number; livestreams: number }>;
  /** More /api/v1 routes behind the same key check (attendance, recordings). */
  extra?: (currentKey: (req: Request) => ApiKey) => Router;
}

/** /api/v1: the integrator API (spaces, live sessions, room status), authorized by `x-api-key`. */
export function integratorRouter(deps: IntegratorRouterDeps): Router {
  const router = Router();
  const launchSchema = spaceLaunchSchema(deps.allowHttpWebhooks);
  const countsOf = (sessionId: string) =>
    deps.recordingCounts?.(sessionId) ?? Promise.resolve({ recordings: 0, livestreams: 0 });
  router.use(apiKeyAuth(deps.apiKeys));
  // Up to 1000 user_ids in a bulk action's lists, or 16 kB of metadata with its JSON: read after the key
  // check; the 16 kB parser below then finds the body read.
  router.use(['/rooms/:roomId/:action', '/rooms/:roomId/members/:userId/metadata'], json({ limit: '96kb' }));
  router.use(json({ limit: '16kb' }), refuseNul);
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post(
    '/spaces/launch',
    deps.launchLimit,
    asyncHandler(async (req, res) => {
      const key = currentKey(req.apiKey);
      const input = spaceLaunchInput(launchSchema.parse(req.body));
      const launched = await deps.spaces.launch(key, input);
      req.log?.info({ spaceId: input.id, roomKey: launched.roomKey, created: launched.created }, 'space launched');
      res.status(launched.created ? 201 : 200).json(launchJson(launched));
    }),
  );
  router.get(
    '/live-sessions',
    asyncHandler(async (req, res) => {
      const live = await deps.spaces.liveSessions(currentKey(req.apiKey).id);
      const liveSessions = await Promise.all(
        live.map(async ({ space, session }) => liveSessionJson(space, session, await countsOf(session.sessionId))),
      );
      res.json({ liveSessions });
    }),
  );
  router.get(
    '/live-sessions/:roomId',
    asyncHandler(async (req, res) => {
      const { space, session } = await deps.spaces.liveSession(currentKey(req.apiKey).id, String(req.params.roomId));
      res.json(liveSessionJson(space, session, await countsOf(session.sessionId)));
    }),
  );
  router.get(
    '/rooms/:roomId/status',
    asyncHandler(async (req, res) => {
      const { space, session } = await deps.spaces.roomStatus(currentKey(req.apiKey).id, String(req.params.roomId));
      res.json(roomStatusJson(space, session));
    }),
  );
  if (deps.extra) router.use(deps.extra((req) => currentKey(req.apiKey)));
  // Anything else under /api/v1 is ours to refuse, not the launcher API's (which would ask for a Bearer).
  router.use(notFound);
  return router;
}

/** A limit per API key (after apiKeyAuth), whichever address its server calls from. */
export function perKeyLimit(rule: RateRule): RequestHandler {
  return rateLimiter({ rule, scope: (req) => req.apiKey?.id ?? '' });
}

/** Mounted inside the admin router (admin Bearer): POST/GET /api-keys, DELETE /api-keys/:id. */
export function apiKeyAdminRoutes(apiKeys: ApiKeyService): Router {
  const router = Router();
  router.post(
    '/api-keys',
    asyncHandler(async (req, res) => {
      const { name } = apiKeyInputSchema.parse(req.body);
      const created = await apiKeys.create(name);
      req.log?.info({ apiKeyId: created.id }, 'integrator API key created');
      res.status(201).set('cache-control', 'no-store').json(createdKeyJson(created));
    }),
  );
  router.get(
    '/api-keys',
    asyncHandler(async (_req, res) => {
      res.json({ apiKeys: await apiKeys.list() });
    }),
  );
  router.delete(
    '/api-keys/:id',
    asyncHandler(async (req, res) => {
      await apiKeys.revoke(String(req.params.id));
      req.log?.info({ apiKeyId: req.params.id }, 'integrator API key revoked');
      res.status(204).end();
    }),
  );
  return router;
}
