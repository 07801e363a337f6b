/**
 * A teacher publishing or taking back a recording (for an activity whose recordings are watched once
 * published). Each change is a new document, the recording's seq-th, inserted once and never changed: of two
 * teachers toggling at once one gets the seq, the other reads again (STORE.md: unique inserts only). The
 * latest seq is the recording's state; none at all means not published.
 */
export interface RecordingPublication {
  recordingId: string;
  /** Counts the recording's changes from 1. */
  seq: number;
  published: boolean;
  /** Who changed it: a participant identity, or `key:<apiKeyId>` for the integrator API. */
  by: string;
  at: Date;
}

export const isPublished = (latest: RecordingPublication | undefined): boolean => latest?.published ?? false;
