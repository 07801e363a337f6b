import { Router, json, type Request } from 'express';
import { z } from 'zod';
import type { ClassAttendance } from '../attendance/class-attendance.js';
import { gradePreview, scoresOf, type GradeLinePreview, type GradePreview } from '../attendance/grade-preview.js';
import type { GradeSync } from '../attendance/grade-state.js';
import { targetOfLaunch, type GradeTarget } from '../attendance/grade-target.js';
import type { QueuedScore } from '../attendance/grade-jobs.js';
import type { LineItemResolution } from '../attendance/line-item.js';
import { AppError } from '../errors.js';
import type { SessionStore } from '../lti/launch-session-store.js';
import type { RosterService } from '../lti/roster.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { GRADING_DEFAULTS } from '../rooms/activity-settings.js';
import { asyncHandler } from './async-handler.js';
import { scopeOfLaunch } from './attendance-router.js';
import type { GradeLine, GradesResponse, PostGradesResponse } from './contract.js';
import { refuseNul } from './nul-guard.js';
import { currentLaunch, sessionAuth } from './session-auth.js';

const postSchema = z
  .object({
    userKeys: z
      .array(z.string().regex(/^[a-z]-[0-9a-f]{8,64}$/))
      .min(1)
      .max(1000)
      .optional(),
    unreleased: z.boolean().optional(),
  })
  .strict();

/** What the grades routes need of grade passback (src/attendance/grade-sync.ts). */
export interface GradesPort {
  /** Keeps where the room's grades go, as this launch says (grades are posted after class too). */
  record(target: GradeTarget): Promise<void>;
  lineItem(target: GradeTarget, options: { create: boolean }): Promise<LineItemResolution>;
  queue(
    target: GradeTarget,
    scores: readonly QueuedScore[],
    /** `again`: post even a score the LMS was already sent (the teacher's Retry of a refused one). */
    options: { unreleased: boolean; again?: boolean },
  ): Promise<{ queued: number; unchanged: number }>;
  states(target: GradeTarget, userIds: readonly string[]): Promise<Map<string, GradeSync>>;
}

export interface GradesRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  roster: RosterService;
  attendance: ClassAttendance;
  grades: GradesPort;
}

/** /api/grades: the preview of each learner's attendance score, its state in the LMS, and posting it. */
export function gradesRouter(deps: GradesRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions), json({ limit: '64kb' }), refuseNul);

  const context = async (req: Request) => {
    const launch = currentLaunch(req.launch);
    const scope = await scopeOfLaunch(launch, deps);
    if (!scope.instructor) throw new AppError('FORBIDDEN', { message: "Only the class's instructors grade it." });
    const target = targetOfLaunch(launch, scope);
    if (target) await deps.grades.record(target);
    return { scope, target };
  };

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const { scope, target } = await context(req);
      const grading = scope.settings.grading;
      const [preview, resolution] = await Promise.all([
        gradePreview(deps.attendance, scope),
        target ? deps.grades.lineItem(target, { create: false }) : undefined,
      ]);
      const states = target
        ? await deps.grades.states(
            target,
            preview.lines.map((l) => l.userId),
          )
        : new Map<string, GradeSync>();
      const reason = !grading.enabled
        ? 'not-enabled'
        : !target
          ? 'no-ags'
          : resolution?.status === 'unavailable'
            ? resolution.reason
            : undefined;
      const body: GradesResponse = {
        enabled: grading.enabled,
        canPost: reason === undefined,
        ...(reason ? { cannotPostReason: reason } : {}),
        ...(resolution?.status === 'found'
          ? {
              lineItem: {
                id: resolution.lineItem.url,
                label: resolution.lineItem.label,
                scoreMaximum: resolution.lineItem.scoreMaximum,
              },
            }
          : {}),
        policy: policyJson(preview, grading),
        ...(preview.sessionId ? { sessionId: preview.sessionId } : {}),
        lines: preview.lines.map((l) => lineJson(l, states.get(l.userId))),
      };
      res.json(body);
    }),
  );

  router.post(
    '/post',
    asyncHandler(async (req, res) => {
      const input = postSchema.parse(req.body ?? {});
      const { scope, target } = await context(req);
      if (!scope.settings.grading.enabled) throw new AppError('GRADES_NOT_ENABLED');
      if (!target) throw new AppError('GRADES_UNAVAILABLE', { details: { reason: 'no-ags' } });
      const resolution = await deps.grades.lineItem(target, { create: true });
      if (resolution.status === 'unavailable') {
        throw new AppError('GRADES_UNAVAILABLE', { details: { reason: resolution.reason } });
      }
      const preview = await gradePreview(deps.attendance, scope);
      const wanted = input.userKeys ? new Set(input.userKeys) : undefined;
      const scores = scoresOf(preview).filter((s) => !wanted || wanted.has(s.userKey));
      const result = await deps.grades.queue(
        target,
        scores.map(({ userKey: _key, ...score }) => score),
        { unreleased: input.unreleased ?? false, again: wanted !== undefined },
      );
      req.log?.info({ roomKey: scope.roomKey, ...result }, 'grades queued');
      const body: PostGradesResponse = result;
      res.status(202).json(body);
    }),
  );
  return router;
}

function policyJson(preview: GradePreview, grading: GradesRouterGrading): GradesResponse['policy'] {
  return {
    policy: grading.policy ?? GRADING_DEFAULTS.policy,
    thresholdPercent: grading.thresholdPercent ?? GRADING_DEFAULTS.thresholdPercent,
    absent: preview.policy.absent,
    scope: preview.policy.scope,
    ...(preview.policy.bestOf !== undefined ? { bestOf: preview.policy.bestOf } : {}),
    maxPoints: preview.maxPoints,
    autoPost: grading.autoPost ?? false,
  };
}

type GradesRouterGrading = {
  policy?: 'attended' | 'proportional' | 'threshold';
  thresholdPercent?: number;
  autoPost?: boolean;
};

function lineJson(l: GradeLinePreview, sync: GradeSync | undefined): GradeLine {
  const state = sync?.state ?? 'not-posted';
  return {
    userKey: l.userKey,
    userId: l.userId,
    name: l.name,
    score: l.score,
    scoreMaximum: l.scoreMaximum,
    attendedMinutes: l.attendedMinutes,
    totalMinutes: l.totalMinutes,
    percent: l.percent,
    comment: l.comment,
    sync: {
      // Nothing sent and nothing to send: the policy gives this learner no score.
      state: state === 'not-posted' && l.score === 'not-graded' ? 'not-graded' : state,
      ...(sync?.postedScore !== undefined ? { postedScore: sync.postedScore } : {}),
      ...(sync?.postedAt ? { postedAt: sync.postedAt.toISOString() } : {}),
      ...(sync?.attempts !== undefined ? { attempts: sync.attempts } : {}),
      ...(sync?.nextAttemptAt ? { nextAttemptAt: sync.nextAttemptAt.toISOString() } : {}),
      ...(sync?.reason ? { reason: sync.reason } : {}),
    },
  };
}
