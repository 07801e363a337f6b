import { randomUUID } from 'node:crypto';
import { createPoller } from '../jobs/poller.js';
import type { Logger } from '../log.js';
import type { ActivitySettings } from '../rooms/activity-settings.js';
import type { RecordingLibrary } from './recording-library.js';
import type { RecordingClaims, RecordingStore } from './recording-store.js';
import { statusOf, type Recording } from './recording.js';

const DAY_MS = 24 * 60 * 60_000;
/** No activity keeps recordings less than a day (activity setting recording.retentionDays, minimum 1). */
const MIN_RETENTION_MS = DAY_MS;
/** A class lasts at most a day: a recording still "recording" after this never got its end from Egress. */
const LONGEST_RECORDING_MS = 25 * 60 * 60_000;
const PAGE = 200;
/** How long one process holds a recording it is deleting. */
const CLAIM_MS = 60_000;
const JOB = 'retention';

export interface RecordingRetentionDeps {
  store: Pick<RecordingStore, 'requestedBetween' | 'facts' | 'remove'>;
  claims: RecordingClaims;
  library: Pick<RecordingLibrary, 'erase' | 'retentionDaysOf'>;
  /** The activity of a room (its recording.retentionDays), undefined when the room or activity is gone. */
  settingsOf: (roomKey: string) => Promise<ActivitySettings | undefined>;
  /** The deployment's recordings.retentionDays (for rooms whose activity is gone). */
  retentionDays: number;
  pollMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Deletes recordings past their retention: the deployment's recordings.retentionDays, or the activity's
 * shorter recording.retentionDays. Each one is taken with a lease (src/db/leases.ts), so two tool processes
 * share the work instead of doing it twice, then its file is deleted, the deletion recorded and audited as
 * 'retention' (the library's erase) and the record removed last. Every step is safe to redo: a crash
 * between deleting the file and removing the record leaves a recording still past its time, which the next
 * pass (here or in another process, once the lease has run out) finishes.
 */
export function createRecordingRetention(deps: RecordingRetentionDeps) {
  const log = deps.logger.child({ module: 'recording-retention' });
  const now = deps.now ?? (() => new Date());
  const holder = randomUUID();

  const removeOne = async (recording: Recording, at: Date): Promise<boolean> => {
    if (!(await deps.claims.claim(JOB, recording.recordingId, at, new Date(at.getTime() + CLAIM_MS), holder)))
      return false;
    await deps.library.erase(recording, 'retention', at);
    await deps.store.remove(recording.recordingId);
    log.info(
      { recordingId: recording.recordingId, roomKey: recording.roomKey, requestedAt: recording.requestedAt },
      'recording deleted: past its retention',
    );
    return true;
  };

  /** One walk over every recording old enough to be due somewhere, oldest first; answers how many went. */
  const runOnce = async (): Promise<number> => {
    const at = now();
    const before = new Date(at.getTime() - MIN_RETENTION_MS);
    const daysOf = new Map<string, Promise<number>>();
    const retentionOf = (roomKey: string) => {
      let days = daysOf.get(roomKey);
      if (!days) {
        days = deps
          .settingsOf(roomKey)
          .then((settings) => (settings ? deps.library.retentionDaysOf(settings) : deps.retentionDays));
        daysOf.set(roomKey, days);
      }
      return days;
    };
    const seen = new Set<string>();
    let removed = 0;
    for (let from = new Date(0); ;) {
      const batch = await deps.store.requestedBetween(from, before, PAGE);
      // Pages overlap by their first instant (`from` is inclusive): what the last one handled is skipped.
      const page = batch.filter((r) => !seen.has(r.recordingId));
      const facts = await deps.store.facts(page.map((r) => r.recordingId));
      for (const recording of page) {
        seen.add(recording.recordingId);
        const age = at.getTime() - recording.requestedAt.getTime();
        if (age < (await retentionOf(recording.roomKey)) * DAY_MS) continue;
        // Egress may still be writing it: the recording's own end (or its failure) comes first.
        const status = statusOf(facts.get(recording.recordingId) ?? []);
        if (status === 'recording' && age < LONGEST_RECORDING_MS) continue;
        try {
          if (await removeOne(recording, at)) removed += 1;
        } catch (err) {
          log.warn({ err, recordingId: recording.recordingId }, 'recording not deleted yet; the next pass tries again');
        }
      }
      const last = batch.at(-1);
      // A full page that is all one instant would be read again forever: the rest waits for the next pass.
      if (batch.length < PAGE || !last || last.requestedAt.getTime() === from.getTime()) break;
      from = last.requestedAt;
    }
    return removed;
  };

  const poller = createPoller(runOnce, { pollMs: deps.pollMs, log, what: 'recording retention' });
  return { runOnce, start: () => poller.start(), stop: () => poller.stop() };
}
