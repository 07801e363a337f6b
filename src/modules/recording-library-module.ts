import { createRecordingClaims, createRecordingStore, RECORDING_INDEXES } from '../db/recording-store.js';
import { recordingFileRouter } from '../http/recording-file-router.js';
import { recordingsRouter } from '../http/recordings-router.js';
import { createRecordingLibrary, type RecordingLibrary } from '../recordings/recording-library.js';
import { createRecordingLinks, linkKeyOf, RECORDING_FILE_PATH } from '../recordings/recording-links.js';
import { createRecordingRetention } from '../recordings/recording-retention.js';
import { namespaceOf } from '../rooms/room-owner.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface RecordingLibraryModule extends ToolModule {
  /** For the integrator API (its recordings routes, live sessions' counts). */
  recordings: RecordingLibrary;
  /** Where signed links redirect players (a bucket's origin), for the launcher's media-src. */
  mediaOrigins(): Promise<string[]>;
}

/**
 * Watching recordings back (docs/recordings.md): the launcher's /api/room/recordings, the signed-link file
 * route under /recordings, and the retention job. Where the files are kept (the folder or a bucket) is opened
 * with the services, at startup.
 */
export function recordingLibraryModule(s: Services): RecordingLibraryModule {
  const r = s.config.recordings;
  const files = s.recordingFiles;
  const store = createRecordingStore(s.db.connection);
  const links = createRecordingLinks({
    key: linkKeyOf(r.linkSecret, s.config.lti.encryptionKey),
    ttlSeconds: r.linkTtlSeconds,
    publicUrl: s.publicUrl,
  });
  const recordings = createRecordingLibrary({
    store,
    audit: s.audit,
    files,
    links,
    retentionDays: r.retentionDays,
    logger: s.logger,
  });
  const retention = createRecordingRetention({
    store,
    claims: createRecordingClaims(s.db.connection),
    recordings,
    settingsOf: async (roomKey) => {
      const room = await s.roomStore.get(roomKey);
      const activity = room?.activityId ? await s.activities.find(namespaceOf(room.owner), room.activityId) : undefined;
      return activity?.settings;
    },
    retentionDays: r.retentionDays,
    pollMs: r.retentionPollSeconds * 1000,
    logger: s.logger,
  });
  return {
    name: 'recording-library',
    // Reported, not required: classes go on without their recordings' storage.
    readiness: [{ name: 'recording-storage', optional: true, check: () => files.check() }],
    recordings,
    mediaOrigins: async () => (files.mediaOrigin ? [await files.mediaOrigin()] : []),
    indexes: RECORDING_INDEXES,
    mounts: [
      {
        path: '/api/room/recordings',
        router: recordingsRouter({
          sessions: s.sessions,
          activities: s.activities,
          recordings,
          rateLimit: s.config.limits.roomRequests,
          logger: s.logger,
        }),
      },
      { path: RECORDING_FILE_PATH, router: recordingFileRouter({ links, recordings }) },
    ],
    start: () => retention.start(),
    stop: () => retention.stop(),
  };
}
