import type { PendingFinal } from '../attendance/attendance-store.js';
import { createClassAttendance } from '../attendance/class-attendance.js';
import { createFinalizer } from '../attendance/finalizer.js';
import { ATTENDANCE_INDEXES } from '../db/attendance-store.js';
import { attendanceRouter } from '../http/attendance-router.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface AttendanceModule extends ToolModule {
  /** Ended sessions are noted for finalizing before the SFU's webhook is acknowledged. */
  onEvent(event: TrackedEvent): Promise<void>;
}

/**
 * Attendance of class sessions (/api/attendance) and the job that makes each ended session's final.
 * `onFinal` listeners (grades, integrator webhooks) run once a session's attendance is final; each must be
 * idempotent, since a crash before the session is marked final runs them again.
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
  const finalizer = createFinalizer({
    store: s.attendanceStore,
    onFinal: async (pending) => {
      for (const listener of onFinal) await listener(pending);
    },
    settleMs: a.settleSeconds * 1000,
    logger: s.logger,
  });
  return {
    name: 'attendance',
    indexes: ATTENDANCE_INDEXES,
    onEvent: (event) => finalizer.onEvent(event),
    mounts: [
      {
        path: '/api/attendance',
        router: attendanceRouter({ sessions: s.sessions, activities: s.activities, roster: s.roster, attendance }),
      },
    ],
    start: () => finalizer.start(),
    stop: () => finalizer.stop(),
  };
}
