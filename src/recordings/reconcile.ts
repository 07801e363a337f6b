import type { RecorderGateway, RecordingInfo } from '../livekit/recorder.js';
import type { Logger } from '../log.js';
import type { ClassSessionInfo } from '../rooms/room-store.js';
import { nounOf, stateOf, type RecordingState } from './recording.js';
import { LATEST, type RecordingStore } from './recording-store.js';
import type { RecordingJobs } from './recording-jobs.js';
import { isActive } from './recordings.js';

/**
 * The jobs Egress itself runs now (its health port lists them), undefined where it cannot tell (no health
 * port); throws while Egress does not answer.
 */
export type RunningJobs = () => Promise<ReadonlySet<string> | undefined>;

export interface ReconcileDeps {
  store: RecordingStore;
  jobs: RecordingJobs;
  recorder: RecorderGateway;
  rooms: { latestClassSession(key: string): Promise<ClassSessionInfo | undefined> };
  running?: RunningJobs;
  logger: Logger;
  /** How long a recording may wait for Egress (its `egress` fact, or Egress listing it) before it counts as lost. */
  graceMs?: number;
  /**
   * How long Egress may be silent (not answering, or no longer running a job the SFU still lists as active)
   * before its recordings count as lost (config recordings.egressLostSeconds).
   */
  lostAfterMs?: number;
  /** How far back unfinished recordings are looked for: longer than any class. */
  lookBackMs?: number;
  now?: () => Date;
}

export const RECONCILE_GRACE_MS = 120_000;
export const EGRESS_LOST_MS = 45_000;
const LOOK_BACK_MS = 26 * 60 * 60_000;
const BATCH = 500;

const DOWN = 'Egress stopped answering during the recording; what it wrote may be incomplete.';
const GONE = 'Egress stopped running this recording without a word (it was restarted or crashed).';

/**
 * Compares the recordings the tool has not seen finish with Egress's own list, and records what Egress
 * says: ended (with the file's duration and size), failed, or still running. A tool restarted mid-class
 * (its webhooks lost while it was down) finds its recordings again this way, also one whose start it never
 * heard the answer to (Egress's job names the recording: adopt); a recording Egress no longer knows, or
 * never started, is failed once the grace has passed; one whose class is over is stopped.
 *
 * An Egress that dies (killed, out of memory) sends no webhook and the SFU keeps listing its jobs as
 * active: so Egress's own word is asked too (`running`), and its recordings fail once it has not answered,
 * or not run them, for `lostAfterMs`. Those sightings are this process's memory: a pass under the lease
 * in another process starts its own count (a later pass here that finds its sighting stale does too).
 *
 * Facts are recorded once, so passes of two tool instances at once do no harm (they run under a lease only
 * to spare Egress the second list).
 */
export function createReconciler(deps: ReconcileDeps) {
  const log = deps.logger.child({ module: 'recordings' });
  const now = deps.now ?? (() => new Date());
  const graceMs = deps.graceMs ?? RECONCILE_GRACE_MS;
  const lostAfterMs = deps.lostAfterMs ?? EGRESS_LOST_MS;
  /** Since when something has been missing ('egress' down, or an Egress id not running), and when last seen so. */
  const missing = new Map<string, { since: number; last: number }>();

  /** True once `what` has been missing for lostAfterMs in passes no further apart than that. */
  const missingLong = (what: string): boolean => {
    const t = now().getTime();
    const seen = missing.get(what);
    const since = seen && t - seen.last <= 2 * lostAfterMs ? seen.since : t;
    missing.set(what, { since, last: t });
    return t - since >= lostAfterMs;
  };

  /** Egress's own list of running jobs: a set, undefined (it cannot tell), or 'down'. */
  const runningNow = async (): Promise<ReadonlySet<string> | undefined | 'down'> => {
    if (!deps.running) return undefined;
    try {
      return await deps.running();
    } catch {
      return 'down';
    }
  };

  const failAll = async (open: RecordingState[], error: string): Promise<number> => {
    let changed = 0;
    for (const state of open) {
      try {
        await deps.jobs.fail(state.recording, error);
        changed += 1;
      } catch (err) {
        log.warn({ err, recordingId: state.recording.recordingId }, 'recording not reconciled yet');
      }
    }
    return changed;
  };

  /** One open recording against the SFU's list and Egress's own; true when something was recorded. */
  const check = async (
    state: RecordingState,
    jobs: ReadonlyMap<string, RecordingInfo>,
    running: ReadonlySet<string> | undefined,
  ): Promise<boolean> => {
    const r = state.recording;
    const waited = now().getTime() - r.requestedAt.getTime() >= graceMs;
    let egressId = state.egressId;
    if (!egressId) {
      // The start's answer never stored: Egress's job for it, if any, names it.
      const named = [...jobs.values()].find((j) => j.ref === r.recordingId && j.room === r.roomKey);
      if (named) {
        await deps.jobs.adopt(r, named);
        egressId = named.egressId;
      } else {
        // An unanswered start that Egress has not listed within the grace: given up, saying how it went.
        const never = `The recorder never started this ${nounOf(r.kind)}.`;
        if (waited) await deps.jobs.fail(r, state.unanswered ? `${state.unanswered} ${never}` : never);
        return waited;
      }
    }
    const job = jobs.get(egressId);
    if (!job) {
      if (waited) await deps.jobs.fail(r, 'The recorder lost this recording (it is no longer running).');
      return waited;
    }
    let changed = (await deps.jobs.apply(r, job)) || egressId !== state.egressId;
    if (running && (job.status === 'starting' || job.status === 'active') && !running.has(egressId)) {
      if (!missingLong(egressId)) return changed;
      missing.delete(egressId);
      await deps.jobs.fail(r, GONE);
      return true;
    }
    missing.delete(egressId);
    const after = await deps.jobs.state(r);
    const session = await deps.rooms.latestClassSession(r.roomKey);
    if (isActive(after) && (!session || session.sessionId !== r.sessionId || session.endedAt)) {
      log.info({ roomKey: r.roomKey, recordingId: r.recordingId }, 'recording of an ended class stopped');
      await deps.jobs.halt(r);
      changed = true;
    }
    return changed;
  };

  return {
    async runOnce(): Promise<{ checked: number; changed: number }> {
      const since = new Date(now().getTime() - (deps.lookBackMs ?? LOOK_BACK_MS));
      const recent = await deps.store.requestedBetween(since, LATEST, BATCH);
      const facts = await deps.store.facts(recent.map((r) => r.recordingId));
      const open = recent.map((r) => stateOf(r, facts.get(r.recordingId) ?? [])).filter(isActive);
      if (open.length === 0) {
        missing.clear();
        return { checked: 0, changed: 0 };
      }
      const running = await runningNow();
      if (running === 'down') {
        if (!missingLong('egress')) return { checked: open.length, changed: 0 };
        log.warn({ open: open.length }, 'Egress not answering: its recordings count as lost');
        const changed = await failAll(open, DOWN);
        return { checked: open.length, changed };
      }
      missing.delete('egress');
      // The SFU not answering proves nothing: the pass fails and nothing is recorded.
      const jobs = new Map<string, RecordingInfo>((await deps.recorder.list()).map((j) => [j.egressId, j]));
      let changed = 0;
      for (const state of open) {
        try {
          if (await check(state, jobs, running)) changed += 1;
        } catch (err) {
          log.warn({ err, recordingId: state.recording.recordingId }, 'recording not reconciled yet');
        }
      }
      if (changed) log.info({ checked: open.length, changed }, 'recordings reconciled with Egress');
      return { checked: open.length, changed };
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
