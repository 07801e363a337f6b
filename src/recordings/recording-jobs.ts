import { AppError } from '../errors.js';
import type { FileTarget, RecorderGateway, RecordingInfo } from '../livekit/recorder.js';
import type { Logger } from '../log.js';
import type { RoomRecord } from '../rooms/room-store.js';
import { nounOf, stateOf, type Recording, type RecordingFact, type RecordingState } from './recording.js';
import type { RecordingStore } from './recording-store.js';

/** The data topic of the tool's recording pushes ("the recording state changed: fetch it"). */
export const RECORDING_TOPIC = 'recording';
export type RecordingTopic = typeof RECORDING_TOPIC;
export interface RecordingPush {
  type: 'changed';
  kind: Recording['kind'];
  recordingId: string;
}

/** What integrators hear of (integrator webhooks `recording.*` and `livestream.*`). */
export interface RecordingEvent {
  type: 'recording.started' | 'recording.ended' | 'livestream.started' | 'livestream.ended';
  state: RecordingState;
  room: RoomRecord;
}

export interface RecordingJobsDeps {
  store: RecordingStore;
  /** Absent where recording is not set up (config `recordings.enabled`). */
  recorder?: RecorderGateway;
  rooms: { get(key: string): Promise<RoomRecord | undefined> };
  /** Where Egress writes a file of this name: its folder, or the bucket (src/recordings/recording-files.ts). */
  outputOf(fileName: string): FileTarget;
  /** The tool's /recorder page, which Egress's Chromium renders. */
  templateUrl: string;
  /** Tells the room's clients to fetch the recording state again (logged, never thrown). */
  push(roomKey: string, payload: RecordingPush): Promise<void>;
  /** Awaited: integrator webhooks are queued before Egress's webhook is acknowledged. Must be idempotent. */
  onEvent?: (event: RecordingEvent) => Promise<void>;
  /**
   * How long a start waits for Egress's answer (config recordings.startTimeoutMs). After it the recording stays
   * starting and Egress's list or webhook decides; the call itself is not hung up on.
   */
  startTimeoutMs?: number;
  logger: Logger;
  now?: () => Date;
}

export const START_TIMEOUT_MS = 15_000;

/** How a start went unanswered, as a teacher reads it (LIVEKIT_NO_ANSWER's `details.why`). */
const UNANSWERED: Readonly<Record<string, string>> = {
  timeout: 'The recorder did not answer the start in time.',
  connection: 'The connection to the recorder dropped before it answered the start.',
  'server-error': 'The media server answered the start with a server error.',
};

/** Why Egress clearly refused a start (nothing runs): a sentence for the teacher, never the SFU's words. */
function refusalOf(cause: AppError, what: string): string {
  const code = cause.code;
  if (code === 'LIVEKIT_EGRESS_UNAVAILABLE' && cause.details?.why === 'not-connected')
    return `The recorder is not answering, so this ${what} cannot start. Try again later; if it lasts, tell your LMS admin.`;
  if (code === 'LIVEKIT_EGRESS_UNAVAILABLE') return `No recorder was free to take this ${what}. Try again in a moment.`;
  if (code === 'LIVEKIT_UNAVAILABLE') return `The class server could not be reached to start the ${what}.`;
  return `The recorder refused to start this ${what}.`;
}

/** The start's answer, or `late` once `ms` passed; an answer after that is only logged (`onLate`). */
async function within<T>(call: Promise<T>, ms: number, onLate: (outcome: T | Error) => void): Promise<T | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const first = await Promise.race([call, late]);
    if (first === 'late') call.then(onLate, (err: Error) => onLate(err));
    return first;
  } finally {
    clearTimeout(timer);
  }
}

const STARTED = new Set(['active', 'ending', 'complete', 'limit_reached']);
const isOpen = (s: RecordingState) => s.status === 'starting' || s.status === 'recording';
const msBetween = (a?: Date, b?: Date) => (a && b ? Math.max(0, b.getTime() - a.getTime()) : undefined);

/** Egress's words for a job that did not finish; the tool's sentence when it gave none. */
function failureOf(info: RecordingInfo): string {
  if (info.error) return info.error;
  return info.status === 'aborted' ? 'The recorder aborted the recording.' : 'The recorder stopped with an error.';
}

/**
 * What the tool does with Egress for one recording or stream, shared by the leader's actions, the
 * webhooks and the reconcile pass: start its job, stop it, and turn what Egress says about it into facts
 * (each kind once, so a webhook delivered twice, or a webhook and a reconcile pass, record it once).
 */
export function createRecordingJobs(deps: RecordingJobsDeps) {
  const log = deps.logger.child({ module: 'recordings' });
  const now = deps.now ?? (() => new Date());

  const state = async (recording: Recording): Promise<RecordingState> =>
    stateOf(recording, (await deps.store.facts([recording.recordingId])).get(recording.recordingId) ?? []);

  const mark = (recording: Recording, fact: Omit<RecordingFact, 'recordingId'>) =>
    deps.store.mark({ recordingId: recording.recordingId, ...fact });

  /** The integrator events a recording's facts make (idempotent: the outbox is keyed by recording and type). */
  const announce = async (s: RecordingState): Promise<void> => {
    if (!deps.onEvent) return;
    const room = await deps.rooms.get(s.recording.roomKey);
    if (!room) return;
    const file = s.recording.kind === 'file';
    if (s.startedAt) await deps.onEvent({ type: file ? 'recording.started' : 'livestream.started', state: s, room });
    if (s.status === 'ready' || s.status === 'failed')
      await deps.onEvent({ type: file ? 'recording.ended' : 'livestream.ended', state: s, room });
  };

  const pushChanged = (recording: Recording) =>
    deps.push(recording.roomKey, { type: 'changed', kind: recording.kind, recordingId: recording.recordingId });

  /** Records what Egress says of the job; true when that told the tool something new. */
  const apply = async (recording: Recording, info: RecordingInfo): Promise<boolean> => {
    let fresh = false;
    if (STARTED.has(info.status) || info.startedAt) {
      fresh = (await mark(recording, { kind: 'active', at: info.startedAt ?? now() })) || fresh;
    }
    if (info.status === 'complete' || info.status === 'limit_reached') {
      const file = info.files[0];
      const endedAt = info.endedAt ?? now();
      fresh =
        (await mark(recording, {
          kind: 'ended',
          at: endedAt,
          durationMs: file?.durationMs || msBetween(info.startedAt, endedAt),
          ...(recording.kind === 'file' ? { sizeBytes: file?.sizeBytes ?? 0 } : {}),
        })) || fresh;
    } else if (info.status === 'failed' || info.status === 'aborted') {
      fresh = (await mark(recording, { kind: 'failed', at: info.endedAt ?? now(), error: failureOf(info) })) || fresh;
    }
    const s = await state(recording);
    if (fresh) {
      log.info(
        { roomKey: recording.roomKey, recordingId: recording.recordingId, status: s.status },
        `${nounOf(recording.kind)} ${s.status}`,
      );
      await pushChanged(recording);
    }
    await announce(s);
    return fresh;
  };

  /** A recording Egress never ran, or lost: failed, with a sentence for the teacher. */
  const fail = async (recording: Recording, error: string): Promise<void> => {
    if (await mark(recording, { kind: 'failed', at: now(), error })) {
      log.warn({ roomKey: recording.roomKey, recordingId: recording.recordingId, error }, 'recording failed');
      await pushChanged(recording);
    }
    await announce(await state(recording));
  };

  /** Egress's current word on one job, if it still knows it. */
  const lookup = async (roomKey: string, egressId: string): Promise<RecordingInfo | undefined> =>
    (await deps.recorder?.list(roomKey))?.find((j) => j.egressId === egressId);

  const targetOf = (recording: Recording) => deps.outputOf(recording.fileName ?? `${recording.recordingId}.mp4`);

  /**
   * Takes a job Egress runs for this recording (its ref names it) as the recording's, though the tool never
   * stored Egress's answer: the start went unanswered, the tool stopped while Egress started it, or its
   * egress_started came first. True when that was new. The `egress` fact is recorded once, so the start's own
   * answer, a webhook and a reconcile pass agree. A job that turns up for a recording already given up (Stop
   * pressed before Egress listed it) is stopped: nobody sees it, so it must not record on until the class ends.
   */
  const adopt = async (recording: Recording, info: RecordingInfo): Promise<boolean> => {
    if (info.ref !== recording.recordingId || info.room !== recording.roomKey) return false;
    const before = await state(recording);
    const fresh = await mark(recording, { kind: 'egress', at: now(), egressId: info.egressId });
    if (fresh)
      log.info(
        { roomKey: recording.roomKey, recordingId: recording.recordingId, egressId: info.egressId },
        `${nounOf(recording.kind)} found in Egress`,
      );
    await apply(recording, info);
    if (fresh && !isOpen(before) && (info.status === 'starting' || info.status === 'active')) {
      log.info(
        { roomKey: recording.roomKey, recordingId: recording.recordingId },
        'job of a given-up recording stopped',
      );
      await deps.recorder
        ?.stop(info.egressId)
        .catch((err: unknown) => log.warn({ err, recordingId: recording.recordingId }, 'Egress did not stop'));
    }
    return fresh;
  };

  /**
   * A start that got no answer: Egress may run the job all the same (it names the recording), so the
   * recording stays starting, with how it went unanswered kept, until Egress's list or webhook shows the job
   * (adopt) or the reconcile pass gives it up after its grace. A second Record meanwhile finds it active.
   */
  const unanswered = async (recording: Recording, why: string, cause?: unknown): Promise<RecordingState> => {
    const listed = await deps.recorder?.list(recording.roomKey).then(
      () => undefined,
      (err: AppError) => err,
    );
    // The SFU has no Egress to run it: nothing started, so the teacher is told now, not after the grace.
    if (listed?.details?.why === 'not-connected') return refused(recording, listed);
    const reason = UNANSWERED[why] ?? UNANSWERED.timeout;
    log.warn(
      { err: cause, roomKey: recording.roomKey, recordingId: recording.recordingId, why },
      `${nounOf(recording.kind)} start unanswered: left to Egress's list`,
    );
    await mark(recording, { kind: 'unanswered', at: now(), error: reason });
    await pushChanged(recording);
    return state(recording);
  };

  /** A start Egress clearly refused (nothing runs): failed with a sentence for the teacher. */
  const refused = async (recording: Recording, cause: AppError): Promise<never> => {
    // Never the cause's text to the room: it can carry the SFU's internals (a stream's URL, never: the
    // gateway's errors do not include requests).
    log.warn({ err: cause, roomKey: recording.roomKey, recordingId: recording.recordingId }, 'Egress refused');
    const reason = refusalOf(cause, nounOf(recording.kind));
    await fail(recording, reason);
    throw new AppError('RECORDING_UNAVAILABLE', { cause, message: reason });
  };

  return {
    state,
    apply,
    adopt,
    fail,
    lookup,
    pushChanged,
    targetOf,

    /**
     * Starts Egress's job for a recording just inserted. Egress's first webhooks can arrive before its answer
     * (they find no `egress` fact yet and record nothing): what they said is read back once the fact is in.
     */
    async launch(recording: Recording, secretUrl?: string): Promise<RecordingState> {
      const recorder = deps.recorder;
      if (!recorder) {
        await fail(recording, 'Recording is not set up on this server.');
        throw new AppError('RECORDING_OFF');
      }
      // The recording's id goes with the job, so that a job whose answer is lost here is found (adopt).
      const options = { templateUrl: deps.templateUrl, audioOnly: recording.audioOnly, ref: recording.recordingId };
      const call =
        recording.kind === 'file'
          ? recorder.recordRoom(recording.roomKey, targetOf(recording), options)
          : recorder.streamRoom(recording.roomKey, [secretUrl ?? ''], options);
      let info: RecordingInfo | 'late';
      try {
        // A late answer is not used: Egress's list and webhooks decide, as for any answer lost.
        info = await within(call, deps.startTimeoutMs ?? START_TIMEOUT_MS, (late) =>
          log.info(
            { recordingId: recording.recordingId, answer: late instanceof Error ? (late as AppError).code : 'ok' },
            'Egress answered the start after the tool stopped waiting',
          ),
        );
      } catch (cause) {
        const code = (cause as AppError).code;
        if (code === 'LIVEKIT_NO_ANSWER')
          return unanswered(recording, String((cause as AppError).details?.why ?? 'timeout'), cause);
        return refused(recording, cause as AppError);
      }
      if (info === 'late') return unanswered(recording, 'timeout');
      await mark(recording, { kind: 'egress', at: now(), egressId: info.egressId });
      await apply(recording, (await lookup(recording.roomKey, info.egressId).catch(() => undefined)) ?? info);
      await pushChanged(recording);
      return state(recording);
    },

    /** Asks Egress to stop; the `ended` fact follows from its egress_ended webhook (or the reconcile pass). */
    async halt(recording: Recording): Promise<RecordingState> {
      let s = await state(recording);
      if (!isOpen(s)) return s;
      if (s.unanswered) {
        // An unanswered start's job may be in Egress's list already: stopped as the recording's.
        const named = (await deps.recorder?.list(recording.roomKey).catch(() => undefined))?.find(
          (j) => j.ref === recording.recordingId,
        );
        if (named) await adopt(recording, named);
        s = await state(recording);
        if (!isOpen(s)) return s;
      }
      if (!s.egressId) {
        await fail(recording, 'Stopped before the recorder started.');
        return state(recording);
      }
      let info: RecordingInfo | undefined;
      try {
        info = await (deps.recorder as RecorderGateway).stop(s.egressId);
      } catch (err) {
        log.warn({ err, roomKey: recording.roomKey, recordingId: recording.recordingId }, 'Egress did not stop');
        // Egress refuses to stop a job that already ended: what it lists of the job is the truth.
        info = await lookup(recording.roomKey, s.egressId).catch(() => undefined);
        if (!info && (err as AppError).code === 'LIVEKIT_NOT_FOUND') {
          await fail(recording, 'The recorder no longer had this recording.');
          return state(recording);
        }
        if (!info || info.status === 'starting' || info.status === 'active') {
          // Neither stoppable nor ending: Egress is gone with its job. Given up, so that the class is not
          // left unable to record again (a complete file reported later stays failed).
          await fail(recording, 'The recorder did not answer when asked to stop; the recording may be incomplete.');
          return state(recording);
        }
      }
      await apply(recording, info);
      return state(recording);
    },
  };
}

export type RecordingJobs = ReturnType<typeof createRecordingJobs>;
