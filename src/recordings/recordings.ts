import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { recordingOf, type ActivitySettings } from '../rooms/activity-settings.js';
import type { AuditStore } from '../rooms/audit-store.js';
import { identityIn } from '../rooms/room-owner.js';
import type { Member } from '../rooms/room-service.js';
import type { ClassSessionInfo, RoomRecord } from '../rooms/room-store.js';
import {
  nounOf,
  recordingIdOf,
  stateOf,
  type Recording,
  type RecordingKind,
  type RecordingState,
} from './recording.js';
import type { RecordingStore } from './recording-store.js';
import type { RecordingJobs } from './recording-jobs.js';
import { streamTargetOf, type StreamTargetInput } from './stream-target.js';
import { maskStreamUrl } from './stream-url.js';

/** Why recording cannot start here: not set up on this deployment, or the recorder is not answering. */
export type RecordingUnavailable = 'off' | 'unreachable';
export type Availability = { available: true } | { available: false; reason: RecordingUnavailable };

/** The most recordings (and, apart, streams) one class session can have: a runaway loop ends here. */
export const RECORDINGS_PER_SESSION = 50;

/** A recording or stream as the launcher shows it. */
export interface RecordingView {
  recordingId: string;
  kind: RecordingKind;
  status: RecordingState['status'];
  startedBy: 'auto' | 'leader';
  startedByName?: string;
  requestedAt: string;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  sizeBytes?: number;
  /** Streams: where it goes, the key masked. */
  target?: string;
  /** Failed: why, in the recorder's words (teachers only). */
  error?: string;
}

/** The room's recording as everyone in it (and on its pre-join page) sees it. */
export interface RoomRecording {
  available: boolean;
  /** Set when not available: the Record button says why. */
  reason?: RecordingUnavailable;
  /** The activity records by itself when the class starts. */
  auto: boolean;
  /** Leaders: the activity's default stream target, its key masked (Go live uses it when given no address). */
  streamTarget?: string;
  /** The live session's latest recording and stream, in any state (failed: "Recording stopped"). */
  file?: RecordingView;
  stream?: RecordingView;
}

export interface RecordingsDeps {
  store: RecordingStore;
  jobs: RecordingJobs;
  rooms: {
    ensureRoom(m: Member): Promise<RoomRecord>;
    latestClassSession(key: string): Promise<ClassSessionInfo | undefined>;
  };
  audit: AuditStore;
  /** The activity of a room (auto-record), or undefined when it has none. */
  settingsOf(room: RoomRecord): Promise<ActivitySettings | undefined>;
  availability(): Promise<Availability>;
  logger: Logger;
  now?: () => Date;
}

const ACTIVE = new Set<RecordingState['status']>(['starting', 'recording']);
export const isActive = (s: RecordingState): boolean => ACTIVE.has(s.status);

export function viewOf(s: RecordingState, forLeader: boolean): RecordingView {
  const r = s.recording;
  return {
    recordingId: r.recordingId,
    kind: r.kind,
    status: s.status,
    startedBy: r.startedBy.kind,
    ...(r.startedBy.kind === 'leader' ? { startedByName: r.startedBy.name } : {}),
    requestedAt: r.requestedAt.toISOString(),
    ...(s.startedAt ? { startedAt: s.startedAt.toISOString() } : {}),
    ...(s.endedAt ? { endedAt: s.endedAt.toISOString() } : {}),
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    ...(s.sizeBytes !== undefined ? { sizeBytes: s.sizeBytes } : {}),
    ...(r.target && forLeader ? { target: r.target } : {}),
    ...(s.error && forLeader ? { error: s.error } : {}),
  };
}

const WORDS = {
  file: { start: 'recording-start', stop: 'recording-stop' },
  stream: { start: 'stream-start', stop: 'stream-stop' },
} as const;

/**
 * Recording and live streaming in the class: leader actions (authorised and audited like lock and end),
 * the automatic recording at the class's start, and stopping everything when the class ends. One
 * recording and one stream at a time per class session; a failed one can be started again.
 */
export function createRecordings(deps: RecordingsDeps) {
  const log = deps.logger.child({ module: 'recordings' });
  const now = deps.now ?? (() => new Date());
  const { jobs } = deps;

  const statesOf = async (recordings: Recording[]): Promise<RecordingState[]> => {
    const facts = await deps.store.facts(recordings.map((r) => r.recordingId));
    return recordings.map((r) => stateOf(r, facts.get(r.recordingId) ?? []));
  };

  const leaderRoom = async (actor: Member) => {
    if (actor.role !== 'instructor')
      throw new AppError('FORBIDDEN', { message: 'Only teachers can record or stream the live class.' });
    return deps.rooms.ensureRoom(actor);
  };

  const liveSession = async (room: RoomRecord): Promise<ClassSessionInfo> => {
    const session = await deps.rooms.latestClassSession(room.key);
    if (room.state !== 'live' || !session || session.endedAt) throw new AppError('RECORDING_NO_CLASS');
    return session;
  };

  const requireAvailable = async () => {
    const a = await deps.availability();
    if (!a.available) throw new AppError(a.reason === 'off' ? 'RECORDING_OFF' : 'RECORDING_UNAVAILABLE');
  };

  const audit = (room: RoomRecord, actor: Member, action: string, target: string) =>
    deps.audit.append({
      roomKey: room.key,
      sessionId: room.currentSessionId,
      actor: identityIn(actor.owner, actor.userId),
      action,
      target,
      at: now(),
    });

  /** Inserts the session's next recording of `kind`; undefined when another writer took that slot. */
  const insertNext = async (
    room: RoomRecord,
    session: ClassSessionInfo,
    kind: RecordingKind,
    fields: Pick<Recording, 'startedBy' | 'audioOnly'> & { target?: string },
  ): Promise<Recording | undefined> => {
    const states = await statesOf(await deps.store.ofSession(session.sessionId));
    const ofKind = states.filter((s) => s.recording.kind === kind);
    if (ofKind.some(isActive)) return undefined;
    const seq = ofKind.length + 1;
    if (seq > RECORDINGS_PER_SESSION) throw new AppError('RECORDING_TOO_MANY');
    const recordingId = recordingIdOf(session.sessionId, kind, seq);
    const recording: Recording = {
      recordingId,
      kind,
      roomKey: room.key,
      sessionId: session.sessionId,
      seq,
      requestedAt: now(),
      ...fields,
      ...(kind === 'file' ? { fileName: `${recordingId}.mp4` } : {}),
    };
    return (await deps.store.create(recording)) ? recording : undefined;
  };

  const activeOf = async (sessionId: string, kind: RecordingKind): Promise<Recording | undefined> => {
    const states = await statesOf(await deps.store.ofSession(sessionId));
    return states.filter((s) => s.recording.kind === kind && isActive(s)).at(-1)?.recording;
  };

  return {
    /** A leader starts recording the class (kind 'file') or streaming it to `target` (kind 'stream'). */
    async start(actor: Member, kind: RecordingKind, target?: StreamTargetInput): Promise<RecordingView> {
      const room = await leaderRoom(actor);
      // Parsed before anything is stored: a bad address is refused with nothing recorded. Without one, the
      // activity's default target (a secret of its settings) if it has one.
      const classTarget = recordingOf(actor.settings).streamUrl;
      const given = target?.url?.trim() ? target : undefined;
      const stream =
        kind === 'stream' ? streamTargetOf(given ?? (classTarget ? { url: classTarget } : { url: '' })) : undefined;
      const session = await liveSession(room);
      await requireAvailable();
      const recording = await insertNext(room, session, kind, {
        startedBy: { kind: 'leader', identity: identityIn(actor.owner, actor.userId), name: actor.name },
        audioOnly: actor.settings.audioOnly,
        ...(stream ? { target: stream.masked } : {}),
      });
      if (!recording)
        throw new AppError(kind === 'file' ? 'RECORDING_ALREADY_ACTIVE' : 'RECORDING_STREAM_ALREADY_ACTIVE');
      await audit(room, actor, WORDS[kind].start, recording.recordingId);
      log.info(
        { roomKey: room.key, recordingId: recording.recordingId, ...(stream ? { target: stream.masked } : {}) },
        `${nounOf(kind)} requested`,
      );
      return viewOf(await jobs.launch(recording, stream?.secretUrl), true);
    },

    async stop(actor: Member, kind: RecordingKind): Promise<RecordingView> {
      const room = await leaderRoom(actor);
      const session = await deps.rooms.latestClassSession(room.key);
      const recording = session ? await activeOf(session.sessionId, kind) : undefined;
      if (!recording) throw new AppError(kind === 'file' ? 'RECORDING_NOT_ACTIVE' : 'RECORDING_STREAM_NOT_ACTIVE');
      await audit(room, actor, WORDS[kind].stop, recording.recordingId);
      return viewOf(await jobs.halt(recording), true);
    },

    /** What the launcher shows of the room's recording (GET /api/room, /api/me, GET /api/room/recording). */
    async statusOf(room: RoomRecord, forLeader: boolean, settings?: ActivitySettings): Promise<RoomRecording> {
      const [availability, session] = await Promise.all([
        deps.availability(),
        room.currentSessionId ? deps.rooms.latestClassSession(room.key) : undefined,
      ]);
      const live = room.state === 'live' && session && !session.endedAt ? session : undefined;
      const states = live ? await statesOf(await deps.store.ofSession(live.sessionId)) : [];
      const latest = (kind: RecordingKind) => states.filter((s) => s.recording.kind === kind).at(-1);
      const file = latest('file');
      const stream = latest('stream');
      return {
        available: availability.available,
        ...(availability.available ? {} : { reason: availability.reason }),
        auto: settings ? recordingOf(settings).auto : false,
        ...(forLeader && settings?.recording?.streamUrl
          ? { streamTarget: maskStreamUrl(settings.recording.streamUrl) }
          : {}),
        ...(file ? { file: viewOf(file, forLeader) } : {}),
        ...(stream ? { stream: viewOf(stream, forLeader) } : {}),
      };
    },

    /**
     * The class started (its first join): an activity that records by itself starts its first recording.
     * The insert is the session's 1st recording, so of two tool instances (or a redelivered webhook) one
     * records. Egress is asked in the background: the webhook is not held while it starts.
     */
    async autoStart(room: RoomRecord, sessionId: string): Promise<Recording | undefined> {
      const settings = await deps.settingsOf(room);
      if (!settings || !recordingOf(settings).auto) return undefined;
      const session = await deps.rooms.latestClassSession(room.key);
      if (!session || session.sessionId !== sessionId || session.endedAt) return undefined;
      if ((await deps.store.ofSession(sessionId)).some((r) => r.kind === 'file')) return undefined;
      const availability = await deps.availability();
      if (!availability.available) {
        log.warn({ roomKey: room.key, reason: availability.reason }, 'automatic recording not started');
        return undefined;
      }
      const recording = await insertNext(room, session, 'file', {
        startedBy: { kind: 'auto' },
        audioOnly: settings.audioOnly,
      });
      if (!recording) return undefined;
      log.info({ roomKey: room.key, recordingId: recording.recordingId }, 'automatic recording requested');
      return recording;
    },

    /** The class ended (a leader's end, room_finished, the sweeper): its recordings and streams stop. */
    async classEnded(roomKey: string, sessionId: string): Promise<void> {
      const states = await statesOf(await deps.store.ofSession(sessionId));
      for (const s of states.filter(isActive)) {
        try {
          await jobs.halt(s.recording);
        } catch (err) {
          // The reconcile pass finishes it from what Egress says.
          log.warn({ err, roomKey, recordingId: s.recording.recordingId }, 'recording not stopped at class end');
        }
      }
    },
  };
}

export type Recordings = ReturnType<typeof createRecordings>;
