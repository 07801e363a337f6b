import { Router, type Request } from 'express';
import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import { recordingJson, recordingsDeleteQuery, recordingsQuery } from '../integrations/recording-wire.js';
import type { SpaceStore } from '../integrations/space-store.js';
import type { Viewer } from '../recordings/recording-access.js';
import type { LibraryScope, RecordingEntry, RecordingLibrary } from '../recordings/recording-library.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import type { RoomStore } from '../rooms/room-store.js';
import { asyncHandler } from './async-handler.js';
import { spaceScope } from './integrator-attendance-routes.js';
import { recordingIdSchema } from './recordings-router.js';

export interface IntegratorRecordingDeps {
  spaces: Pick<SpaceStore, 'findByRoomKeys'>;
  roomStore: Pick<RoomStore, 'get' | 'currentClassSession'>;
  activities: Pick<ActivityStore, 'find'>;
  library: RecordingLibrary;
  currentKey: (req: Request) => ApiKey;
}

/**
 * A space room's recordings for the key that owns it: list (filtered), one, delete one, delete by filter.
 * Finished recordings carry signed play and download URLs. Another key's room is as unknown as a made-up one.
 */
export function integratorRecordingRoutes(deps: IntegratorRecordingDeps): Router {
  const router = Router();

  const scopeOf = async (req: Request): Promise<{ scope: LibraryScope; viewer: Viewer }> => {
    const key = deps.currentKey(req);
    const [space] = await deps.spaces.findByRoomKeys(key.id, [String(req.params.roomId)]);
    if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
    const { roomKey, settings } = await spaceScope(deps, space);
    return { scope: { roomKey, settings }, viewer: { kind: 'api', apiKeyId: key.id } };
  };
  const idOf = (req: Request): string => {
    const parsed = recordingIdSchema.safeParse(req.params.recordingId);
    if (!parsed.success) throw new AppError('RECORDING_NOT_FOUND');
    return parsed.data;
  };
  const withLinks = async (scope: LibraryScope, viewer: Viewer, e: RecordingEntry) =>
    recordingJson(
      e,
      e.status === 'ready' ? await deps.library.links(scope, viewer, e.recording.recordingId) : undefined,
    );

  router.get(
    '/rooms/:roomId/recordings',
    asyncHandler(async (req, res) => {
      const query = recordingsQuery.parse(req.query);
      const { scope, viewer } = await scopeOf(req);
      const before = query.before ? Date.parse(query.before) : undefined;
      const after = query.after ? Date.parse(query.after) : undefined;
      const entries = (await deps.library.list(scope, viewer)).filter(
        (e) =>
          (!query.session_id || e.recording.sessionId === query.session_id) &&
          (!query.status || e.status === query.status) &&
          (before === undefined || e.recording.requestedAt.getTime() < before) &&
          (after === undefined || e.recording.requestedAt.getTime() >= after),
      );
      const recordings = await Promise.all(entries.map((e) => withLinks(scope, viewer, e)));
      res.json({ room_id: scope.roomKey, recordings });
    }),
  );

  router.get(
    '/rooms/:roomId/recordings/:recordingId',
    asyncHandler(async (req, res) => {
      const { scope, viewer } = await scopeOf(req);
      res.json(await withLinks(scope, viewer, await deps.library.entry(scope, viewer, idOf(req))));
    }),
  );

  router.delete(
    '/rooms/:roomId/recordings/:recordingId',
    asyncHandler(async (req, res) => {
      const { scope, viewer } = await scopeOf(req);
      await deps.library.remove(scope, viewer, idOf(req));
      res.status(204).end();
    }),
  );

  router.delete(
    '/rooms/:roomId/recordings',
    asyncHandler(async (req, res) => {
      const query = recordingsDeleteQuery.parse(req.query);
      const { scope, viewer } = await scopeOf(req);
      const { deleted, recording } = await deps.library.removeWhere(scope, viewer, {
        ...(query.before ? { before: new Date(query.before) } : {}),
        ...(query.session_id ? { sessionId: query.session_id } : {}),
      });
      res.json({ room_id: scope.roomKey, deleted, still_recording: recording });
    }),
  );
  return router;
}
