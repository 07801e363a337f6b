import { Router, json, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { SessionStore } from '../lti/launch-session-store.js';
import { memberFor } from '../lti/launch-member.js';
import type { Logger } from '../log.js';
import { OPTION_MAX, OPTIONS_MAX, OPTIONS_MIN, QUESTION_MAX } from '../polls/poll.js';
import type { Polls, PollView } from '../polls/polls.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { asyncHandler } from './async-handler.js';
import type { PollDto, PollsResponse } from './contract.js';
import { refuseNul } from './nul-guard.js';
import type { RateRule } from './rate-limit.js';
import { currentLaunch, perLaunchLimit, sessionAuth } from './session-auth.js';

const draftSchema = z
  .object({
    question: z.string().min(1).max(QUESTION_MAX),
    options: z.array(z.string().min(1).max(OPTION_MAX)).min(OPTIONS_MIN).max(OPTIONS_MAX),
    multiple: z.boolean().default(false),
    anonymous: z.boolean().default(false),
  })
  .strict();
const voteSchema = z
  .object({
    choices: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(OPTIONS_MAX - 1),
      )
      .min(1)
      .max(OPTIONS_MAX),
  })
  .strict();
const pollParams = z.object({ pollId: z.string().regex(/^ses_[\w-]{1,64}\.\d{1,3}$/) });
const sessionParams = z.object({ sessionId: z.string().regex(/^ses_[\w-]{1,64}$/) });

export interface PollRouterDeps {
  sessions: SessionStore;
  activities: ActivityStore;
  polls: Polls;
  rateLimit: RateRule;
  logger?: Logger;
}

export const pollJson = (p: PollView): PollDto => ({ ...p, createdAt: p.createdAt.toISOString() });

/** /api/room/polls: leaders launch, close and share polls; everyone in the class votes once per poll. */
export function pollRouter(deps: PollRouterDeps): Router {
  const router = Router();
  router.use(sessionAuth(deps.sessions));
  router.use(json({ limit: '8kb' }), refuseNul);
  router.use(perLaunchLimit(deps.rateLimit, deps.logger));
  const member = (req: Request) => memberFor(currentLaunch(req.launch), deps.activities);
  const pollId = (req: Request) => {
    const parsed = pollParams.safeParse(req.params);
    if (!parsed.success) throw new AppError('POLL_NOT_FOUND');
    return parsed.data.pollId;
  };
  const send = (res: Response, polls: PollView[]) =>
    res.set('cache-control', 'no-store').json({ polls: polls.map(pollJson) } satisfies PollsResponse);

  router.get(
    '/',
    asyncHandler(async (req, res) => send(res, await deps.polls.list(await member(req)))),
  );

  router.get(
    '/sessions/:sessionId',
    asyncHandler(async (req, res) => {
      const parsed = sessionParams.safeParse(req.params);
      if (!parsed.success) throw new AppError('NOT_FOUND');
      send(res, await deps.polls.ofSession(await member(req), parsed.data.sessionId));
    }),
  );

  router.post(
    '/',
    asyncHandler(async (req, res) => {
      const draft = draftSchema.parse(req.body ?? {});
      const poll = await deps.polls.create(await member(req), draft);
      res.status(201).set('cache-control', 'no-store').json(pollJson(poll));
    }),
  );

  router.post(
    '/:pollId/vote',
    asyncHandler(async (req, res) => {
      const id = pollId(req);
      const { choices } = voteSchema.parse(req.body ?? {});
      await deps.polls.vote(await member(req), id, choices);
      res.status(204).end();
    }),
  );

  router.post(
    '/:pollId/:action',
    asyncHandler(async (req, res) => {
      const id = pollId(req);
      const action = z.enum(['close', 'share']).safeParse(req.params.action);
      if (!action.success) throw new AppError('NOT_FOUND', { details: { path: req.path } });
      await deps.polls.mark(await member(req), id, action.data === 'close' ? 'closed' : 'shared');
      res.status(204).end();
    }),
  );
  return router;
}
