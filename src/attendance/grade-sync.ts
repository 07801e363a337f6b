import type { Logger } from '../log.js';
import {
  contentKeyOf,
  insertInNextSlot,
  latestByUser,
  queueScores,
  type GradeJobStore,
  type QueuedScore,
} from './grade-jobs.js';
import { syncOf, type GradeSync } from './grade-state.js';
import { lineItemKeyOf, type GradeTarget, type GradeTargetStore } from './grade-target.js';
import { createGradeWorker, type GradeWorkerTuning } from './grade-worker.js';
import { createLineItemResolver, type LineItemRefStore, type LineItemResolution } from './line-item.js';
import type { AgsClient } from './lms-grades.js';

export interface GradeSyncDeps {
  targets: GradeTargetStore;
  jobs: GradeJobStore;
  lineItemRefs: LineItemRefStore;
  ags: AgsClient;
  tuning: GradeWorkerTuning;
  logger: Logger;
  now?: () => Date;
}

/**
 * Grade passback as the rest of the tool sees it: where a room's grades go (recorded at launch), its line
 * item (found or made once), scores queued as persisted jobs and posted by the worker, each learner's state.
 */
export function createGradeSync(deps: GradeSyncDeps) {
  const now = deps.now ?? (() => new Date());
  const lineItems = createLineItemResolver({ refs: deps.lineItemRefs, ags: deps.ags, now });
  const worker = createGradeWorker({
    ...deps.tuning,
    jobs: deps.jobs,
    lineItems,
    ags: deps.ags,
    logger: deps.logger,
    now,
  });

  return {
    /** Keeps what a launch said about where the room's grades go (for posting after class). */
    record: (target: GradeTarget) => deps.targets.put(target),
    target: (roomKey: string) => deps.targets.get(roomKey),

    lineItem: (target: GradeTarget, options: { create: boolean }): Promise<LineItemResolution> =>
      lineItems.resolve(target, options),

    /**
     * Queues each score unless the learner's latest job already carries it; `again` also queues a score
     * whose latest job was refused or given up (the teacher fixed the cause and retries).
     */
    async queue(
      target: GradeTarget,
      scores: readonly QueuedScore[],
      options: { unreleased: boolean; again?: boolean },
    ) {
      const at = now();
      let result = { queued: 0, unchanged: 0 };
      if (options.again) {
        const latest = latestByUser(
          await deps.jobs.jobsOf(
            lineItemKeyOf(target),
            scores.map((s) => s.userId),
          ),
        );
        const retried = scores.filter((s) => {
          const job = latest.get(s.userId);
          return job?.status === 'refused' && job.contentKey === contentKeyOf(s);
        });
        for (const s of retried) {
          if (
            await insertInNextSlot(deps.jobs, target, s, latest.get(s.userId), {
              unreleased: options.unreleased,
              now: at,
            })
          )
            result.queued += 1;
        }
        const rest = scores.filter((s) => !retried.includes(s));
        const other = await queueScores(deps.jobs, target, rest, { unreleased: options.unreleased, now: at });
        result = { queued: result.queued + other.queued, unchanged: other.unchanged };
      } else {
        result = await queueScores(deps.jobs, target, scores, { unreleased: options.unreleased, now: at });
      }
      if (result.queued > 0) worker.kick();
      return result;
    },

    async states(target: GradeTarget, userIds: readonly string[]): Promise<Map<string, GradeSync>> {
      const jobs = await deps.jobs.jobsOf(lineItemKeyOf(target), userIds);
      const byUser = new Map<string, typeof jobs>();
      for (const job of jobs) byUser.set(job.userId, [...(byUser.get(job.userId) ?? []), job]);
      return new Map(
        userIds.map((id) => [id, syncOf((byUser.get(id) ?? []).filter((j) => j.status !== 'superseded'))]),
      );
    },

    start: () => worker.start(),
    stop: () => worker.stop(),
    drain: () => worker.drain(),
  };
}

export type GradeSyncService = ReturnType<typeof createGradeSync>;
