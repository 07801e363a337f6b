import { randomBytes } from 'node:crypto';
import { createPoller } from '../jobs/poller.js';
import type { Logger } from '../log.js';
import { latestByUser, type GradeJob, type GradeJobStore, type JobOutcome } from './grade-jobs.js';
import { classifyAnswer, reasonOf, retryDelayMs } from './grade-outcome.js';
import type { LineItemResolver } from './line-item.js';
import { LmsCallError, NotPostableError, type AgsClient, type LmsAnswer } from './lms-grades.js';

export interface GradeWorkerTuning {
  /** Delay after the 1st, 2nd, ... failed try; the last entry repeats. */
  retryDelaysMs: readonly number[];
  /** Tries after which a job the LMS keeps failing is given up (shown as refused, with the last reason). */
  maxAttempts: number;
  /** Jobs posted at once by this process. */
  concurrency: number;
  pollMs: number;
  /** How long a claim holds a job; a crashed worker's job is taken over after it. */
  leaseMs?: number;
}

export interface GradeWorkerDeps extends GradeWorkerTuning {
  jobs: GradeJobStore;
  lineItems: LineItemResolver;
  ags: AgsClient;
  logger: Logger;
  now?: () => Date;
}

export interface GradeWorker {
  start(): void;
  stop(): Promise<void>;
  /** Looks for due jobs now (a job was just queued). */
  kick(): void;
  /** Runs due jobs until none is left (tests, benchmarks). */
  drain(): Promise<number>;
}

/**
 * Posts queued grade jobs, in any number of tool processes: each job is claimed by a lease (an insert), so
 * one process posts it; a crashed process's job is taken over when its lease runs out. A job whose learner
 * has a newer job is superseded instead of posted, so an older score never overwrites a newer one.
 */
export function createGradeWorker(deps: GradeWorkerDeps): GradeWorker {
  const log = deps.logger.child({ module: 'grades' });
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.leaseMs ?? 2 * 60_000;
  const worker = randomBytes(6).toString('hex');
  let stopped = true;
  let inFlight = 0;
  const running = new Set<Promise<void>>();

  const finish = (job: GradeJob, outcome: Omit<JobOutcome, 'nextAttemptAt'> & { nextAttemptAt?: Date }) =>
    deps.jobs.complete(job.id, job.leaseId as string, { nextAttemptAt: now(), ...outcome });

  const run = async (job: GradeJob): Promise<void> => {
    const latest = latestByUser(await deps.jobs.jobsOf(job.lineItemKey, [job.userId])).get(job.userId);
    if (latest && latest.seq > job.seq) {
      await finish(job, {
        status: 'superseded',
        tries: job.tries,
        finishedAt: now(),
        reason: 'a newer score was queued',
      });
      return;
    }
    const tries = job.tries + 1;
    let answer: LmsAnswer;
    let lineItemUrl: string | undefined;
    try {
      const resolved = await deps.lineItems.resolve(job.target, { create: true });
      if (resolved.status !== 'found') {
        const reason = resolved.status === 'unavailable' ? resolved.reason : 'no-line-item';
        await finish(job, { status: 'refused', tries, finishedAt: now(), reason: `cannot post: ${reason}` });
        return;
      }
      lineItemUrl = resolved.lineItem.url;
      if (job.unreleased) await deps.ags.setGradesReleased(job.target, lineItemUrl, false);
      const score = {
        userId: job.score.userId,
        scoreGiven: job.score.scoreGiven,
        scoreMaximum: job.score.scoreMaximum,
        ...(job.score.comment ? { comment: job.score.comment } : {}),
        activityProgress: 'Completed' as const,
        gradingProgress: 'FullyGraded' as const,
      };
      answer = await deps.ags.postScore(job.target, lineItemUrl, score);
      let outcome = classifyAnswer(answer, now());
      if (outcome.kind === 'retry' && outcome.freshToken) {
        // A token revoked or expired early: once more at once with a new one before backing off.
        answer = await deps.ags.postScore(job.target, lineItemUrl, score, { freshToken: true });
        outcome = classifyAnswer(answer, now());
      }
      if (answer.status === 404 || answer.status === 410) await deps.lineItems.forget(job.target, lineItemUrl);
      const status = answer.status;
      if (outcome.kind === 'posted') {
        log.info({ jobId: job.id, userId: job.userId, score: job.score.scoreGiven }, 'grade posted');
        await finish(job, { status: 'posted', tries, finishedAt: now(), lineItemUrl, lastStatus: status });
      } else if (outcome.kind === 'applied') {
        await finish(job, {
          status: 'applied',
          tries,
          finishedAt: now(),
          lineItemUrl,
          reason: outcome.reason,
          lastStatus: status,
        });
      } else if (outcome.kind === 'refused') {
        log.info({ jobId: job.id, userId: job.userId, reason: outcome.reason }, 'grade refused by the LMS');
        await finish(job, {
          status: 'refused',
          tries,
          finishedAt: now(),
          lineItemUrl,
          reason: outcome.reason,
          lastStatus: status,
        });
      } else {
        await retryLater(job, tries, outcome.reason, outcome.afterMs, status, lineItemUrl);
      }
    } catch (err) {
      if (err instanceof NotPostableError) {
        await finish(job, { status: 'refused', tries, finishedAt: now(), reason: err.message });
      } else if (err instanceof LmsCallError) {
        const outcome = classifyAnswer(err.answer, now());
        if (outcome.kind === 'retry') {
          await retryLater(job, tries, outcome.reason, outcome.afterMs, err.answer.status, lineItemUrl);
        } else {
          await finish(job, { status: 'refused', tries, finishedAt: now(), reason: reasonOf(err.answer) });
        }
      } else {
        throw err;
      }
    }
  };

  const retryLater = async (
    job: GradeJob,
    tries: number,
    reason: string,
    afterMs: number | undefined,
    lastStatus: number | undefined,
    lineItemUrl: string | undefined,
  ) => {
    if (tries >= deps.maxAttempts) {
      log.warn({ jobId: job.id, userId: job.userId, reason }, 'grade given up after repeated LMS failures');
      await finish(job, {
        status: 'refused',
        tries,
        finishedAt: now(),
        reason: `the LMS kept failing: ${reason}`,
        ...(lastStatus !== undefined ? { lastStatus } : {}),
      });
      return;
    }
    const delay = retryDelayMs(tries, deps.retryDelaysMs, afterMs);
    await finish(job, {
      status: 'pending',
      tries,
      nextAttemptAt: new Date(now().getTime() + delay),
      reason,
      ...(lastStatus !== undefined ? { lastStatus } : {}),
      ...(lineItemUrl ? { lineItemUrl } : {}),
    });
  };

  /** Claims and runs jobs while there are due ones and room to run them. */
  const fill = async (): Promise<number> => {
    let started = 0;
    while (inFlight < deps.concurrency) {
      const at = now();
      const job = await deps.jobs.claimDue(
        at,
        new Date(at.getTime() + leaseMs),
        `${worker}-${randomBytes(6).toString('hex')}`,
      );
      if (!job) break;
      started += 1;
      inFlight += 1;
      const task = run(job)
        .catch((err: unknown) => log.error({ err, jobId: job.id }, 'grade job failed inside the tool'))
        .finally(() => {
          inFlight -= 1;
          running.delete(task);
          if (!stopped) schedule(0);
        });
      running.add(task);
    }
    return started;
  };

  let filling: Promise<number> | undefined;
  const tick = () => (filling ??= fill().finally(() => (filling = undefined)));
  const poller = createPoller(tick, { pollMs: deps.pollMs, log, what: 'grade worker' });
  const schedule = (ms: number) => {
    if (!stopped) poller.kick(ms);
  };

  return {
    start() {
      stopped = false;
      poller.start();
    },
    async stop() {
      stopped = true;
      await poller.stop();
      await filling;
      await Promise.all(running);
    },
    kick() {
      schedule(0);
    },
    async drain() {
      let total = 0;
      for (;;) {
        const started = await tick();
        total += started;
        if (running.size > 0) await Promise.race(running);
        else if (started === 0) return total;
      }
    },
  };
}
