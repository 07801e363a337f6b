import type { RecorderGateway, RecordingInfo } from '../livekit/recorder.js';
import type { Logger } from '../log.js';
import type { ClassSessionInfo } from '../rooms/room-store.js';
import { stateOf } from './recording.js';
import { LATEST, type RecordingStore } from './recording-store.js';
import type { RecordingJobs } from './recording-jobs.js';
import { isActive } from './recordings.js';

export interface ReconcileDeps {
  store: RecordingStore;
  jobs: RecordingJobs;
  recorder: RecorderGateway;
  rooms: { latestClassSession(key: string): Promise<ClassSessionInfo | undefined> };
  logger: Logger;
  /** How long a recording may wait for Egress (its `egress` fact, or Egress listing it) before it counts as lost. */
  graceMs?: number;
  /** How far back unfinished recordings are looked for: longer than any class. */
  lookBackMs?: number;
  now?: () => Date;
}

export const RECONCILE_GRACE_MS = 120_000;
const LOOK_BACK_MS = 26 * 60 * 60_000;
const BATCH = 500;

/**
 * Compares the recordings the tool has not seen finish with Egress's own list, and records what Egress
 * says: ended (with the file's duration and size), failed, or still running. A tool restarted mid-class
 * (its webhooks lost while it was down) finds its recordings again this way; a recording Egress no longer
 * knows, or never started, is failed once the grace has passed; one whose class is over is stopped.
 * Facts are recorded once, so passes of two tool instances at once do no harm (they run under a lease only
 * to spare Egress the second list).
 */
export function createReconciler(deps: ReconcileDeps) {
  const log = deps.logger.child({ module: 'recordings' });
  const now = deps.now ?? (() => new Date());
  const graceMs = deps.graceMs ?? RECONCILE_GRACE_MS;

  return {
    async runOnce(): Promise<{ checked: number; changed: number }> {
      const since = new Date(now().getTime() - (deps.lookBackMs ?? LOOK_BACK_MS));
      const recent = await deps.store.requestedBetween(since, LATEST, BATCH);
      const facts = await deps.store.facts(recent.map((r) => r.recordingId));
      const open = recent.map((r) => stateOf(r, facts.get(r.recordingId) ?? [])).filter(isActive);
      if (open.length === 0) return { checked: 0, changed: 0 };
      // Egress not answering proves nothing: the pass fails and nothing is recorded.
      const jobs = new Map<string, RecordingInfo>((await deps.recorder.list()).map((j) => [j.egressId, j]));
      let changed = 0;
      for (const state of open) {
        const r = state.recording;
        const waited = now().getTime() - r.requestedAt.getTime() >= graceMs;
        try {
          if (!state.egressId) {
            if (waited) {
              await deps.jobs.fail(r, 'The recorder never started this recording.');
              changed += 1;
            }
            continue;
          }
          const job = jobs.get(state.egressId);
          if (!job) {
            if (waited) {
              await deps.jobs.fail(r, 'The recorder lost this recording (it is no longer running).');
              changed += 1;
            }
            continue;
          }
          if (await deps.jobs.apply(r, job)) changed += 1;
          const after = await deps.jobs.state(r);
          const session = await deps.rooms.latestClassSession(r.roomKey);
          if (isActive(after) && (!session || session.sessionId !== r.sessionId || session.endedAt)) {
            log.info({ roomKey: r.roomKey, recordingId: r.recordingId }, 'recording of an ended class stopped');
            await deps.jobs.halt(r);
            changed += 1;
          }
        } catch (err) {
          log.warn({ err, recordingId: r.recordingId }, 'recording not reconciled yet');
        }
      }
      if (changed) log.info({ checked: open.length, changed }, 'recordings reconciled with Egress');
      return { checked: open.length, changed };
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
