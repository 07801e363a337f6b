import { createHash } from 'node:crypto';
import { lineItemKeyOf, type GradeTarget } from './grade-target.js';

/**
 * Grade jobs: one score for one learner on the activity's line item, persisted before anything is sent.
 * A learner's jobs on a line item form a sequence (seq 1, 2, ...) whose slots are unique inserts, so of
 * two writers queuing at once exactly one gets each slot, and "newer" needs no clock. Queuing the score
 * the latest job already carries adds nothing (idempotent); a different score takes the next slot and
 * supersedes every older job that has not run. The worker (grade-worker.ts) never lets an older job post
 * after a newer one: see its ordering rules.
 */

export type GradeJobStatus = 'pending' | 'posted' | 'applied' | 'refused' | 'superseded';

export interface QueuedScore {
  /** The LMS user id (the launch's `sub`). */
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
}

export interface GradeJob {
  /** gradeJobId(lineItemKey, userId, seq). */
  id: string;
  lineItemKey: string;
  roomKey: string;
  userId: string;
  seq: number;
  /** What the job posts, hashed: a job with the same content is the same grade. */
  contentKey: string;
  /** Where the grade goes, as it stood when queued. */
  target: GradeTarget;
  score: QueuedScore;
  /** Keep the line item's grades hidden from students (gradesReleased: false) before posting. */
  unreleased: boolean;
  status: GradeJobStatus;
  /** Leases taken (src/db/leases.ts numbers them); a wait for an older job takes one too. */
  attempts: number;
  /** Requests that reached (or tried to reach) the LMS; what the teacher sees as attempts. */
  tries: number;
  nextAttemptAt: Date;
  leaseUntil: Date;
  leaseId?: string;
  /** The last failure while retrying, or why it was refused or applied. */
  reason?: string;
  lastStatus?: number;
  /** The line item it was posted to. */
  lineItemUrl?: string;
  createdAt: Date;
  finishedAt?: Date;
}

export interface JobOutcome {
  status: GradeJobStatus;
  tries: number;
  nextAttemptAt: Date;
  reason?: string;
  lastStatus?: number;
  lineItemUrl?: string;
  finishedAt?: Date;
}

/** Implemented in src/db/grade-job-store.ts. */
export interface GradeJobStore {
  /** False when the slot (its id) is taken already. */
  insert(job: GradeJob): Promise<boolean>;
  get(id: string): Promise<GradeJob | undefined>;
  /** Every job of these learners on the line item (any order). */
  jobsOf(lineItemKey: string, userIds: readonly string[]): Promise<GradeJob[]>;
  /** Claims one due, unleased pending job by inserting the lease of its next attempt. */
  claimDue(now: Date, leaseUntil: Date, leaseId: string): Promise<GradeJob | undefined>;
  /** Records an outcome unless the lease was taken over meanwhile (then false). */
  complete(id: string, leaseId: string, outcome: JobOutcome): Promise<boolean>;
}

const hash = (parts: readonly (string | number)[]): string =>
  createHash('sha256').update(parts.map(String).join('\u0000')).digest('base64url').slice(0, 32);

export const gradeJobId = (lineItemKey: string, userId: string, seq: number): string =>
  `gj_${hash([lineItemKey, userId, seq])}`;

export const contentKeyOf = (s: QueuedScore): string => hash([s.userId, s.scoreGiven, s.scoreMaximum, s.comment ?? '']);

/** The latest job of each learner (the highest seq). */
export function latestByUser(jobs: readonly GradeJob[]): Map<string, GradeJob> {
  const latest = new Map<string, GradeJob>();
  for (const job of jobs) {
    const current = latest.get(job.userId);
    if (!current || job.seq > current.seq) latest.set(job.userId, job);
  }
  return latest;
}

export function newJob(target: GradeTarget, score: QueuedScore, seq: number, unreleased: boolean, now: Date): GradeJob {
  const lineItemKey = lineItemKeyOf(target);
  return {
    id: gradeJobId(lineItemKey, score.userId, seq),
    lineItemKey,
    roomKey: target.roomKey,
    userId: score.userId,
    seq,
    contentKey: contentKeyOf(score),
    target,
    score,
    unreleased,
    status: 'pending',
    attempts: 0,
    tries: 0,
    nextAttemptAt: now,
    leaseUntil: new Date(0),
    createdAt: now,
  };
}

/**
 * Puts the job in the next free slot after `after`; when another writer took that slot, reads the
 * learner's latest job again: if it carries the same content there is nothing to add (false), else the
 * next slot is tried.
 */
export async function insertInNextSlot(
  store: GradeJobStore,
  target: GradeTarget,
  score: QueuedScore,
  after: GradeJob | undefined,
  options: { unreleased: boolean; now: Date },
): Promise<GradeJob | undefined> {
  let latest = after;
  for (let round = 0; round < 20; round += 1) {
    const job = newJob(target, score, (latest?.seq ?? 0) + 1, options.unreleased, options.now);
    if (await store.insert(job)) return job;
    latest = latestByUser(await store.jobsOf(job.lineItemKey, [score.userId])).get(score.userId);
    if (latest?.contentKey === job.contentKey) return undefined;
  }
  throw new Error(`no free grade job slot for ${score.userId} after 20 rounds`);
}

/** Queues each score unless the learner's latest job already carries it. */
export async function queueScores(
  store: GradeJobStore,
  target: GradeTarget,
  scores: readonly QueuedScore[],
  options: { unreleased: boolean; now: Date },
): Promise<{ queued: number; unchanged: number }> {
  const key = lineItemKeyOf(target);
  const latest = latestByUser(
    await store.jobsOf(
      key,
      scores.map((s) => s.userId),
    ),
  );
  let queued = 0;
  let unchanged = 0;
  for (const score of scores) {
    const current = latest.get(score.userId);
    const job =
      current?.contentKey === contentKeyOf(score)
        ? undefined
        : await insertInNextSlot(store, target, score, current, options);
    if (job) latest.set(score.userId, job);
    if (job) queued += 1;
    else unchanged += 1;
  }
  return { queued, unchanged };
}
