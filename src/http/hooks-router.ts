import express, { Router } from 'express';
import type { WebhookVerifier } from '../livekit/webhooks.js';
import type { createSessionTracker } from '../rooms/session-tracker.js';
import { AppError } from '../errors.js';
import { asyncHandler } from './async-handler.js';

/** POST /hooks/livekit: verified against the raw body, recorded, then acknowledged. */
export function hooksRouter(deps: {
  verifier: WebhookVerifier;
  tracker: ReturnType<typeof createSessionTracker>;
}): Router {
  const router = Router();
  router.post(
    '/livekit',
    express.raw({ type: () => true, limit: '256kb' }),
    asyncHandler(async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      // LiveKit never sends a NUL; one would reach the store's queries (PostgreSQL cannot hold it).
      if (raw.includes('\\u0000') || raw.includes('\u0000')) throw new AppError('LIVEKIT_WEBHOOK_INVALID');
      const event = await deps.verifier.verify(raw, req.headers.authorization);
      const fresh = await deps.tracker.handle(event);
      req.log?.debug({ event: event.event, id: event.id, duplicate: !fresh }, 'livekit webhook');
      res.status(200).json({ ok: true, duplicate: !fresh });
    }),
  );
  return router;
}
