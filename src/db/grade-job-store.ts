import type { Connection } from 'mongoose';
import type { GradeJob, GradeJobStore } from '../attendance/grade-jobs.js';
import { expiryFields } from './expiry.js';
import { insertOnce, type IndexSpec } from './indexes.js';
import { claimLease, holdsLease, leaseIndex, mongoLeaseDocs } from './leases.js';
import { looseSchema, modelOf, strip } from './models.js';

const JOBS = 'grade_jobs';
const LEASES = 'grade_job_leases';
/** Finished jobs are the sync history the teacher sees; kept this long after they finished. */
export const GRADE_JOB_RETENTION_SECONDS = 400 * 24 * 60 * 60;

export const GRADE_JOB_INDEXES: readonly IndexSpec[] = [
  { collection: JOBS, keys: { id: 1 }, name: 'id_unique', unique: true },
  { collection: JOBS, keys: { lineItemKey: 1, userId: 1 }, name: 'line_item_user' },
  { collection: JOBS, keys: { status: 1, nextAttemptAt: 1 }, name: 'status_due' },
  {
    collection: JOBS,
    keys: { finishedAt: 1 },
    name: 'finishedAt_ttl',
    expireAfterSeconds: GRADE_JOB_RETENTION_SECONDS,
    expiryBucket: true,
  },
  leaseIndex(LEASES, 7 * 24 * 60 * 60),
];

/** Cleared fields are stored as null; the domain sees them as absent. */
const toJob = (doc: GradeJob & { _id?: unknown; __v?: unknown }): GradeJob =>
  Object.fromEntries(Object.entries(strip(doc)).filter(([, v]) => v !== null)) as unknown as GradeJob;

export function createGradeJobStore(connection: Connection): GradeJobStore {
  const Jobs = modelOf<GradeJob>(connection, 'GradeJob', () => looseSchema(JOBS));
  const leases = mongoLeaseDocs(connection, 'GradeJobLease', LEASES, 7 * 24 * 60 * 60);
  const retained = (from: Date) => expiryFields(new Date(from.getTime() + GRADE_JOB_RETENTION_SECONDS * 1000));

  return {
    insert: (job) => insertOnce(() => Jobs.create(job)),
    async get(id) {
      const doc = await Jobs.findOne({ id }).lean<GradeJob>();
      return doc ? toJob(doc) : undefined;
    },
    async jobsOf(lineItemKey, userIds) {
      // The worker asks for one learner (before each post): two equalities, served by the index.
      if (userIds.length === 1) {
        return (await Jobs.find({ lineItemKey, userId: userIds[0] }).lean<GradeJob[]>()).map(toJob);
      }
      // A class's learners: one indexed equality, filtered here (FerretDB scans for `$in`).
      const wanted = new Set(userIds);
      const docs = await Jobs.find({ lineItemKey }).lean<GradeJob[]>();
      return docs.filter((d) => wanted.has(d.userId)).map(toJob);
    },
    async claimDue(now, leaseUntil, leaseId) {
      const due = await Jobs.find({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lte: now } })
        .sort({ nextAttemptAt: 1 })
        .limit(20)
        .lean<GradeJob[]>();
      for (const doc of due) {
        const job = toJob(doc);
        // Only the lease holder then writes the job, so that update has one writer.
        const attempts = await claimLease(leases, job.id, job.attempts + 1, now, leaseUntil, leaseId);
        if (attempts === undefined) continue;
        await Jobs.updateOne({ id: job.id }, { $set: { attempts, leaseUntil, leaseId } });
        return { ...job, attempts, leaseUntil, leaseId };
      }
      return undefined;
    },
    async complete(id, leaseId, outcome) {
      const job = await Jobs.findOne({ id }, { attempts: 1 }).lean<{ attempts: number }>();
      if (!job || !(await holdsLease(leases, id, job.attempts, leaseId))) return false;
      await Jobs.updateOne(
        { id },
        {
          $set: {
            status: outcome.status,
            tries: outcome.tries,
            nextAttemptAt: outcome.nextAttemptAt,
            reason: outcome.reason ?? null,
            lastStatus: outcome.lastStatus ?? null,
            ...(outcome.lineItemUrl ? { lineItemUrl: outcome.lineItemUrl } : {}),
            leaseUntil: new Date(0),
            leaseId: null,
            ...(outcome.finishedAt ? { finishedAt: outcome.finishedAt, ...retained(outcome.finishedAt) } : {}),
          },
        },
      );
      return true;
    },
  };
}
