import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import type { RoomTokens } from '../integrations/room-tokens.js';
import {
  refreshSchema,
  roomCreateSchema,
  roomListQuery,
  roomUpdateSchema,
  tokenCreateSchema,
} from '../integrations/video-room-wire.js';
import type { VideoRooms } from '../integrations/video-rooms.js';
import { asyncHandler } from './async-handler.js';

export interface VideoRoomRouteDeps {
  rooms: VideoRooms;
  tokens: RoomTokens;
  allowHttpWebhooks: boolean;
  /** Creating rooms and tokens: the per-key budget of /api/v1/spaces/launch. */
  writeLimit: RequestHandler;
  currentKey: (req: Request) => ApiKey;
}

/**
 * /api/v1/rooms and /api/v1/tokens (docs/integrator-api.md#video-rooms): the key's rooms as a resource,
 * and client access tokens for them. Every change is logged with the key, the room and what changed.
 */
export function videoRoomRoutes(deps: VideoRoomRouteDeps): Router {
  const router = Router();
  const createSchema = roomCreateSchema(deps.allowHttpWebhooks);
  const updateSchema = roomUpdateSchema(deps.allowHttpWebhooks);
  const roomIdOf = (req: Request): string => String(req.params.roomId);

  router.post(
    '/rooms',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const input = createSchema.parse(req.body);
      const room = await deps.rooms.create(deps.currentKey(req), input);
      req.log?.info({ roomKey: room.room_id, name: room.name }, 'video room created');
      res.status(201).json(room);
    }),
  );
  router.get(
    '/rooms',
    asyncHandler(async (req, res) => {
      const { rooms, next } = await deps.rooms.list(deps.currentKey(req), roomListQuery.parse(req.query));
      res.json({ rooms, next_cursor: next });
    }),
  );
  router.get(
    '/rooms/:roomId',
    asyncHandler(async (req, res) => {
      res.json(await deps.rooms.get(deps.currentKey(req), roomIdOf(req)));
    }),
  );
  router.patch(
    '/rooms/:roomId',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const change = updateSchema.parse(req.body);
      const room = await deps.rooms.update(deps.currentKey(req), roomIdOf(req), change);
      req.log?.info(
        { roomKey: room.room_id, version: room.version, fields: Object.keys(change) },
        'video room changed',
      );
      res.json(room);
    }),
  );
  router.delete(
    '/rooms/:roomId',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const { endedSession } = await deps.rooms.remove(deps.currentKey(req), roomIdOf(req));
      req.log?.info({ roomKey: roomIdOf(req), endedSession }, 'video room deleted');
      res.status(204).end();
    }),
  );

  router.post(
    '/rooms/:roomId/tokens',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const input = tokenCreateSchema.parse(req.body);
      const space = await deps.rooms.usable(key, roomIdOf(req));
      const token = await deps.tokens.create(key, space, input);
      await deps.rooms.audit(key, space, 'token-create', token.user_id);
      req.log?.info({ roomKey: space.roomKey, identity: token.user_id, role: token.role }, 'room token created');
      res.status(201).json(token);
    }),
  );
  router.post(
    '/tokens/refresh',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const { refresh_token } = refreshSchema.parse(req.body);
      const key = deps.currentKey(req);
      const { token, space } = await deps.tokens.refresh(key, refresh_token);
      await deps.rooms.audit(key, space, 'token-refresh', token.user_id);
      req.log?.info({ roomKey: token.room_id, identity: token.user_id }, 'room token refreshed');
      res.status(201).json(token);
    }),
  );

  // Kept so an integrator following the video-rooms document finds out why, instead of a bare 404.
  router.post(
    '/compositions',
    asyncHandler(async () => {
      throw new AppError('VIDEO_COMPOSITION_UNSUPPORTED');
    }),
  );
  return router;
}
