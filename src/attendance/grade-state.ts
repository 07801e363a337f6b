import type { GradeJob } from './grade-jobs.js';

/**
 * Where one learner's grade stands in the LMS, from their grade jobs: the domain side of
 * GradeLine['sync'] in src/http/contract.ts (dates here, ISO strings there).
 */

export type GradeSyncState = 'not-posted' | 'pending' | 'retrying' | 'posted' | 'applied' | 'refused';

export interface GradeSync {
  state: GradeSyncState;
  /** The score the LMS last accepted, or the one being sent. */
  postedScore?: number;
  postedAt?: Date;
  attempts?: number;
  nextAttemptAt?: Date;
  /** The LMS's answer when it refused (or held a newer score), or the last failure while retrying. */
  reason?: string;
}

/** The state the latest job gives (superseded jobs never are the latest). */
export function syncOf(jobs: readonly GradeJob[]): GradeSync {
  const ordered = [...jobs].sort((a, b) => b.seq - a.seq);
  const latest = ordered[0];
  if (!latest) return { state: 'not-posted' };
  const attempts = latest.tries;
  const scored = { postedScore: latest.score.scoreGiven, attempts };
  switch (latest.status) {
    case 'pending':
      return attempts === 0
        ? { state: 'pending', ...scored, nextAttemptAt: latest.nextAttemptAt }
        : {
            state: 'retrying',
            ...scored,
            nextAttemptAt: latest.nextAttemptAt,
            ...(latest.reason ? { reason: latest.reason } : {}),
          };
    case 'posted':
      return { state: 'posted', ...scored, ...(latest.finishedAt ? { postedAt: latest.finishedAt } : {}) };
    case 'applied':
      return {
        state: 'applied',
        ...scored,
        ...(latest.finishedAt ? { postedAt: latest.finishedAt } : {}),
        ...(latest.reason ? { reason: latest.reason } : {}),
      };
    default: {
      // Refused (superseded cannot be latest): what the LMS holds is the last score it accepted, if any.
      const accepted = ordered.find((j) => j.status === 'posted');
      return {
        state: 'refused',
        attempts,
        ...(accepted ? { postedScore: accepted.score.scoreGiven } : {}),
        ...(accepted?.finishedAt ? { postedAt: accepted.finishedAt } : {}),
        reason: latest.reason ?? 'the LMS refused the score',
      };
    }
  }
}
