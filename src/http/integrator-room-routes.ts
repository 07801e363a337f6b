import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import {
  bulkBodySchema,
  layoutBodySchema,
  layoutJson,
  layoutPatchOf,
  memberIdSchema,
  memberJson,
} from '../integrations/room-control-wire.js';
import type { SpaceStore } from '../integrations/space-store.js';
import { defaultSettings, type ActivityStore } from '../rooms/activity-settings.js';
import { type RoomControls } from '../rooms/room-controls.js';
import { BULK_ACTIONS, PARTICIPANT_ACTIONS, ROOM_ACTIONS, type Leader } from '../rooms/room-actions.js';
import { metadataPatchSchema, metadataPutSchema, replacement } from '../rooms/room-data.js';
import { namespaceOf, type RoomOwner } from '../rooms/room-owner.js';
import { asyncHandler } from './async-handler.js';

export interface IntegratorRoomDeps {
  spaces: Pick<SpaceStore, 'findByRoomKeys'>;
  activities: Pick<ActivityStore, 'find'>;
  controls: RoomControls;
  currentKey: (req: Request) => ApiKey;
  /** Actions on everyone and the end of a class, per API key (config `limits.integratorControls`). */
  controlLimit: RequestHandler;
}

/** The audit's actor for what an API key did (no person in the room did it). */
export const apiKeyActor = (key: Pick<ApiKey, 'id'>): string => `api-key:${key.id}`;

/**
 * The room-session controls over the integrator API, on the key's own rooms only (another key's room is
 * as unknown as a made-up id): the leader's powers of the launcher, enforced and audited the same way.
 */
export function integratorRoomRoutes(deps: IntegratorRoomDeps): Router {
  const router = Router();

  /** The key as the leader of one of its rooms. */
  const leaderOf = async (req: Request): Promise<Leader> => {
    const key = deps.currentKey(req);
    const [space] = await deps.spaces.findByRoomKeys(key.id, [String(req.params.roomId)]);
    if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
    const owner: RoomOwner = { kind: 'space', apiKeyId: key.id, spaceId: space.spaceId };
    const activity = await deps.activities.find(namespaceOf(owner), space.activityId);
    return {
      owner,
      activityId: space.activityId,
      userId: apiKeyActor(key),
      name: key.name,
      role: 'instructor',
      settings: activity?.settings ?? defaultSettings('Live class'),
      auditAs: apiKeyActor(key),
    };
  };
  /** A member of the room: a user_id of another shape, or of nobody in the room, is not found. */
  const memberOf = (req: Request): string => {
    const parsed = memberIdSchema.safeParse(req.params.userId);
    if (!parsed.success) throw new AppError('SPACE_MEMBER_NOT_FOUND');
    return parsed.data;
  };
  const asApiError = (err: unknown): never => {
    if ((err as AppError).code === 'ROOM_PARTICIPANT_UNKNOWN') throw new AppError('SPACE_MEMBER_NOT_FOUND');
    throw err;
  };

  router.get(
    '/rooms/:roomId/members',
    asyncHandler(async (req, res) => {
      const members = await deps.controls.members(await leaderOf(req));
      res.json({ room_id: String(req.params.roomId), members: members.map(memberJson) });
    }),
  );

  router.get(
    '/rooms/:roomId/members/:userId/metadata',
    asyncHandler(async (req, res) => {
      const leader = await leaderOf(req);
      const { metadata } = await deps.controls.memberOf(leader, memberOf(req)).catch(asApiError);
      res.json({ metadata });
    }),
  );
  const memberWrite = (body: (req: Request, current: Record<string, string>) => Record<string, string | null>) =>
    asyncHandler(async (req, res) => {
      const leader = await leaderOf(req);
      const identity = memberOf(req);
      const { metadata: current } = await deps.controls.memberOf(leader, identity).catch(asApiError);
      const patch = body(req, current);
      const metadata = await deps.controls.memberMetadata(leader, identity, patch).catch(asApiError);
      if (req.method === 'DELETE') res.status(204).end();
      else res.json({ metadata });
    });
  router.put(
    '/rooms/:roomId/members/:userId/metadata',
    memberWrite((req, current) => replacement(current, metadataPutSchema.parse(req.body ?? {}))),
  );
  router.patch(
    '/rooms/:roomId/members/:userId/metadata',
    memberWrite((req) => metadataPatchSchema.parse(req.body ?? {})),
  );
  router.delete(
    '/rooms/:roomId/members/:userId/metadata',
    memberWrite((_req, current) => replacement(current, {})),
  );

  for (const action of PARTICIPANT_ACTIONS) {
    router.post(
      `/rooms/:roomId/members/:userId/${action}`,
      asyncHandler(async (req, res) => {
        const leader = await leaderOf(req);
        await deps.controls.participant(leader, memberOf(req), action).catch(asApiError);
        res.status(204).end();
      }),
    );
  }

  for (const action of ROOM_ACTIONS) {
    router.post(
      `/rooms/:roomId/${action}`,
      ...(action === 'end' ? [deps.controlLimit] : []),
      asyncHandler(async (req, res) => {
        await deps.controls.room(await leaderOf(req), action);
        res.status(204).end();
      }),
    );
  }
  for (const action of BULK_ACTIONS) {
    router.post(
      `/rooms/:roomId/${action}`,
      deps.controlLimit,
      asyncHandler(async (req, res) => {
        const targets = bulkBodySchema.parse(req.body ?? {});
        const affected = await deps.controls.bulk(await leaderOf(req), action, targets);
        res.json({ affected });
      }),
    );
  }

  router.get(
    '/rooms/:roomId/layout',
    asyncHandler(async (req, res) => {
      res.json(layoutJson((await deps.controls.roomOf(await leaderOf(req))).layout));
    }),
  );
  router.put(
    '/rooms/:roomId/layout',
    asyncHandler(async (req, res) => {
      const patch = layoutPatchOf(layoutBodySchema.parse(req.body ?? {}));
      res.json(layoutJson(await deps.controls.layout(await leaderOf(req), patch)));
    }),
  );

  router.get(
    '/rooms/:roomId/metadata',
    asyncHandler(async (req, res) => {
      res.json({ metadata: (await deps.controls.roomOf(await leaderOf(req))).metadata });
    }),
  );
  const roomWrite = (body: (req: Request, current: Record<string, string>) => Record<string, string | null>) =>
    asyncHandler(async (req, res) => {
      const leader = await leaderOf(req);
      const current = (await deps.controls.roomOf(leader)).metadata;
      const metadata = await deps.controls.roomMetadata(leader, body(req, current));
      if (req.method === 'DELETE') res.status(204).end();
      else res.json({ metadata });
    });
  router.put(
    '/rooms/:roomId/metadata',
    roomWrite((req, current) => replacement(current, metadataPutSchema.parse(req.body ?? {}))),
  );
  router.patch(
    '/rooms/:roomId/metadata',
    roomWrite((req) => metadataPatchSchema.parse(req.body ?? {})),
  );
  router.delete(
    '/rooms/:roomId/metadata',
    roomWrite((_req, current) => replacement(current, {})),
  );
  return router;
}
