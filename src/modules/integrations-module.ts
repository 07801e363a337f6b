import { Router } from 'express';
import { API_KEY_INDEXES } from '../db/api-key-store.js';
import { createLinkSessionStore, LINK_SESSION_INDEXES } from '../db/link-session-store.js';
import { createOutboxStore, OUTBOX_INDEXES } from '../db/outbox-store.js';
import { createSpaceStores, SPACE_INDEXES } from '../db/space-store.js';
import { VIDEO_ROOM_INDEXES } from '../db/video-room-store.js';
import { videoRoomRoutes } from '../http/video-rooms-routes.js';
import { videoSessionRoutes } from '../http/video-sessions-routes.js';
import { createRoomTokens } from '../integrations/room-tokens.js';
import { createVideoRooms } from '../integrations/video-rooms.js';
import { apiReferenceRouter } from '../http/api-reference-router.js';
import { integratorRouter, perKeyLimit } from '../http/integrator-router.js';
import { liveRoomRouter } from '../http/live-room-router.js';
import { createLiveRooms } from '../integrations/live-rooms.js';
import { spaceJoinRouter } from '../http/space-join-router.js';
import { createLinkSessions } from '../integrations/link-sessions.js';
import { createSpaceJoins } from '../integrations/space-joins.js';
import { createSpaceService } from '../integrations/space-service.js';
import { startDeliveryWorker, type DeliveryTuning, type DeliveryWorker } from '../integrations/webhook-delivery.js';
import { attendanceReadyPayload } from '../integrations/attendance-wire.js';
import {
  createControlWebhooks,
  createWebhookEnqueuer,
  queueWebhook,
  wantsEvent,
} from '../integrations/webhook-outbox.js';
import { layoutJson } from '../integrations/room-control-wire.js';
import type { PendingFinal } from '../attendance/attendance-store.js';
import type { ClassAttendance } from '../attendance/class-attendance.js';
import { integratorAttendanceRoutes, spaceScope } from '../http/integrator-attendance-routes.js';
import { integratorRoomRoutes } from '../http/integrator-room-routes.js';
import { integratorRecordingRoutes } from '../http/integrator-recording-routes.js';
import type { RecordingLibrary } from '../recordings/recording-library.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import type { RecordingEvent } from '../recordings/recording-jobs.js';
import { recordingPayload } from '../integrations/recording-events.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface IntegrationsModule extends ToolModule {
  /** Room facts become integrator webhooks: stored in the outbox before the SFU's webhook is acknowledged. */
  onEvent(event: TrackedEvent): Promise<void>;
  /** A space room's session attendance is final: `attendance.ready` (queued once per session). */
  onAttendanceFinal(pending: PendingFinal): Promise<void>;
  /** `recording.*` / `livestream.*` (queued once per recording and type, before Egress's webhook is acknowledged). */
  onRecordingEvent(event: RecordingEvent): Promise<void>;
}

/** The integrator API (`x-api-key`) under /api/v1, its join links under /space, and its webhook delivery. */
export function integrationsModule(
  s: Services,
  tuning?: DeliveryTuning,
  /** The attendance module's computation, built after this module. */
  attendance: () => ClassAttendance = () => {
    throw new Error('attendance is not set up');
  },
  /** Recordings of space rooms (their routes and the live sessions' counts). */
  recordings?: RecordingLibrary,
): IntegrationsModule {
  const { config, logger, db, publicUrl } = s;
  const spaceStores = createSpaceStores(db.connection);
  const outbox = createOutboxStore(db.connection);
  // Delivery starts after the indexes exist: its claims rest on the lease collection's unique index.
  let worker: DeliveryWorker | undefined;
  const spaces = createSpaceService({
    ...spaceStores,
    activities: s.activities,
    rooms: s.rooms,
    roomStore: s.roomStore,
    livekit: s.livekit,
    deletions: s.videoRoomStore,
    publicUrl,
    linkTtlMs: config.spaces.joinLinkTtlMinutes * 60_000,
  });
  const videoRooms = createVideoRooms({
    spaces,
    spaceStore: spaceStores.spaces,
    store: s.videoRoomStore,
    activities: s.activities,
    controls: s.controls,
    audit: s.audit,
    recordingRetentionDays: s.config.recordings.retentionDays,
  });
  const tokens = createRoomTokens({
    spaces,
    spaceStore: spaceStores.spaces,
    store: s.videoRoomStore,
    defaultTtlSeconds: config.spaces.joinLinkTtlMinutes * 60,
  });
  const launchLimit = perKeyLimit(config.limits.integratorLaunch);
  const attendanceDeps = {
    spaces: spaceStores.spaces,
    roomStore: s.roomStore,
    activities: s.activities,
    store: s.attendanceStore,
    attendance,
  };
  s.onControl(
    createControlWebhooks({
      spaces: spaceStores.spaces,
      roomOwner: async (roomKey) => (await s.roomStore.get(roomKey))?.owner,
      layoutOf: async (roomKey) => {
        const room = await s.roomStore.get(roomKey);
        return room && layoutJson(room.layout);
      },
      outbox,
      onEnqueued: () => worker?.kick(),
    }),
  );
  return {
    name: 'integrations',
    async onAttendanceFinal(pending) {
      const room = await s.roomStore.get(pending.roomKey);
      if (room?.owner.kind !== 'space') return;
      const space = await spaceStores.spaces.find(room.owner.apiKeyId, room.owner.spaceId);
      if (!space || !wantsEvent(space.webhooks, 'attendance.ready')) return;
      const { table } = await attendance().session(await spaceScope(attendanceDeps, space), pending.sessionId);
      const url = `${publicUrl}/api/v1/sessions/${pending.sessionId}/participants`;
      const payload = attendanceReadyPayload(space, table, url, new Date());
      if (await queueWebhook(outbox, space, payload, new Date())) worker?.kick();
    },
    async onRecordingEvent(event) {
      const { owner } = event.room;
      if (owner.kind !== 'space') return;
      const space = await spaceStores.spaces.find(owner.apiKeyId, owner.spaceId);
      if (!space || !wantsEvent(space.webhooks, event.type)) return;
      if (await queueWebhook(outbox, space, recordingPayload(space, event), new Date())) worker?.kick();
    },
    indexes: [...API_KEY_INDEXES, ...SPACE_INDEXES, ...VIDEO_ROOM_INDEXES, ...LINK_SESSION_INDEXES, ...OUTBOX_INDEXES],
    onEvent: createWebhookEnqueuer({
      spaces: spaceStores.spaces,
      outbox,
      onEnqueued: () => worker?.kick(),
      presentCount: async (roomKey) => (await s.roomStore.currentClassSession(roomKey))?.present.length ?? 0,
      logger,
    }),
    mounts: [
      // Before the integrator router on the same path: the reference needs no key.
      {
        path: '/api/v1',
        router: apiReferenceRouter({
          publicUrl,
          allowHttpWebhooks: config.env !== 'production',
        }),
      },
      {
        path: '/api/v1',
        router: integratorRouter({
          apiKeys: s.apiKeys,
          spaces,
          allowHttpWebhooks: config.env !== 'production',
          launchLimit,
          recordingCounts: recordings && ((sessionId) => recordings.countsOf(sessionId)),
          extra: (currentKey) => {
            const extra = Router().use(
              integratorAttendanceRoutes({ ...attendanceDeps, currentKey }),
              videoRoomRoutes({
                rooms: videoRooms,
                tokens,
                allowHttpWebhooks: config.env !== 'production',
                writeLimit: launchLimit,
                currentKey,
              }),
              videoSessionRoutes({
                ...attendanceDeps,
                rooms: videoRooms,
                writeLimit: launchLimit,
                searchLimit: perKeyLimit(config.limits.integratorSearch),
                currentKey,
              }),
              integratorRoomRoutes({
                spaces: spaceStores.spaces,
                activities: s.activities,
                controls: s.controls,
                currentKey,
                controlLimit: perKeyLimit(config.limits.integratorControls),
              }),
            );
            if (recordings) extra.use(integratorRecordingRoutes({ ...attendanceDeps, recordings, currentKey }));
            return extra;
          },
        }),
      },
      {
        path: '/api/live-room',
        router: liveRoomRouter({
          apiKeys: s.apiKeys,
          rooms: createLiveRooms({ spaces, store: spaceStores.spaces, roomStore: s.roomStore }),
          writeLimit: launchLimit,
        }),
      },
      {
        path: '/space',
        router: spaceJoinRouter({
          joins: createSpaceJoins({
            ...spaceStores,
            apiKeys: s.apiKeyStore,
            linkSessions: createLinkSessions({
              store: createLinkSessionStore(db.connection),
              sessions: s.sessions,
              maxPerLink: config.limits.sessionsPerJoinLink,
              sessionTtlMs: s.sessionTtlMs,
            }),
          }),
          sessionTtlMs: s.sessionTtlMs,
          secure: publicUrl.startsWith('https:'),
          joinRateLimit: config.limits.spaceJoin,
          passcodeRateLimit: config.limits.spacePasscode,
          logger,
        }),
      },
    ],
    start() {
      worker = startDeliveryWorker({ ...tuning, outbox, spaces: spaceStores.spaces, logger });
    },
    stop: async () => worker?.stop(),
  };
}
