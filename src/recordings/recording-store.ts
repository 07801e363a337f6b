import type { RecordingPublication } from './recording-publication.js';
import type { Recording, RecordingFact } from './recording.js';

/**
 * Recordings and live streams with what happened to them, as insert-only facts: the store's updates are not
 * atomic, its unique inserts are (STORE.md).
 */
export interface RecordingStore {
  /** Inserts the recording under its natural id; false when that id (the session's seq-th) exists. */
  create(recording: Recording): Promise<boolean>;
  get(recordingId: string): Promise<Recording | undefined>;
  /** A session's recordings and streams, in the order they were asked for. */
  ofSession(sessionId: string): Promise<Recording[]>;
  /** A room's recordings and streams, newest first. */
  ofRoom(roomKey: string): Promise<Recording[]>;
  /** The recording an Egress job is for (its `egress` fact), for Egress's webhooks. */
  byEgress(egressId: string): Promise<Recording | undefined>;
  /** Records a fact once; false when one of its kind exists for that recording. */
  mark(fact: RecordingFact): Promise<boolean>;
  facts(recordingIds: readonly string[]): Promise<Map<string, RecordingFact[]>>;
  /**
   * Asked for at or after `from` and before `before`, oldest first, at most `limit`: retention walks these in
   * pages, the reconcile pass the recent ones (before: LATEST).
   */
  requestedBetween(from: Date, before: Date, limit: number): Promise<Recording[]>;
  /** Records the seq-th publish or unpublish of a recording once; false when that seq exists (another's). */
  publish(publication: RecordingPublication): Promise<boolean>;
  /** The latest publication of each of these recordings that has one. */
  publications(recordingIds: readonly string[]): Promise<Map<string, RecordingPublication>>;
  /** Forgets the recording, its facts and publications (after its file is gone and the deletion audited). */
  remove(recordingId: string): Promise<void>;
}

/**
 * Work on one recording that only one process should do at a time (retention's deletion): a lease taken by
 * inserting it (src/db/leases.ts). One that expired (its holder crashed) is taken over by the next try.
 */
export interface RecordingClaims {
  /** True when `holder` holds `job` on the recording (now until `until`, or still); false while another does. */
  claim(job: string, recordingId: string, now: Date, until: Date, holder: string): Promise<boolean>;
}

/** The latest instant a Date holds: "no upper bound" for requestedBetween. */
export const LATEST = new Date(8.64e15);
