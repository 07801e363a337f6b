import { Router, type Request } from 'express';
import { z } from 'zod';
import { attendanceCsv, percentOf } from '../attendance/attendance-csv.js';
import type { AttendanceScope, ClassAttendance, Entry, SessionSummary } from '../attendance/class-attendance.js';
import { AppError } from '../errors.js';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import { memberFor } from '../lti/launch-member.js';
import type { RosterService } from '../lti/roster.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { identityIn, roomKeyOf } from '../rooms/room-owner.js';
import { asyncHandler } from './async-handler.js';
import type {
  AttendanceEntry,
  AttendanceSessionSummary,
  AttendanceSessionsResponse,
  PersonAttendanceResponse,
  SessionAttendanceResponse,
} from './contract.js';
import { currentLaunch, sessionAuth } from './session-auth.js';

const sessionParams = z.object({ sessionId: z.string().regex(/^ses_[\w-]{1,64}$/) });
const personParams = z.object({ userKey: z.string().regex(/^[a-z]-[0-9a-f]{8,64}$/) });
const refreshQuery = z.object({ refresh: z.enum(['0', '1', 'true', 'false']).optional() }).passthrough();

export interface AttendanceRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  roster: RosterService;
  attendance: ClassAttendance;
}

/** What a launch may see of attendance: its own room's, with its course's roster. */
export async function scopeOfLaunch(
  launch: LaunchSession,
  deps: Pick<AttendanceRouterDeps, 'activities' | 'roster'>,
): Promise<AttendanceScope & { activityId?: string; userKey: string; instructor: boolean }> {
  const member = await memberFor(launch, deps.activities);
  return {
    roomKey: roomKeyOf(member.owner),
    owner: member.owner,
    settings: member.settings,
    activityId: member.activityId,
    userKey: identityIn(member.owner, member.userId),
    instructor: member.role === 'instructor',
    // A launch from outside a course (an integrator's space) has no roster: who came is the list.
    roster: (options) =>
      launch.context?.id
        ? deps.roster.getRoster(launch, options)
        : Promise.resolve({ source: 'launches', fetchedAt: new Date(), members: [] }),
  };
}

/** /api/attendance: instructors see their class's sessions and everyone's record; anyone sees their own. */
export function attendanceRouter(deps: AttendanceRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));

  const scope = (req: Request) => scopeOfLaunch(currentLaunch(req.launch), deps);
  const leader = async (req: Request) => {
    const s = await scope(req);
    if (!s.instructor) {
      throw new AppError('FORBIDDEN', { message: "Only the class's instructors see everyone's attendance." });
    }
    return s;
  };
  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new AppError('NOT_FOUND');
    return parsed.data;
  };
  const refresh = (req: Request) => {
    const q = refreshQuery.safeParse(req.query);
    if (!q.success)
      throw new AppError('VALIDATION_FAILED', {
        details: { fields: [{ path: 'refresh', message: 'must be 0 or 1' }] },
      });
    return q.data.refresh === '1' || q.data.refresh === 'true';
  };

  router.get(
    '/sessions',
    asyncHandler(async (req, res) => {
      const { roster, tables } = await deps.attendance.sessions(await leader(req), { refresh: refresh(req) });
      const body: AttendanceSessionsResponse = {
        sessions: tables.map((t) => summaryJson(t.summary)),
        roster: { source: roster.source, fetchedAt: roster.fetchedAt.toISOString() },
      };
      res.json(body);
    }),
  );

  router.get(
    '/sessions/:sessionId',
    asyncHandler(async (req, res) => {
      const { sessionId } = parse(sessionParams, req.params);
      const { roster, table } = await deps.attendance.session(await leader(req), sessionId, { refresh: refresh(req) });
      const body: SessionAttendanceResponse = {
        session: summaryJson(table.summary),
        roster: { source: roster.source, fetchedAt: roster.fetchedAt.toISOString() },
        learners: table.learners.map(entryJson),
        others: table.others.map(entryJson),
      };
      res.json(body);
    }),
  );

  router.get(
    '/sessions/:sessionId/attendance.csv',
    asyncHandler(async (req, res) => {
      const { sessionId } = parse(sessionParams, req.params);
      const { table } = await deps.attendance.session(await leader(req), sessionId);
      const day = table.summary.startedAt.toISOString().slice(0, 10);
      res
        .type('text/csv; charset=utf-8')
        .attachment(`attendance-${day}-${sessionId}.csv`)
        .send(attendanceCsv(table.summary, [...table.learners, ...table.others]));
    }),
  );

  router.get(
    '/people/:userKey',
    asyncHandler(async (req, res) => {
      const { userKey } = parse(personParams, req.params);
      res.json(personJson(await deps.attendance.person(await leader(req), userKey)));
    }),
  );

  router.get(
    '/me',
    asyncHandler(async (req, res) => {
      const s = await scope(req);
      res.json(personJson(await deps.attendance.person(s, s.userKey)));
    }),
  );
  return router;
}

const iso = (d: Date | undefined) => d?.toISOString();

export function summaryJson(s: SessionSummary): AttendanceSessionSummary {
  return {
    sessionId: s.sessionId,
    startedAt: s.startedAt.toISOString(),
    ...(s.endedAt ? { endedAt: s.endedAt.toISOString() } : {}),
    minutes: s.minutes,
    final: s.final,
    attended: s.attended,
    learners: s.learners,
  };
}

export function entryJson(e: Entry): AttendanceEntry {
  return {
    userKey: e.userKey,
    ...(e.userId !== undefined ? { userId: e.userId } : {}),
    name: e.name,
    ...(e.role ? { role: e.role } : {}),
    status: e.status,
    ...(e.firstJoin ? { firstJoin: iso(e.firstJoin) } : {}),
    ...(e.lastLeave ? { lastLeave: iso(e.lastLeave) } : {}),
    minutesPresent: e.minutesPresent,
    percentOfSession: percentOf(e.shareOfSession),
    joins: e.joins,
    late: e.late,
    leftEarly: e.leftEarly,
    inferred: e.inferred,
    onRoster: e.onRoster,
  };
}

function personJson(p: Awaited<ReturnType<ClassAttendance['person']>>): PersonAttendanceResponse {
  return {
    person: p.person,
    sessions: p.sessions.map((s) => ({ session: summaryJson(s.summary), entry: entryJson(s.entry) })),
  };
}
