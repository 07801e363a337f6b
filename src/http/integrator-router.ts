import { Router, json, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ApiKey, ApiKeyService } from '../integrations/api-keys.js';
import type { SpaceService } from '../integrations/spaces.js';
import { activitySettingsSchema } from '../rooms/activity-settings.js';
import { urlSchema } from '../urls.js';
import { asyncHandler } from './async-handler.js';
import { notFound } from './errors-middleware.js';
import { refuseNul } from './nul-guard.js';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKey;
  }
}

const s = activitySettingsSchema.shape;
/** The settings an integrator may choose; defaults are unwrapped so omitted fields keep their stored value. */
const spaceSettingsSchema = z
  .object({
    title: s.title,
    audioOnly: s.audioOnly.unwrap(),
    publishers: s.publishers.unwrap(),
    waitingRoom: s.waitingRoom.unwrap(),
    joinBeforeInstructor: s.joinBeforeInstructor.unwrap(),
    maxParticipants: s.maxParticipants.unwrap(),
  })
  .partial()
  .strict();

export function spaceLaunchSchema(allowHttpWebhooks: boolean) {
  const protocols = allowHttpWebhooks ? ['https:', 'http:'] : ['https:'];
  const webhookUrl = urlSchema(protocols);
  return z
    .object({
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and dash'),
      user: z
        .object({
          id: z.string().min(1).max(256),
          name: z.string().trim().min(1).max(200),
          role: z.enum(['instructor', 'participant', 'observer']).optional(),
          leader: z.boolean().optional(),
        })
        .strict(),
      settings: spaceSettingsSchema.optional(),
      passcode: z.string().min(4).max(64).optional(),
      webhooks: z
        .object({ url: webhookUrl, events: z.array(z.string().min(1).max(64)).max(50).optional() })
        .strict()
        .optional(),
    })
    .strict();
}

/** `x-api-key: lck_...`, looked up on every request so a revoked key fails at once on every instance. */
export function apiKeyAuth(apiKeys: ApiKeyService): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers['x-api-key'];
    apiKeys.authenticate(typeof header === 'string' ? header : undefined).then((key) => {
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
}

/** /api/v1: the integrator API (spaces, live sessions, room status), authorized by `x-api-key`. */
export function integratorRouter(deps: IntegratorRouterDeps): Router {
  const router = Router();
  const launchSchema = spaceLaunchSchema(deps.allowHttpWebhooks);
  router.use(apiKeyAuth(deps.apiKeys), json({ limit: '16kb' }), refuseNul);
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post(
    '/spaces/launch',
    asyncHandler(async (req, res) => {
      const key = currentKey(req.apiKey);
      const input = launchSchema.parse(req.body);
      const { created, body } = await deps.spaces.launch(key, input);
      req.log?.info({ spaceId: input.id, roomKey: body.room_id, created }, 'space launched');
      res.status(created ? 201 : 200).json(body);
    }),
  );
  router.get(
    '/live-sessions',
    asyncHandler(async (req, res) => {
      res.json({ liveSessions: await deps.spaces.liveSessions(currentKey(req.apiKey).id) });
    }),
  );
  router.get(
    '/live-sessions/:roomId',
    asyncHandler(async (req, res) => {
      res.json(await deps.spaces.liveSession(currentKey(req.apiKey).id, String(req.params.roomId)));
    }),
  );
  router.get(
    '/rooms/:roomId/status',
    asyncHandler(async (req, res) => {
      res.json(await deps.spaces.roomStatus(currentKey(req.apiKey).id, String(req.params.roomId)));
    }),
  );
  // Anything else under /api/v1 is ours to refuse, not the launcher API's (which would ask for a Bearer).
  router.use(notFound);
  return router;
}

const apiKeyInputSchema = z.object({ name: z.string().trim().min(1).max(200) }).strict();

/** Mounted inside the admin router (admin Bearer): POST/GET /api-keys, DELETE /api-keys/:id. */
export function apiKeyAdminRoutes(apiKeys: ApiKeyService): Router {
  const router = Router();
  router.post(
    '/api-keys',
    asyncHandler(async (req, res) => {
      const { name } = apiKeyInputSchema.parse(req.body);
      const created = await apiKeys.create(name);
      req.log?.info({ apiKeyId: created.id }, 'integrator API key created');
      res
        .status(201)
        .set('cache-control', 'no-store')
        .json({ id: created.id, name: created.name, key: created.key, createdAt: created.createdAt });
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
