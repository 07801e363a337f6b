import { Router, type Request, type RequestHandler } from 'express';
import type { AttendanceStore } from '../attendance/attendance-store.js';
import type { AttendanceScope, ClassAttendance, Entry } from '../attendance/class-attendance.js';
import { AppError } from '../errors.js';
import type { ApiKey } from '../integrations/api-keys.js';
import { participantJson, sessionJson } from '../integrations/attendance-wire.js';
import type { Space, SpaceStore } from '../integrations/space-store.js';
import {
  bulkParamsSchema,
  sessionBulkSchema,
  decodeKeys,
  encodeKeys,
  participantSearchQuery,
  sessionIdSchema,
  type ParticipantSearch,
} from '../integrations/video-room-wire.js';
import type { VideoRooms } from '../integrations/video-rooms.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import type { ClassSessionInfo, RoomStore } from '../rooms/room-store.js';
import { asyncHandler } from './async-handler.js';
import { spaceScope } from './integrator-attendance-routes.js';

export interface VideoSessionRouteDeps {
  rooms: VideoRooms;
  spaces: Pick<SpaceStore, 'findByRoomKeys' | 'listByKey'>;
  roomStore: Pick<RoomStore, 'get' | 'currentClassSession' | 'latestClassSession'>;
  activities: Pick<ActivityStore, 'find'>;
  store: Pick<AttendanceStore, 'session' | 'sessionsOf' | 'activeSessions'>;
  attendance: () => ClassAttendance;
  /** Ending and bulk actions: the per-key budget of /api/v1/spaces/launch. */
  writeLimit: RequestHandler;
  /** GET /participants: each search reads up to SEARCHED_FACTS facts (config `limits.integratorSearch`). */
  searchLimit: RequestHandler;
  currentKey: (req: Request) => ApiKey;
}

/** Sessions searched at once by GET /participants (newest first): a room's, a user's or a time window's. */
const SEARCHED_SESSIONS = 100;
/** Join and leave facts one search by user or by time window reads at most (newest first). */
const SEARCHED_FACTS = 5000;
/** The longest time window a search across all of a key's rooms by time alone may span. */
export const SEARCH_WINDOW_DAYS = 31;
const DAY_MS = 86_400_000;

/**
 * /api/v1/sessions/:id (get, end, mute/unmute/kick) and /api/v1/participants (search): a room's class
 * sessions as the attendance facts have them, controlled on the SFU through the leader controls.
 */
export function videoSessionRoutes(deps: VideoSessionRouteDeps): Router {
  const router = Router();

  const sessionOf = async (key: ApiKey, id: unknown): Promise<{ session: ClassSessionInfo; space: Space }> => {
    const parsed = sessionIdSchema.safeParse(id);
    const session = parsed.success ? await deps.store.session(parsed.data) : undefined;
    const space = session && (await deps.spaces.findByRoomKeys(key.id, [session.roomKey]))[0];
    // Another key's session is as unknown here as a made-up id.
    if (!session || !space) throw new AppError('VIDEO_SESSION_NOT_FOUND');
    return { session, space };
  };

  /** Only the room's open session can be ended or controlled: an older one is over on the SFU. */
  const liveSessionOf = async (key: ApiKey, id: unknown) => {
    const found = await sessionOf(key, id);
    const latest = await deps.roomStore.latestClassSession(found.space.roomKey);
    if (found.session.endedAt || latest?.sessionId !== found.session.sessionId || latest.endedAt) {
      throw new AppError('VIDEO_SESSION_ENDED');
    }
    return found;
  };

  router.get(
    '/sessions/:sessionId',
    asyncHandler(async (req, res) => {
      const { session, space } = await sessionOf(deps.currentKey(req), req.params.sessionId);
      const { table } = await deps.attendance().session(await spaceScope(deps, space), session.sessionId);
      const open = session.endedAt ? undefined : await deps.roomStore.currentClassSession(space.roomKey);
      const present = open?.sessionId === session.sessionId ? open.present.length : undefined;
      res.json({
        room_id: space.roomKey,
        status: table.summary.endedAt ? 'ended' : 'live',
        ...sessionJson(table, [...table.learners, ...table.others], present),
      });
    }),
  );

  router.post(
    '/sessions/:sessionId/end',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const { session, space } = await liveSessionOf(key, req.params.sessionId);
      await deps.rooms.endSession(key, space);
      const ended = await deps.store.session(session.sessionId);
      req.log?.info({ roomKey: space.roomKey, sessionId: session.sessionId }, 'session ended over the API');
      res.json({
        session_id: session.sessionId,
        room_id: space.roomKey,
        status: 'ended',
        ended_at: (ended?.endedAt ?? new Date()).toISOString(),
      });
    }),
  );

  router.post(
    '/sessions/:sessionId/participants/:action',
    deps.writeLimit,
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const params = bulkParamsSchema.parse({ sessionId: req.params.sessionId, action: req.params.action });
      const body = sessionBulkSchema.parse(req.body ?? {});
      const { session, space } = await liveSessionOf(key, params.sessionId);
      const done = await deps.rooms.control(key, space, params.action, body);
      req.log?.info(
        { roomKey: space.roomKey, sessionId: session.sessionId, action: params.action, count: done.length },
        'participants controlled over the API',
      );
      res.json({ session_id: session.sessionId, action: params.action, participants: done });
    }),
  );

  router.get(
    '/participants',
    deps.searchLimit,
    asyncHandler(async (req, res) => {
      const key = deps.currentKey(req);
      const query = participantSearchQuery.parse(req.query);
      const after = query.cursor === undefined ? undefined : decodeKeys(query.cursor, 3);
      if (query.cursor !== undefined && !after) {
        throw new AppError('VALIDATION_FAILED', {
          details: { fields: [{ path: 'cursor', message: 'not a cursor this API gave' }] },
        });
      }
      const rows = await search(key, query);
      const keysOf = (r: Row): [number, string, string] => [
        r.session.startedAt.getTime(),
        r.session.sessionId,
        r.entry.userKey,
      ];
      const start = after ? rows.findIndex((r) => compare(keysOf(r), after) > 0) : 0;
      const rest = start < 0 ? [] : rows.slice(start);
      const page = rest.slice(0, query.limit);
      const last = page.at(-1);
      res.json({
        participants: page.map((r) => ({
          session_id: r.session.sessionId,
          room_id: r.session.roomKey,
          ...participantJson(r.entry),
        })),
        next_cursor: rest.length > query.limit && last ? encodeKeys(keysOf(last)) : null,
      });
    }),
  );

  interface Row {
    session: ClassSessionInfo;
    entry: Entry;
  }

  /**
   * The sessions searched, with their rooms: the one named, a room's newest, or (across the key's rooms)
   * those in which the user, or anyone within the window, joined or left.
   */
  async function searchedSessions(key: ApiKey, query: ParticipantSearch, window: Window) {
    if (query.session_id) {
      const found = await sessionOf(key, query.session_id);
      if (query.room_id && found.space.roomKey !== query.room_id) throw new AppError('VIDEO_SESSION_NOT_FOUND');
      return [found];
    }
    if (query.room_id) {
      const space = await deps.rooms.own(key, query.room_id);
      return (await deps.store.sessionsOf(space.roomKey, SEARCHED_SESSIONS)).map((session) => ({ session, space }));
    }
    if (query.user_id === undefined && !window.given) throw new AppError('VIDEO_PARTICIPANTS_SCOPE');
    const bounds = { from: window.from, to: window.to, limit: SEARCHED_SESSIONS, factLimit: SEARCHED_FACTS };
    let refs: Array<{ sessionId: string; roomKey: string }>;
    let spaces: Space[];
    if (query.user_id !== undefined) {
      // The person's facts in any room, then only the key's rooms among them (another key's are unknown).
      refs = await deps.store.activeSessions({ identity: query.user_id, ...bounds });
      spaces = await deps.spaces.findByRoomKeys(key.id, [...new Set(refs.map((r) => r.roomKey))]);
    } else {
      spaces = await deps.spaces.listByKey(key.id);
      refs = await deps.store.activeSessions({ roomKeys: spaces.map((s) => s.roomKey), ...bounds });
    }
    const spaceOf = new Map(spaces.map((s) => [s.roomKey, s]));
    const found = await Promise.all(
      refs.map(async (r) => {
        const space = spaceOf.get(r.roomKey);
        const session = space && (await deps.store.session(r.sessionId));
        return session && space ? { session, space } : undefined;
      }),
    );
    return found.filter((f) => f !== undefined);
  }

  /** Rows newest session first, then by identity: the order the cursor walks. */
  async function search(key: ApiKey, query: ParticipantSearch): Promise<Row[]> {
    const window = windowOf(query, Date.now());
    const found = await searchedSessions(key, query, window);
    const attendance = deps.attendance();
    type Roster = ReturnType<ClassAttendance['rosterOf']>;
    const scopes = new Map<string, Promise<{ scope: AttendanceScope; roster: Roster }>>();
    const scopeOf = (space: Space) => {
      let known = scopes.get(space.roomKey);
      if (!known) {
        known = spaceScope(deps, space).then(async (scope) => ({
          scope,
          roster: attendance.rosterOf(scope, await scope.roster()),
        }));
        scopes.set(space.roomKey, known);
      }
      return known;
    };
    const { joinedAfter, joinedBefore, leftAfter, leftBefore } = window;
    const within = (at: Date | undefined, from?: number, to?: number) =>
      (from === undefined && to === undefined) ||
      (at !== undefined && (from === undefined || at.getTime() >= from) && (to === undefined || at.getTime() <= to));
    const rows: Row[] = [];
    for (const { session: s, space } of [...found].sort((a, b) => newestFirst(a.session, b.session))) {
      const { scope, roster } = await scopeOf(space);
      const table = await attendance.tables(scope, s, roster);
      const people = [...table.learners, ...table.others]
        .filter(
          (e) =>
            e.joins > 0 &&
            (!query.user_id || e.userKey === query.user_id) &&
            within(e.firstJoin, joinedAfter, joinedBefore) &&
            within(e.lastLeave, leftAfter, leftBefore),
        )
        .sort((a, b) => (a.userKey < b.userKey ? -1 : a.userKey > b.userKey ? 1 : 0));
      rows.push(...people.map((entry) => ({ session: s, entry })));
    }
    return rows;
  }

  return router;
}

/** The search's time bounds (ms), and the span of facts that can meet them: [from, to]. */
interface Window {
  given: boolean;
  joinedAfter?: number;
  joinedBefore?: number;
  leftAfter?: number;
  leftBefore?: number;
  from?: Date;
  to?: Date;
}

/**
 * Someone who joined (or left) within the bounds has a join (or leave) fact within [earliest after,
 * latest before]: the facts read are those. Refused when an "after" is past its "before", or when a search
 * across the key's rooms by time alone would span more than SEARCH_WINDOW_DAYS.
 */
export function windowOf(query: ParticipantSearch, now: number): Window {
  const ms = (t: string | undefined) => (t === undefined ? undefined : Date.parse(t));
  const w = {
    joinedAfter: ms(query.joined_after),
    joinedBefore: ms(query.joined_before),
    leftAfter: ms(query.left_after),
    leftBefore: ms(query.left_before),
  };
  const reversed = (a?: number, b?: number) => a !== undefined && b !== undefined && a > b;
  if (reversed(w.joinedAfter, w.joinedBefore) || reversed(w.leftAfter, w.leftBefore)) {
    throw new AppError('VIDEO_PARTICIPANTS_WINDOW');
  }
  const afters = [w.joinedAfter, w.leftAfter].filter((t) => t !== undefined);
  const befores = [w.joinedBefore, w.leftBefore].filter((t) => t !== undefined);
  const given = afters.length + befores.length > 0;
  if (!given) return { given, ...w };
  const byTimeAlone = !query.session_id && !query.room_id && query.user_id === undefined;
  const to = befores.length ? Math.max(...befores) : byTimeAlone ? now : undefined;
  let from = afters.length ? Math.min(...afters) : undefined;
  if (byTimeAlone) {
    const earliest = (to as number) - SEARCH_WINDOW_DAYS * DAY_MS;
    if (from === undefined) from = earliest;
    else if (from < earliest) throw new AppError('VIDEO_PARTICIPANTS_WINDOW');
  }
  return {
    given,
    ...w,
    ...(from !== undefined ? { from: new Date(from) } : {}),
    ...(to !== undefined ? { to: new Date(to) } : {}),
  };
}

const newestFirst = (a: ClassSessionInfo, b: ClassSessionInfo): number =>
  b.startedAt.getTime() - a.startedAt.getTime() || (a.sessionId < b.sessionId ? 1 : a.sessionId > b.sessionId ? -1 : 0);

/** Newest session first, then session id descending, then identity ascending (as `search` orders). */
function compare(a: [number, string, string], b: Array<string | number>): number {
  const [at, sid, who] = [Number(b[0]), String(b[1]), String(b[2])];
  if (a[0] !== at) return at - a[0];
  if (a[1] !== sid) return a[1] < sid ? 1 : -1;
  return a[2] < who ? -1 : a[2] > who ? 1 : 0;
}
