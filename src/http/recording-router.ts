import { Router, json, type Request } from 'express';
import type { SessionStore } from '../lti/launch-session-store.js';
import { memberFor } from '../lti/launch-member.js';
import type { Logger } from '../log.js';
import type { RecordingKind } from '../recordings/recording.js';
import type { Recordings } from '../recordings/recordings.js';
import type { StreamTargetInput } from '../recordings/stream-target.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import type { RoomService } from '../rooms/room-service.js';
import { asyncHandler } from './async-handler.js';
import type { RecordingStateResponse, RecordingViewDto } from './contract.js';
import { refuseNul } from './nul-guard.js';
import type { RateRule } from './rate-limit.js';
import { currentLaunch, perLaunchLimit, sessionAuth } from './session-auth.js';

export interface RecordingRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  rooms: Pick<RoomService, 'ensureRoom'>;
  recordings: Recordings;
  rateLimit: RateRule;
  logger?: Logger;
}

/**
 * /api/room/recording (kind 'file') and /api/room/stream (kind 'stream'): the leader starts and stops
 * them; everyone in the class reads the state (GET, on /api/room/recording only). The stream's address
 * and key arrive in the body, are checked, go to Egress, and come back masked: never logged, never stored.
 */
export function recordingRouter(kind: RecordingKind, deps: RecordingRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));
  router.use(json({ limit: '4kb' }), refuseNul);
  router.use(perLaunchLimit(deps.rateLimit, deps.logger));
  const member = (req: Request) => memberFor(currentLaunch(req.launch), deps.activities);

  if (kind === 'file') {
    router.get(
      '/',
      asyncHandler(async (req, res) => {
        const m = await member(req);
        const room = await deps.rooms.ensureRoom(m);
        const body: RecordingStateResponse = await deps.recordings.statusOf(room, m.role === 'instructor', m.settings);
        res.set('cache-control', 'no-store').json(body);
      }),
    );
  }

  router.post(
    '/start',
    asyncHandler(async (req, res) => {
      // The body is checked after the role (a student is refused as such, whatever they sent).
      const target = kind === 'stream' ? ((req.body ?? {}) as StreamTargetInput) : undefined;
      const view: RecordingViewDto = await deps.recordings.start(await member(req), kind, target);
      res.status(201).set('cache-control', 'no-store').json(view);
    }),
  );

  router.post(
    '/stop',
    asyncHandler(async (req, res) => {
      const view: RecordingViewDto = await deps.recordings.stop(await member(req), kind);
      res.set('cache-control', 'no-store').json(view);
    }),
  );
  return router;
}
