import { Router, json, type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SessionStore } from '../lti/launch-session-store.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { type RoomControls } from '../rooms/room-controls.js';
import {
  ADMIT_ALL_MAX,
  BULK_ACTIONS,
  BULK_MAX,
  PARTICIPANT_ACTIONS,
  ROOM_ACTIONS,
  WAITING_ACTIONS,
  type BulkAction,
} from '../rooms/room-actions.js';
import type { RoomService } from '../rooms/room-service.js';
import type { RoomStore } from '../rooms/room-store.js';
import { layoutPatchSchema } from '../rooms/room-data.js';
import { asyncHandler } from './async-handler.js';
import { refuseNul } from './nul-guard.js';
import { roomStatusOf } from '../rooms/room-status.js';
import { memberFor } from '../lti/launch-member.js';
import { roomKeyOf } from '../rooms/room-owner.js';
import { currentLaunch, perLaunchLimit, sessionAuth } from './session-auth.js';
import type { RateRule } from './rate-limit.js';
import type { Logger } from '../log.js';
import type { AdmitAllResponse } from './contract.js';

const identity = z.string().regex(/^[a-z]-[0-9a-f]{8,64}$/, 'not a participant identity');
const handSchema = z.object({ raised: z.boolean() }).strict();
/** "Admit all" names the people the instructor saw waiting (their queue), never "whoever waits by now". */
const admitAllSchema = z.object({ identities: z.array(identity).min(1).max(ADMIT_ALL_MAX) }).strict();
/** "Remove everyone", "Mute everyone", ...: optionally only some (`participants`), never the `exclude`d. */
export const bulkTargetsSchema = z
  .object({
    participants: z.array(identity).min(1).max(BULK_MAX).optional(),
    exclude: z.array(identity).max(BULK_MAX).optional(),
  })
  .strict();
/** Room for ADMIT_ALL_MAX identities of up to 66 characters (every other body stays within 4 kB). */
const ADMIT_ALL_BODY = '96kb';
const params = <T extends z.ZodRawShape>(shape: T, req: Request) => {
  const parsed = z.object(shape).safeParse(req.params);
  if (!parsed.success) throw new AppError('NOT_FOUND', { details: { path: req.path } });
  return parsed.data;
};

const isBulk = (action: string): action is BulkAction => (BULK_ACTIONS as readonly string[]).includes(action);

export interface RoomRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  rooms: RoomService;
  controls: RoomControls;
  store: RoomStore;
  /** The room's recording state in GET / (the recordings module's). */
  recording?: Parameters<typeof roomStatusOf>[0]['recording'];
  /** Writes per launch session (config `limits.roomRequests`): a hand toggled in a loop or a runaway script. */
  rateLimit: RateRule;
  logger?: Logger;
}

/** /api/room: join tokens for everyone, leader controls for instructors (all behind the launch token). */
export function roomRouter(deps: RoomRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));
  // Parsed here, the body is skipped by the 4 kB parser below (body-parser reads a request once).
  router.use('/waiting/admit-all', json({ limit: ADMIT_ALL_BODY }));
  router.use(`/:action(${BULK_ACTIONS.join('|')})`, json({ limit: ADMIT_ALL_BODY }));
  router.use(json({ limit: '4kb' }), refuseNul);
  router.use(perLaunchLimit(deps.rateLimit, deps.logger));
  const member = (req: Request) => memberFor(currentLaunch(req.launch), deps.activities);

  router.post(
    '/token',
    asyncHandler(async (req, res) => {
      const grant = await deps.rooms.join(await member(req));
      res.set('cache-control', 'no-store').json(grant);
    }),
  );

  // The pre-join page's early token: 204 where Join itself must ask (a refusal, a knock, a reopen, an empty room).
  router.post(
    '/token/prepare',
    asyncHandler(async (req, res) => {
      const grant = await deps.rooms.prepare(await member(req));
      if (grant) res.set('cache-control', 'no-store').json(grant);
      else res.status(204).end();
    }),
  );

  router.get(
    '/',
    asyncHandler(async (req, res) => {
      const m = await member(req);
      res.set('cache-control', 'no-store').json({
        ...(await roomStatusOf(deps, m)),
        waiting: m.role === 'instructor' ? await deps.rooms.waitingQueue(roomKeyOf(m.owner)) : undefined,
      });
    }),
  );

  // Anyone in the room raises their own hand here: participants cannot write their own attributes on the SFU.
  router.post(
    '/hand',
    asyncHandler(async (req, res) => {
      const { raised } = handSchema.parse(req.body ?? {});
      await deps.rooms.setHand(await member(req), raised);
      res.status(204).end();
    }),
  );

  // The class layout every page follows (stored, then pushed in the room metadata): instructors only.
  router.put(
    '/layout',
    asyncHandler(async (req, res) => {
      const patch = layoutPatchSchema.parse(req.body ?? {});
      res.set('cache-control', 'no-store').json(await deps.controls.layout(await member(req), patch));
    }),
  );

  router.post(
    '/participants/:identity/:action',
    asyncHandler(async (req, res) => {
      const p = params({ identity, action: z.enum(PARTICIPANT_ACTIONS) }, req);
      await deps.controls.participant(await member(req), p.identity, p.action);
      res.status(204).end();
    }),
  );

  router.post(
    '/waiting/admit-all',
    asyncHandler(async (req, res) => {
      const { identities } = admitAllSchema.parse(req.body ?? {});
      const admitted = await deps.controls.admitAll(await member(req), identities);
      res.set('cache-control', 'no-store').json({ admitted } satisfies AdmitAllResponse);
    }),
  );

  router.post(
    '/waiting/:identity/:action',
    asyncHandler(async (req, res) => {
      const p = params({ identity, action: z.enum(WAITING_ACTIONS) }, req);
      await deps.controls.waiting(await member(req), p.identity, p.action);
      res.status(204).end();
    }),
  );

  router.post(
    '/:action',
    asyncHandler(async (req, res) => {
      const p = params({ action: z.enum([...ROOM_ACTIONS, ...BULK_ACTIONS]) }, req);
      if (isBulk(p.action)) {
        await deps.controls.bulk(await member(req), p.action, bulkTargetsSchema.parse(req.body ?? {}));
      } else await deps.controls.room(await member(req), p.action);
      res.status(204).end();
    }),
  );
  return router;
}
