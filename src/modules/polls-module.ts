import { createPollStore, POLL_INDEXES, pollRetentionIndexes } from '../db/poll-store.js';
import { retentionOf } from '../db/retention.js';
import { pollRouter } from '../http/poll-router.js';
import { createPollPush, POLL_TOPIC } from '../polls/poll-push.js';
import { createPolls } from '../polls/polls.js';
import type { ToolModule } from './module.js';
import type { Services } from './services.js';

/** Polls in the live class (/api/room/polls), pushed to the room on the 'poll' data topic. */
export function pollsModule(s: Services): ToolModule {
  const { retentionDays } = s.config.attendance;
  const log = s.logger.child({ module: 'polls' });
  const push = createPollPush({
    send: (roomKey, payload) => s.livekit.sendData(roomKey, payload, { topic: POLL_TOPIC }),
    onError: (err, roomKey) => log.warn({ err, roomKey }, 'could not push a poll change'),
  });
  const polls = createPolls({
    store: createPollStore(s.db.connection, { retentionDays }),
    rooms: s.roomStore,
    push,
    logger: s.logger,
  });
  return {
    name: 'polls',
    // Votes go with the class's attendance (attendance.retentionDays).
    indexes: [...POLL_INDEXES, ...pollRetentionIndexes(retentionOf(retentionDays))],
    mounts: [
      {
        path: '/api/room/polls',
        router: pollRouter({
          sessions: s.sessions,
          activities: s.activities,
          polls,
          rateLimit: s.config.limits.roomRequests,
          logger: s.logger,
        }),
      },
    ],
  };
}
