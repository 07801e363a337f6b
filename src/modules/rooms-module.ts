import { AUDIT_INDEXES } from '../db/audit-store.js';
import { ROOM_INDEXES } from '../db/room-store.js';
import { createWebhookStore, WEBHOOK_INDEXES } from '../db/webhook-store.js';
import { WAITLIST_INDEXES } from '../db/waitlist-store.js';
import { BREAKOUT_INDEXES } from '../db/breakout-store.js';
import { breakoutRouter } from '../http/breakout-router.js';
import { hooksRouter } from '../http/hooks-router.js';
import { roomRouter } from '../http/room-router.js';
import { createWebhookVerifier, type LiveKitEvent } from '../livekit/webhooks.js';
import { createSessionSweeper } from '../rooms/session-sweeper.js';
import { createSessionTracker, type TrackedEvent } from '../rooms/session-tracker.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

/** Live rooms: tokens and leader controls under /api/room, and the SFU's webhooks under /hooks. */
export function roomsModule(
  s: Services,
  onEvent: (event: TrackedEvent) => Promise<void>,
  /** Egress's webhooks, which arrive on the same endpoint (the recordings module's). */
  onEgress?: (event: LiveKitEvent) => Promise<void>,
): ToolModule {
  const webhooks = createWebhookStore(s.db.connection);
  const tracker = createSessionTracker({
    store: s.roomStore,
    webhooks,
    livekit: s.livekit,
    logger: s.logger,
    onEvent,
    breakouts: s.breakouts,
    onEgress,
  });
  // LiveKit does not guarantee webhook delivery: a session whose room_finished was lost is closed by asking the SFU.
  const sweeper = createSessionSweeper({ store: s.roomStore, livekit: s.livekit, logger: s.logger, onEvent });
  const { apiKey, apiSecret } = s.config.livekit;
  return {
    name: 'rooms',
    indexes: [...ROOM_INDEXES, ...WEBHOOK_INDEXES, ...AUDIT_INDEXES, ...WAITLIST_INDEXES, ...BREAKOUT_INDEXES],
    start: () => sweeper.start(),
    stop: async () => {
      await sweeper.stop();
      await s.breakouts.stop();
    },
    readiness: [{ name: 'livekit', check: () => s.livekit.ping() }],
    mounts: [
      // Before /api/room, whose router would authenticate these requests a second time on their way through.
      {
        path: '/api/room/breakouts',
        router: breakoutRouter({
          sessions: s.sessions,
          activities: s.activities,
          breakouts: s.breakouts,
          rateLimit: s.config.limits.roomRequests,
          logger: s.logger,
        }),
      },
      {
        path: '/api/room',
        router: roomRouter({
          sessions: s.sessions,
          activities: s.activities,
          rooms: s.rooms,
          controls: s.controls,
          store: s.roomStore,
          recording: (room, m) => s.recordings.statusOf(room, m.role === 'instructor', m.settings),
          rateLimit: s.config.limits.roomRequests,
          logger: s.logger,
        }),
      },
      { path: '/hooks', router: hooksRouter({ verifier: createWebhookVerifier(apiKey, apiSecret), tracker }) },
    ],
  };
}
