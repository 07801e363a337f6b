import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AttendanceScope, ClassAttendance } from '../attendance/class-attendance.js';
import type { AttendanceStore } from '../attendance/attendance-store.js';
import { decodeCursor, encodeCursor, pageOf } from '../attendance/session-page.js';
import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import { participantJson, sessionJson } from '../integrations/attendance-wire.js';
import type { Space, SpaceStore } from '../integrations/space-store.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { namespaceOf } from '../rooms/room-owner.js';
import type { RoomStore } from '../rooms/room-store.js';
import { asyncHandler } from './async-handler.js';

export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();
export const participantsQuery = z
  .object({
    user_id: z.string().min(1).max(200).optional(),
    role: z.enum(['instructor', 'participant', 'observer']).optional(),
    joined_after: z.iso.datetime({ offset: true }).optional(),
    joined_before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
const sessionIdParam = z.string().regex(/^ses_[\w-]{1,64}$/);

export interface IntegratorAttendanceDeps {
  spaces: Pick<SpaceStore, 'findByRoomKeys'>;
  roomStore: Pick<RoomStore, 'get' | 'currentClassSession'>;
  activities: Pick<ActivityStore, 'find'>;
  store: Pick<AttendanceStore, 'session' | 'sessionsOf'>;
  /** Read when a request comes (the attendance module is built after the integrations module). */
  attendance: () => ClassAttendance;
  currentKey: (req: Request) => ApiKey;
}

/** Integrator rooms have no course roster: the people are who came. */
export async function spaceScope(
  deps: Pick<IntegratorAttendanceDeps, 'roomStore' | 'activities'>,
  space: Space,
): Promise<AttendanceScope> {
  const room = await deps.roomStore.get(space.roomKey);
  const activity = room && (await deps.activities.find(namespaceOf(room.owner), space.activityId));
  if (!room || !activity) throw new AppError('SPACE_ROOM_NOT_FOUND');
  return {
    roomKey: space.roomKey,
    owner: room.owner,
    settings: activity.settings,
    roster: async () => ({ source: 'launches', fetchedAt: new Date(), members: [] }),
  };
}

/**
 * GET /rooms/:roomId/sessions (paged) and GET /sessions/:sessionId/participants (filtered): a space room's
 * class sessions and who attended them, with the figures of docs/attendance.md, for the key's own rooms only.
 */
export function integratorAttendanceRoutes(deps: IntegratorAttendanceDeps): Router {
  const router = Router();
  const own = async (key: ApiKey, roomKey: string): Promise<Space | undefined> =>
    (await deps.spaces.findByRoomKeys(key.id, [roomKey]))[0];

  router.get(
    '/rooms/:roomId/sessions',
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const query = pageQuery.parse(req.query);
      const space = await own(key, String(req.params.roomId));
      if (!space) throw new AppError('SPACE_ROOM_NOT_FOUND');
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (query.cursor !== undefined && !after) {
        throw new AppError('VALIDATION_FAILED', {
          details: { fields: [{ path: 'cursor', message: 'not a cursor this API gave' }] },
        });
      }
      const scope = await spaceScope(deps, space);
      // Every session of the room is listed (one indexed read), but only the page's are computed.
      const { page, next } = pageOf(await deps.store.sessionsOf(space.roomKey), query.limit, after);
      const attendance = deps.attendance();
      const roster = attendance.rosterOf(scope, await scope.roster());
      const tables = await Promise.all(page.map((s) => attendance.tables(scope, s, roster)));
      const open = page.some((s) => !s.endedAt) ? await deps.roomStore.currentClassSession(space.roomKey) : undefined;
      res.json({
        room_id: space.roomKey,
        sessions: tables.map((t) =>
          sessionJson(
            t,
            [...t.learners, ...t.others],
            open?.sessionId === t.summary.sessionId ? open.present.length : undefined,
          ),
        ),
        next_cursor: next ? encodeCursor(next) : null,
      });
    }),
  );

  router.get(
    '/sessions/:sessionId/participants',
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const parsedId = sessionIdParam.safeParse(req.params.sessionId);
      const query = participantsQuery.parse(req.query);
      const session = parsedId.success ? await deps.store.session(parsedId.data) : undefined;
      const space = session && (await own(key, session.roomKey));
      // Another key's session is as unknown here as a made-up id.
      if (!session || !space) throw new AppError('ATTENDANCE_SESSION_NOT_FOUND');
      const { table } = await deps.attendance().session(await spaceScope(deps, space), session.sessionId);
      const after = query.joined_after ? Date.parse(query.joined_after) : undefined;
      const before = query.joined_before ? Date.parse(query.joined_before) : undefined;
      const people = [...table.learners, ...table.others].filter(
        (e) =>
          (!query.user_id || e.userKey === query.user_id) &&
          (!query.role || e.role === query.role) &&
          (after === undefined || (e.firstJoin !== undefined && e.firstJoin.getTime() >= after)) &&
          (before === undefined || (e.firstJoin !== undefined && e.firstJoin.getTime() <= before)),
      );
      const open = table.summary.endedAt ? undefined : await deps.roomStore.currentClassSession(space.roomKey);
      res.json({
        session: sessionJson(
          table,
          [...table.learners, ...table.others],
          open?.sessionId === session.sessionId ? open.present.length : undefined,
        ),
        participants: people.map(participantJson),
      });
    }),
  );
  return router;
}
