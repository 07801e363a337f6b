import { randomUUID } from 'node:crypto';
import { createReconcileLease, RECORDING_INDEXES, RECORDING_LEASE_INDEXES } from '../db/recording-store.js';
import { recordingRouter } from '../http/recording-router.js';
import { createPoller } from '../jobs/poller.js';
import type { LiveKitEvent } from '../livekit/webhooks.js';
import { createReconciler } from '../recordings/reconcile.js';
import type { TrackedEvent } from '../rooms/session-tracker.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

export interface RecordingsModule extends ToolModule {
  /** The class starting (auto-record) and ending (stop and finalise), from the session tracker and sweeper. */
  onEvent(event: TrackedEvent): Promise<void>;
  /** Egress's webhooks, recorded as facts before LiveKit's webhook is acknowledged. */
  onEgress(event: LiveKitEvent): Promise<void>;
}

/**
 * Recording and live streaming in the class (/api/room/recording, /api/room/stream), Egress's webhooks,
 * and the reconcile pass that compares unfinished recordings with Egress: once at start (a restarted tool
 * finds its recordings again) and then once per period across all tool instances, under a lease.
 */
export function recordingsModule(s: Services): RecordingsModule {
  const log = s.logger.child({ module: 'recordings' });
  const { recorder, recordings, recordingJobs: jobs } = s;
  const periodMs = s.config.recordings.reconcileSeconds * 1000;
  const lease = createReconcileLease(s.db.connection);
  const leaseId = randomUUID();
  const reconciler = recorder
    ? createReconciler({
        store: s.recordingStore,
        jobs,
        recorder,
        rooms: s.roomStore,
        running: () => s.recordingAvailability.running(),
        lostAfterMs: s.config.recordings.egressLostSeconds * 1000,
        logger: s.logger,
      })
    : undefined;
  const poller = reconciler
    ? createPoller(
        async () => {
          if (await lease.take(periodMs, new Date(), leaseId)) await reconciler.runOnce();
        },
        { pollMs: periodMs, log, what: 'recording reconcile' },
      )
    : undefined;
  const routerDeps = {
    sessions: s.sessions,
    activities: s.activities,
    rooms: s.rooms,
    recordings,
    rateLimit: s.config.limits.roomRequests,
    logger: s.logger,
  };

  return {
    name: 'recordings',
    indexes: [...RECORDING_INDEXES, ...RECORDING_LEASE_INDEXES],
    // Reported, not required: classes go on without recording.
    readiness: [{ name: 'recording', optional: true, check: () => s.recordingAvailability.check() }],
    mounts: [
      { path: '/api/room/recording', router: recordingRouter('file', routerDeps) },
      { path: '/api/room/stream', router: recordingRouter('stream', routerDeps) },
    ],
    start() {
      // The pass at start is not under the lease (a tool restarted within a period must not skip it), and
      // does not hold the start up; the periodic passes follow it.
      void reconciler
        ?.runOnce()
        .catch((err: unknown) => log.warn({ err }, 'recordings not reconciled at start'))
        .finally(() => poller?.start());
    },
    stop: async () => poller?.stop(),

    async onEvent(event) {
      if (!event.sessionId) return;
      if (event.type === 'session.started') {
        // Inserted before the webhook is acknowledged; Egress is asked in the background.
        const recording = await recordings.autoStart(event.room, event.sessionId);
        if (recording) {
          void jobs
            .launch(recording)
            .catch((err: unknown) => log.warn({ err, roomKey: event.room.key }, 'automatic recording not started'));
        }
      } else if (event.type === 'session.ended') {
        const { key } = event.room;
        void recordings
          .classEnded(key, event.sessionId)
          .catch((err: unknown) => log.warn({ err, roomKey: key }, 'recordings not stopped at class end'));
      }
    },

    async onEgress(event) {
      const info = event.egress;
      if (!info) return;
      const recording = await s.recordingStore.byEgress(info.egressId);
      if (recording) return void (await jobs.apply(recording, info));
      // Before the start recorded Egress's answer, or after a tool that asked stopped before it could: the
      // job's ref names the recording. Not ours otherwise.
      const named = info.ref ? await s.recordingStore.get(info.ref) : undefined;
      if (named) await jobs.adopt(named, info);
    },
  };
}
