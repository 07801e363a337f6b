import { livekitApiUrl, type AppConfig } from '../config.js';
import { createActivityStore } from '../db/activity-store.js';
import { createAttendanceStore } from '../db/attendance-store.js';
import { createGradeJobStore } from '../db/grade-job-store.js';
import { createGradeTargetStore } from '../db/grade-target-store.js';
import { createLineItemStore } from '../db/line-item-store.js';
import { createGradeSync } from '../attendance/grade-sync.js';
import { createAgsClient } from '../lti/ags.js';
import { createApiKeyStore } from '../db/api-key-store.js';
import type { Database } from '../db/connection.js';
import { createPlatformService } from '../db/platform-store.js';
import { createAuditStore } from '../db/audit-store.js';
import { createVideoRoomStore } from '../db/video-room-store.js';
import { createRoomStore } from '../db/room-store.js';
import { createRosterStore } from '../db/roster-store.js';
import { createSessionStore } from '../db/launch-session-store.js';
import { revocableSessions, sessionOwnerCheck } from '../http/session-revocation.js';
import { createApiKeyService } from '../integrations/api-keys.js';
import { createLiveKitGateway } from '../livekit/livekit-gateway.js';
import type { Logger } from '../log.js';
import { setupLtiProvider } from '../lti/provider.js';
import { createRosterService } from '../lti/roster.js';
import { createRoomControls } from '../rooms/room-controls.js';
import { type ControlEvent } from '../rooms/room-actions.js';
import { createRoomEviction } from '../rooms/room-eviction.js';
import { createRoomService } from '../rooms/room-service.js';
import { createWaitlistStore } from '../db/waitlist-store.js';
import { createBreakoutStore } from '../db/breakout-store.js';
import { createBreakouts } from '../rooms/breakouts.js';
import { createRecordingStore } from '../db/recording-store.js';
import { createLiveKitRecorder } from '../livekit/livekit-recorder.js';
import { createAvailability } from '../recordings/availability.js';
import { createRecordingJobs, RECORDING_TOPIC, type RecordingEvent } from '../recordings/recording-jobs.js';
import { createRecordings } from '../recordings/recordings.js';
import { openRecordingsFolder, type RecordingFiles } from '../recordings/recording-files.js';
import { openRecordingBucket } from '../s3/recording-bucket.js';
import { namespaceOf } from '../rooms/room-owner.js';

export interface ServiceContext {
  config: Readonly<AppConfig>;
  logger: Logger;
  db: Database;
}

/**
 * The services several modules share, built once: who is registered (platforms, API keys), who is
 * launched (launch sessions, revocable by their owner), the classes (activities) and their rooms on the SFU.
 */
export async function createServices({ config, logger, db }: ServiceContext) {
  const livekit = createLiveKitGateway({
    apiUrl: livekitApiUrl(config),
    apiKey: config.livekit.apiKey,
    apiSecret: config.livekit.apiSecret,
    requestTimeoutMs: config.livekit.requestTimeoutMs,
  });
  const lti = await setupLtiProvider({ encryptionKey: config.lti.encryptionKey, mongoUri: config.mongo.uri, logger });
  const { retentionDays } = config.attendance;
  const roomStore = createRoomStore(db.connection, { retentionDays });
  // A revoked key or a removed/deactivated platform: its sessions end (checked per request), its rooms empty.
  const evictOwner = createRoomEviction({ store: roomStore, livekit, logger });
  const platforms = createPlatformService(
    db.connection,
    lti,
    async (platformId) => void (await evictOwner({ kind: 'lti', platformId })),
  );
  const apiKeyStore = createApiKeyStore(db.connection);
  const apiKeys = createApiKeyService({
    store: apiKeyStore,
    onRevoked: async (apiKeyId) => void (await evictOwner({ kind: 'space', apiKeyId })),
  });
  const sessionStore = createSessionStore(db.connection);
  const videoRoomStore = createVideoRoomStore(db.connection);
  const sessions = revocableSessions(
    sessionStore,
    sessionOwnerCheck({ platforms, apiKeys: apiKeyStore, deletedRooms: videoRoomStore }),
  );
  // Courses' rosters for attendance: NRPS, cached per course; an LMS without it gives who launched.
  const roster = createRosterService({
    lti,
    platforms,
    store: createRosterStore(db.connection),
    launches: sessionStore,
    cacheMs: config.lti.rosterCacheMinutes * 60_000,
    logger: logger.child({ module: 'roster' }),
  });
  const attendanceStore = createAttendanceStore(db.connection, { retentionDays });
  // Grades over LTI AGS: persisted jobs, posted by a worker the attendance module starts.
  const grades = createGradeSync({
    targets: createGradeTargetStore(db.connection),
    jobs: createGradeJobStore(db.connection),
    lineItemRefs: createLineItemStore(db.connection),
    ags: createAgsClient({ lti, platforms }),
    tuning: {
      retryDelaysMs: config.grades.retryDelaysSeconds.map((s) => s * 1000),
      maxAttempts: config.grades.maxAttempts,
      concurrency: config.grades.concurrency,
      pollMs: config.grades.pollSeconds * 1000,
    },
    logger,
  });
  const rooms = createRoomService({
    store: roomStore,
    waitlist: createWaitlistStore(db.connection),
    livekit,
    livekitUrl: config.livekit.url,
    tokenTtlSeconds: config.rooms.tokenTtlSeconds,
    logger,
  });
  const audit = createAuditStore(db.connection, { retentionDays });
  // The integrations module listens (webhooks); it is built after these services.
  const controlListeners: Array<(event: ControlEvent) => Promise<void>> = [];
  const breakouts = createBreakouts({ store: createBreakoutStore(db.connection), rooms, livekit, audit, logger });
  const activities = createActivityStore(db.connection, { secret: config.lti.encryptionKey });
  const recording = createRecordingServices({ config, logger, db, livekit, rooms, roomStore, audit, activities });
  return {
    config,
    logger,
    db,
    publicUrl: config.server.publicUrl.replace(/\/$/, ''),
    sessionTtlMs: config.lti.sessionTtlMinutes * 60_000,
    livekit,
    lti,
    platforms,
    apiKeyStore,
    apiKeys,
    sessions,
    roster,
    activities,
    ...recording,
    roomStore,
    rooms,
    attendanceStore,
    grades,
    breakouts,
    audit,
    videoRoomStore,
    /** Adds a listener to every leader control (awaited before the control answers). */
    onControl: (listener: (event: ControlEvent) => Promise<void>) => void controlListeners.push(listener),
    controls: createRoomControls({
      store: roomStore,
      audit,
      livekit,
      rooms,
      breakouts,
      onChange: async (event) => {
        for (const listener of controlListeners) await listener(event);
      },
      // Who the SFU still lists when a teacher ends the class counts as there until the end.
      onEnded: async ({ roomKey, sessionId, at, present }) => {
        const listed = present.map((p) => ({ identity: p.identity, name: p.name, joinedAt: p.joinedAt }));
        await attendanceStore.saveSnapshot(sessionId, { at, present: listed });
        await attendanceStore.markPending({ sessionId, roomKey, endedAt: at });
        // Stopping Egress takes a moment: the end answers without waiting (the reconcile pass is the backstop).
        void recording.recordings
          .classEnded(roomKey, sessionId)
          .catch((err: unknown) => logger.warn({ err, roomKey }, 'recordings not stopped at class end'));
      },
    }),
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

/**
 * Recording and streaming on LiveKit Egress (config `recordings`): the store, the gateway to Egress (absent
 * where recording is not set up), whether Egress answers, the jobs it runs and the leader's actions.
 * `recordingListeners` hear of recordings starting and ending (integrator webhooks register there).
 */
function createRecordingServices(deps: {
  config: Readonly<AppConfig>;
  logger: Logger;
  db: Database;
  livekit: ReturnType<typeof createLiveKitGateway>;
  rooms: ReturnType<typeof createRoomService>;
  roomStore: ReturnType<typeof createRoomStore>;
  audit: ReturnType<typeof createAuditStore>;
  activities: ReturnType<typeof createActivityStore>;
}) {
  const { config, logger } = deps;
  const log = logger.child({ module: 'recordings' });
  const recordingStore = createRecordingStore(deps.db.connection);
  const recorder = config.recordings.enabled
    ? createLiveKitRecorder({
        apiUrl: livekitApiUrl(config),
        apiKey: config.livekit.apiKey,
        apiSecret: config.livekit.apiSecret,
        // A room composite is accepted once Egress has launched its handler: seconds, not milliseconds. Never
        // shorter than a start waits, so a start is not hung up on before the tool stops waiting for it.
        requestTimeoutMs: Math.max(config.livekit.requestTimeoutMs, 15_000, config.recordings.startTimeoutMs),
      })
    : undefined;
  const availability = createAvailability({
    enabled: config.recordings.enabled,
    recorder,
    healthUrl: config.recordings.egressHealthUrl,
    timeoutMs: config.health.checkTimeoutMs,
  });
  const recordingListeners: Array<(event: RecordingEvent) => Promise<void>> = [];
  const recordingFiles = openRecordingFiles(config.recordings);
  const jobs = createRecordingJobs({
    store: recordingStore,
    recorder,
    rooms: deps.roomStore,
    outputOf: (fileName) => recordingFiles.output(fileName),
    templateUrl: config.recordings.recorderPageUrl ?? `${config.server.publicUrl.replace(/\/$/, '')}/recorder`,
    startTimeoutMs: config.recordings.startTimeoutMs,
    push: (roomKey, payload) =>
      deps.livekit
        .sendData(roomKey, payload, { topic: RECORDING_TOPIC })
        .catch((err: unknown) => log.debug({ err, roomKey }, 'recording change not pushed')),
    onEvent: async (event) => {
      for (const listener of recordingListeners) await listener(event);
    },
    logger,
  });
  const recordings = createRecordings({
    store: recordingStore,
    jobs,
    rooms: {
      ensureRoom: (m) => deps.rooms.ensureRoom(m),
      latestClassSession: (k) => deps.roomStore.latestClassSession(k),
    },
    audit: deps.audit,
    settingsOf: async (room) =>
      room.activityId ? (await deps.activities.find(namespaceOf(room.owner), room.activityId))?.settings : undefined,
    availability: () => availability.current(),
    logger,
  });
  return {
    recordingStore,
    recordingFiles,
    recorder,
    recordingAvailability: availability,
    recordingJobs: jobs,
    recordings,
    recordingListeners,
  };
}

/** Where recordings are kept (config `recordings.storage`), opened once at startup: a bad folder stops it. */
function openRecordingFiles(r: AppConfig['recordings']): RecordingFiles {
  const { storage } = r;
  return storage.kind === 's3' ? openRecordingBucket(storage) : openRecordingsFolder(r.dir, r.egressDir);
}
