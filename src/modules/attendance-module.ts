import type { PendingFinal } from '../attendance/attendance-store.js';
import { createClassAttendance, type ClassAttendance } from '../attendance/class-attendance.js';
import { createFinalizer } from '../attendance/finalizer.js';
import { gradePreview, scoresOf } from '../attendance/grade-preview.js';
import type { GradeTarget } from '../attendance/grade-target.js';
import { ATTENDANCE_INDEXES, attendanceRetentionIndexes } from '../db/attendance-store.js';
import { auditRetentionIndexes } from '../db/audit-store.js';
import { GRADE_JOB_INDEXES } from '../db/grade-job-store.js';
import { LINE_ITEM_INDEXES } from '../db/line-item-store.js';
import { retentionOf } from '../db/retention.js';
import { roomRetentionIndexes } from '../db/room-store.js';
import { attendanceRouter } from '../http/attendance-router.js';
import { gradesRouter } from '../http/grades-router.js';
import type { RosterRequest } from '../lti/roster.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface AttendanceModule extends ToolModule {
  /** Ended sessions are noted for finalizing before the SFU's webhook is acknowledged. */
  onEvent(event: TrackedEvent): Promise<void>;
  attendance: ClassAttendance;
}

/**
 * Attendance of class sessions (/api/attendance), grades (/api/grades), the job that makes each ended
 * session's attendance final and the worker that posts grades. `onFinal` listeners (integrator webhooks)
 * run once a session's attendance is final, after the automatic grades; each must be idempotent, since a
 * crash before the session is marked final runs them again.
 */
export function attendanceModule(
  s: Services,
  onFinal: ReadonlyArray<(pending: PendingFinal) => Promise<void>> = [],
): AttendanceModule {
  const a = s.config.attendance;
  const attendance = createClassAttendance({
    store: s.attendanceStore,
    options: {
      reconnectGraceMs: a.reconnectGraceSeconds * 1000,
      lateGraceMs: a.lateGraceMinutes * 60_000,
      leftEarlyGraceMs: a.leftEarlyGraceMinutes * 60_000,
    },
  });
  const log = s.logger.child({ module: 'grades' });

  /** A class that posts by itself queues its scores once the session's attendance is final. */
  const autoPost = async (p: PendingFinal): Promise<void> => {
    const [target, room] = await Promise.all([s.grades.target(p.roomKey), s.roomStore.get(p.roomKey)]);
    if (!target || !room?.activityId) return;
    const activity = await s.activities.find(target.platformId, room.activityId);
    const grading = activity?.settings.grading;
    if (!activity || !grading?.enabled || !grading.autoPost) return;
    const scope = {
      roomKey: p.roomKey,
      owner: room.owner,
      settings: activity.settings,
      roster: (options?: { refresh?: boolean }) => s.roster.getRoster(rosterRequestOf(target), options),
    };
    const scores = scoresOf(await gradePreview(attendance, scope));
    const result = await s.grades.queue(target, scores, { unreleased: false });
    log.info({ roomKey: p.roomKey, sessionId: p.sessionId, ...result }, 'grades queued after class');
  };

  const finalizer = createFinalizer({
    store: s.attendanceStore,
    onFinal: async (pending) => {
      await autoPost(pending);
      for (const listener of onFinal) await listener(pending);
    },
    settleMs: a.settleSeconds * 1000,
    logger: s.logger,
  });
  const shared = { sessions: s.sessions, activities: s.activities, roster: s.roster, attendance };
  return {
    name: 'attendance',
    indexes: [
      ...ATTENDANCE_INDEXES,
      // The purge of old attendance (attendance.retentionDays) is the attendance module's, wherever it is stored.
      ...attendanceRetentionIndexes(retentionOf(a.retentionDays)),
      ...roomRetentionIndexes(retentionOf(a.retentionDays)),
      ...auditRetentionIndexes(retentionOf(a.retentionDays)),
      ...GRADE_JOB_INDEXES,
      ...LINE_ITEM_INDEXES,
    ],
    attendance,
    onEvent: (event) => finalizer.onEvent(event),
    mounts: [
      { path: '/api/attendance', router: attendanceRouter(shared) },
      { path: '/api/grades', router: gradesRouter({ ...shared, grades: s.grades }) },
    ],
    start: () => {
      finalizer.start();
      s.grades.start();
    },
    stop: async () => {
      await finalizer.stop();
      await s.grades.stop();
    },
  };
}

/** What reading the course roster after class needs, from what the room's latest launch said. */
function rosterRequestOf(t: GradeTarget): RosterRequest {
  return {
    platformId: t.platformId,
    issuer: t.issuer,
    clientId: t.clientId,
    deploymentId: t.deploymentId,
    context: { id: t.contextId },
    user: { id: t.launchUserId },
    services: t.membershipsUrl ? { membershipsUrl: t.membershipsUrl } : {},
  };
}
