import { Router, json, type RequestHandler } from 'express';
import type { ApiKey, ApiKeyService } from '../integrations/api-keys.js';
import {
  liveRoomCreateSchema,
  liveRoomJoinSchema,
  liveRoomJson,
  liveRoomParamsSchema,
  liveRoomStatusJson,
} from '../integrations/live-room-wire.js';
import type { LiveRooms } from '../integrations/live-rooms.js';
import { asyncHandler } from './async-handler.js';
import { notFound } from './errors-middleware.js';
import { apiKeyAuth } from './integrator-router.js';
import { refuseNul } from './nul-guard.js';

export interface LiveRoomRouterDeps {
  apiKeys: ApiKeyService;
  rooms: LiveRooms;
  /** Creates and joins: the same `perKeyLimit` instance as /api/v1/spaces/launch (one budget per key). */
  writeLimit: RequestHandler;
}

const keyOf = (key: ApiKey | undefined): ApiKey => {
  if (!key) throw new Error('apiKeyAuth did not run');
  return key;
};

/** /api/live-room: create, join and status of live rooms (docs/integrator-api.md#live-rooms), by API key. */
export function liveRoomRouter(deps: LiveRoomRouterDeps): Router {
  const router = Router();
  const limit = deps.writeLimit;
  router.use(apiKeyAuth(deps.apiKeys), json({ limit: '16kb' }), refuseNul);
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post(
    '/create',
    limit,
    asyncHandler(async (req, res) => {
      const key = keyOf(req.apiKey);
      const input = liveRoomCreateSchema.parse(req.body);
      const space = await deps.rooms.create(key, input);
      req.log?.info({ spaceId: space.spaceId, roomKey: space.roomKey }, 'live room created');
      res.status(201).json(liveRoomJson(space, input.topic, input.participants_limit, 'created'));
    }),
  );
  router.post(
    '/join',
    limit,
    asyncHandler(async (req, res) => {
      const input = liveRoomJoinSchema.parse(req.body);
      const link = await deps.rooms.join(keyOf(req.apiKey), input);
      res.json({
        room_id: input.room_id,
        role: input.role,
        join_url: link.joinUrl,
        user_id: link.identity || null,
        expires_at: link.expiresAt.toISOString(),
      });
    }),
  );
  router.get(
    '/status/:room_id',
    asyncHandler(async (req, res) => {
      const { room_id } = liveRoomParamsSchema.parse({ room_id: req.params.room_id });
      const { status } = await deps.rooms.status(keyOf(req.apiKey), room_id);
      res.json(liveRoomStatusJson(room_id, status));
    }),
  );
  router.use(notFound);
  return router;
}
