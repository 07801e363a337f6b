import { GRADING_DEFAULTS } from '../rooms/activity-settings.js';
import type { QueuedScore } from './grade-jobs.js';
import type { AttendanceScope, ClassAttendance, SessionTable } from './class-attendance.js';
import { policyOf, previewScores, type GradingPolicy, type PreviewLine } from './grading-policy.js';

/** A learner's previewed score, with the LMS user id it is posted for. */
export type GradeLinePreview = PreviewLine & { userId: string };

export interface GradePreview {
  policy: GradingPolicy;
  maxPoints: number;
  /** 'per-session': the session graded (the latest that ended); none before any ended. */
  sessionId?: string;
  /** The sessions the scores are computed from (their ids, for the grade job's input). */
  sessionIds: string[];
  lines: GradeLinePreview[];
}

/**
 * Every roster learner's score under the activity's policy: for 'per-session' from the latest ended
 * session, for 'cumulative' from every ended session. Sessions still running are never graded. Only people
 * on the roster with an LMS user id can be graded (a guest off the roster has nobody to post for).
 */
export async function gradePreview(attendance: ClassAttendance, scope: AttendanceScope): Promise<GradePreview> {
  const grading = scope.settings.grading;
  const policy = policyOf(grading);
  const maxPoints = grading.maxPoints ?? GRADING_DEFAULTS.maxPoints;
  const { tables, roster } = await attendance.sessions(scope);
  const ended = tables.filter((t) => t.summary.endedAt !== undefined);
  const graded = policy.scope === 'per-session' ? ended.slice(0, 1) : ended;
  const members = attendance.rosterOf(scope, roster);
  const rows = members.members
    .filter((m) => m.role === 'participant')
    .flatMap((m) => {
      const userId = members.userIds.get(m.userKey);
      if (!userId) return [];
      return [{ userKey: m.userKey, name: m.name, userId, sharesBySession: sharesOf(graded, m.userKey) }];
    });
  const lines = previewScores(
    policy,
    maxPoints,
    rows,
    graded.map((t) => ({ id: t.summary.sessionId, minutes: minutesOf(t) })),
  ).map((line, i) => ({ ...line, userId: (rows[i] as { userId: string }).userId }));
  return {
    policy,
    maxPoints,
    ...(policy.scope === 'per-session' && graded[0] ? { sessionId: graded[0].summary.sessionId } : {}),
    sessionIds: graded.map((t) => t.summary.sessionId),
    lines,
  };
}

function sharesOf(tables: readonly SessionTable[], userKey: string): Record<string, number | undefined> {
  return Object.fromEntries(
    tables.map((t) => {
      const entry = t.learners.find((e) => e.userKey === userKey);
      return [t.summary.sessionId, entry && entry.msPresent > 0 ? entry.shareOfSession : undefined];
    }),
  );
}

/** The exact length (the summary's minutes are rounded for display). */
const minutesOf = (t: SessionTable): number =>
  ((t.summary.endedAt ?? t.summary.startedAt).getTime() - t.summary.startedAt.getTime()) / 60_000;

/** The scores a preview posts: learners with a score (a "not graded" learner gets none). */
export function scoresOf(preview: GradePreview): Array<QueuedScore & { userKey: string }> {
  return preview.lines.flatMap((l) =>
    typeof l.score === 'number'
      ? [
          {
            userKey: l.userKey,
            userId: l.userId,
            scoreGiven: l.score,
            scoreMaximum: l.scoreMaximum,
            comment: l.comment,
          },
        ]
      : [],
  );
}
