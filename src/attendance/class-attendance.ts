import { AppError } from '../errors.js';
import { availability, type ActivitySettings } from '../rooms/activity-settings.js';
import type { Role } from '../rooms/grants.js';
import { identityIn, type RoomOwner } from '../rooms/room-owner.js';
import type { ClassSessionInfo } from '../rooms/room-store.js';
import { attendanceOf, type AttendanceOptions, type AttendedSession } from './attendance.js';
import type { AttendanceStore } from './attendance-store.js';
import { absent, withRoster, type AttendanceRow } from './roster.js';

/** A course's people as the LMS (or, without NRPS, the launches) told us. */
export interface CourseRoster {
  source: 'nrps' | 'launches';
  fetchedAt: Date;
  members: ReadonlyArray<{ userId: string; name: string; role: Role; active: boolean }>;
}

/** One room's attendance, as a caller with the right to see it frames it. */
export interface AttendanceScope {
  roomKey: string;
  owner: RoomOwner;
  settings: ActivitySettings;
  roster: (options?: { refresh?: boolean }) => Promise<CourseRoster>;
}

export interface SessionSummary {
  sessionId: string;
  startedAt: Date;
  endedAt?: Date;
  minutes: number;
  final: boolean;
  attended: number;
  learners: number;
}

/** A row with the LMS user id it belongs to (absent for someone off the roster). */
export type Entry = AttendanceRow & { userId?: string };

export interface SessionTable {
  summary: SessionSummary;
  /** The session as attendance measured it (its end is `now` while it runs). */
  session: AttendedSession;
  learners: Entry[];
  others: Entry[];
}

/** How many of a room's sessions the views read; older ones stay stored and reach integrators by paging. */
export const SESSIONS_SHOWN = 100;
/** A schedule only makes a session late when the session falls near it (a weekly class reuses one link). */
const SCHEDULE_REACH_MS = 60 * 60_000;

export interface ClassAttendanceDeps {
  store: AttendanceStore;
  options?: Pick<AttendanceOptions, 'reconnectGraceMs' | 'lateGraceMs' | 'leftEarlyGraceMs'>;
  now?: () => Date;
}

/** Attendance of a room's class sessions with its course roster: what instructors, learners and grades read. */
export function createClassAttendance(deps: ClassAttendanceDeps) {
  const now = deps.now ?? (() => new Date());

  const attended = (settings: ActivitySettings, s: ClassSessionInfo): AttendedSession => {
    const planned = availability(settings);
    const near =
      planned &&
      s.startedAt.getTime() >= planned.start.getTime() - SCHEDULE_REACH_MS &&
      s.startedAt.getTime() <= planned.end.getTime();
    return {
      sessionId: s.sessionId,
      startedAt: s.startedAt,
      ...(s.endedAt ? { endedAt: s.endedAt } : {}),
      ...(near ? { scheduledStart: planned.start } : {}),
    };
  };

  const rosterOf = (scope: AttendanceScope, roster: CourseRoster) => {
    const members = roster.members.filter((m) => m.active);
    const userIds = new Map(members.map((m) => [identityIn(scope.owner, m.userId), m.userId]));
    return {
      members: members.map((m) => ({ userKey: identityIn(scope.owner, m.userId), name: m.name, role: m.role })),
      userIds,
    };
  };

  const table = async (
    scope: AttendanceScope,
    s: ClassSessionInfo,
    roster: ReturnType<typeof rosterOf>,
  ): Promise<SessionTable> => {
    const [facts, snapshot, finalAt] = await Promise.all([
      deps.store.factsOf(s.sessionId),
      deps.store.snapshotOf(s.sessionId),
      deps.store.finalAt(s.sessionId),
    ]);
    const session = attended(scope.settings, s);
    const at = now();
    const records = attendanceOf(session, facts, {
      ...deps.options,
      ...(s.endedAt ? {} : { now: at }),
      ...(snapshot ? { reconcile: snapshot } : {}),
    });
    const rows = withRoster(records, roster.members);
    const withId = (r: AttendanceRow): Entry => {
      const userId = roster.userIds.get(r.userKey);
      return userId === undefined ? r : { ...r, userId };
    };
    const learners = rows.learners.map(withId);
    const end = s.endedAt ?? at;
    return {
      session,
      summary: {
        sessionId: s.sessionId,
        startedAt: s.startedAt,
        ...(s.endedAt ? { endedAt: s.endedAt } : {}),
        minutes: Math.max(0, Math.round((end.getTime() - s.startedAt.getTime()) / 60_000)),
        final: finalAt !== undefined,
        attended: learners.filter((r) => r.onRoster && r.msPresent > 0).length,
        learners: learners.filter((r) => r.onRoster).length,
      },
      learners,
      others: rows.others.map(withId),
    };
  };

  const sessionIn = async (scope: AttendanceScope, sessionId: string): Promise<ClassSessionInfo> => {
    const s = await deps.store.session(sessionId);
    // Another room's session is as unknown here as a made-up id.
    if (!s || s.roomKey !== scope.roomKey) throw new AppError('ATTENDANCE_SESSION_NOT_FOUND');
    return s;
  };

  /** The room's sessions, newest first, with the roster they were counted against. */
  const sessions = async (scope: AttendanceScope, options: { refresh?: boolean } = {}) => {
    const roster = await scope.roster(options);
    const members = rosterOf(scope, roster);
    const list = await deps.store.sessionsOf(scope.roomKey, SESSIONS_SHOWN);
    const tables = await Promise.all(list.map((s) => table(scope, s, members)));
    return { roster, tables };
  };

  return {
    sessions,

    async session(scope: AttendanceScope, sessionId: string, options: { refresh?: boolean } = {}) {
      const s = await sessionIn(scope, sessionId);
      const roster = await scope.roster(options);
      return { roster, table: await table(scope, s, rosterOf(scope, roster)) };
    },

    /** One person's row in every session of the room (absent where they missed it), newest first. */
    async person(scope: AttendanceScope, userKey: string) {
      const { roster, tables } = await sessions(scope);
      const rows = tables.flatMap((t) => {
        const entry = [...t.learners, ...t.others].find((e) => e.userKey === userKey);
        return entry ? [{ summary: t.summary, entry }] : [];
      });
      const member = roster.members.find((m) => identityIn(scope.owner, m.userId) === userKey);
      if (!member && rows.length === 0) throw new AppError('ATTENDANCE_PERSON_NOT_FOUND');
      const latest = rows[0]?.entry;
      const person = {
        userKey,
        ...(member ? { userId: member.userId } : {}),
        name: member?.name ?? latest?.name ?? userKey,
        ...((member?.role ?? latest?.role) ? { role: member?.role ?? latest?.role } : {}),
      };
      // A session this person was not listed in at all (they joined the course later, say) is still theirs.
      const history = tables.map((t) => {
        const found = rows.find((r) => r.summary.sessionId === t.summary.sessionId);
        return found ?? { summary: t.summary, entry: absentEntry(person) };
      });
      return { person, sessions: history };
    },

    /** The computed tables of the given sessions (grading reads them). */
    tables: table,
    rosterOf,
    sessionIn,
  };
}

export type ClassAttendance = ReturnType<typeof createClassAttendance>;

function absentEntry(person: { userKey: string; userId?: string; name: string; role?: Role }): Entry {
  return { ...absent(person), ...person, onRoster: false };
}
