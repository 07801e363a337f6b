/**
 * A recording of a class session, or a live stream of it out to an RTMP(S) server. One Egress job each. It is
 * inserted once under its natural id (the session's seq-th of its kind) and never changed: what happens to it
 * afterwards (Egress's id, active, ended, failed, deleted, …) is a fact of its own (RecordingFact).
 */
export type RecordingKind = 'file' | 'stream';

/** The word for a recording of `kind` in logs and sentences. */
export const nounOf = (kind: RecordingKind): 'recording' | 'stream' => (kind === 'file' ? 'recording' : 'stream');

export type RecordingStarter = { kind: 'leader'; identity: string; name: string } | { kind: 'auto' };

export interface Recording {
  /** recordingIdOf(sessionId, kind, seq). */
  recordingId: string;
  kind: RecordingKind;
  roomKey: string;
  sessionId: string;
  /** Counts this kind within the session from 1: of two leaders starting at once, one gets the slot. */
  seq: number;
  startedBy: RecordingStarter;
  /** The class has no cameras (an audio-only activity): the file is sound only. */
  audioOnly: boolean;
  requestedAt: Date;
  /** Files: the file's name inside the recordings folder, chosen before Egress starts. */
  fileName?: string;
  /** Streams: where it goes, with the stream key masked (the key itself is never stored here). */
  target?: string;
}

/**
 * What happened to a recording, each kind at most once per recording (a repeated or concurrent one records
 * nothing): `egress` when Egress accepted the job (carries its id), `unanswered` when the start got no answer
 * (timed out, the connection dropped, the SFU answered 5xx: Egress may be running it all the same, so it
 * stays starting until Egress's list or webhook says), `active` when it began writing, `ended` when the file
 * is complete (duration and size), `failed` when Egress gave up or vanished, `deleted` when the file was
 * removed (by a teacher, the API or retention).
 */
export type RecordingFactKind = 'egress' | 'unanswered' | 'active' | 'ended' | 'failed' | 'deleted';

export interface RecordingFact {
  recordingId: string;
  kind: RecordingFactKind;
  at: Date;
  egressId?: string;
  durationMs?: number;
  sizeBytes?: number;
  /** `failed`: Egress's reason, in its words; `unanswered`: how the start went unanswered, in the tool's. */
  error?: string;
  /** `deleted`: who deleted it (an identity, an API key id, or 'retention'). */
  by?: string;
}

/** starting → recording → ready, or failed; deleted wins over all of them. */
export type RecordingStatus = 'starting' | 'recording' | 'ready' | 'failed' | 'deleted';

export const recordingIdOf = (sessionId: string, kind: RecordingKind, seq: number): string =>
  `${sessionId}.${kind === 'file' ? 'r' : 's'}${seq}`;

const find = (facts: readonly RecordingFact[], kind: RecordingFactKind) => facts.find((f) => f.kind === kind);

export function statusOf(facts: readonly RecordingFact[]): RecordingStatus {
  if (find(facts, 'deleted')) return 'deleted';
  if (find(facts, 'failed')) return 'failed';
  if (find(facts, 'ended')) return 'ready';
  if (find(facts, 'active')) return 'recording';
  return 'starting';
}

/** A recording as its facts make it: when it started and ended, how long and large it is. */
export interface RecordingState {
  recording: Recording;
  status: RecordingStatus;
  egressId?: string;
  startedAt?: Date;
  endedAt?: Date;
  durationMs?: number;
  sizeBytes?: number;
  error?: string;
  /** Its start went unanswered (how, in a sentence) and Egress has not been seen running it yet. */
  unanswered?: string;
}

export function stateOf(recording: Recording, facts: readonly RecordingFact[]): RecordingState {
  const ended = find(facts, 'ended') ?? find(facts, 'failed');
  return {
    recording,
    status: statusOf(facts),
    egressId: find(facts, 'egress')?.egressId,
    startedAt: find(facts, 'active')?.at,
    endedAt: ended?.at,
    durationMs: find(facts, 'ended')?.durationMs,
    sizeBytes: find(facts, 'ended')?.sizeBytes,
    error: find(facts, 'failed')?.error,
    ...(find(facts, 'unanswered') && !find(facts, 'egress') ? { unanswered: find(facts, 'unanswered')?.error } : {}),
  };
}
