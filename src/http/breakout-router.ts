import { Router, json, type Request } from 'express';
import { z } from 'zod';
import type { SessionStore } from '../lti/launch-session-store.js';
import { memberFor } from '../lti/launch-member.js';
import type { Logger } from '../log.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { BREAKOUT_MAX_ROOMS, BREAKOUT_MIN_ROOMS } from '../rooms/breakout-plan.js';
import { BREAKOUT_MAX_COUNTDOWN_SECONDS, BREAKOUT_MAX_MESSAGE, type Breakouts } from '../rooms/breakouts.js';
import { asyncHandler } from './async-handler.js';
import type { BreakoutState } from './contract.js';
import { refuseNul } from './nul-guard.js';
import type { RateRule } from './rate-limit.js';
import { currentLaunch, perLaunchLimit, sessionAuth } from './session-auth.js';

const identity = z.string().regex(/^[a-z]-[0-9a-f]{8,64}$/, 'not a participant identity');
const roomNumber = z.number().int().min(1).max(BREAKOUT_MAX_ROOMS);
const count = z.number().int().min(BREAKOUT_MIN_ROOMS).max(BREAKOUT_MAX_ROOMS);
const openSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('random'), count }).strict(),
  z
    .object({
      mode: z.literal('manual'),
      count,
      assignment: z.record(identity, roomNumber).refine((a) => Object.keys(a).length <= 1000, 'too many people'),
    })
    .strict(),
]);
const tokenSchema = z.object({ visit: roomNumber.optional() }).strict();
const moveSchema = z.object({ identity, room: roomNumber }).strict();
const broadcastSchema = z.object({ text: z.string().trim().min(1).max(BREAKOUT_MAX_MESSAGE) }).strict();
const closeSchema = z
  .object({ countdownSeconds: z.number().int().min(0).max(BREAKOUT_MAX_COUNTDOWN_SECONDS).default(30) })
  .strict();

export interface BreakoutRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  breakouts: Breakouts;
  rateLimit: RateRule;
  logger?: Logger;
}

/** /api/room/breakouts: where everyone belongs during breakouts, and the leader's round (behind the launch token). */
export function breakoutRouter(deps: BreakoutRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));
  // A hand-made plan of a large class (up to 1000 identities) needs more than the room API's 4 kB.
  router.use(json({ limit: '96kb' }), refuseNul);
  router.use(perLaunchLimit(deps.rateLimit, deps.logger));
  const member = (req: Request) => memberFor(currentLaunch(req.launch), deps.activities);
  const done = asyncHandler;

  router.get(
    '/',
    done(async (req, res) => {
      const state: BreakoutState = await deps.breakouts.state(await member(req));
      res.set('cache-control', 'no-store').json(state);
    }),
  );
  router.post(
    '/token',
    done(async (req, res) => {
      const { visit } = tokenSchema.parse(req.body ?? {});
      const grant = await deps.breakouts.token(await member(req), visit);
      res.set('cache-control', 'no-store').json(grant);
    }),
  );
  router.post(
    '/open',
    done(async (req, res) => {
      const request = openSchema.parse(req.body ?? {});
      await deps.breakouts.open(await member(req), request);
      res.status(204).end();
    }),
  );
  router.post(
    '/move',
    done(async (req, res) => {
      const move = moveSchema.parse(req.body ?? {});
      await deps.breakouts.move(await member(req), move.identity, move.room);
      res.status(204).end();
    }),
  );
  router.post(
    '/broadcast',
    done(async (req, res) => {
      const { text } = broadcastSchema.parse(req.body ?? {});
      await deps.breakouts.broadcast(await member(req), text);
      res.status(204).end();
    }),
  );
  router.post(
    '/close',
    done(async (req, res) => {
      const { countdownSeconds } = closeSchema.parse(req.body ?? {});
      await deps.breakouts.close(await member(req), countdownSeconds);
      res.status(204).end();
    }),
  );
  return router;
}
