import { Router, json } from 'express';
import { z } from 'zod';
import type { SessionStore } from '../lti/launch-session-store.js';
import type { ReloadTokens } from '../lti/reload-tokens.js';
import { asyncHandler } from './async-handler.js';
import type { ReloadExchangeResponse, ReloadTokenResponse } from './contract.js';
import { refuseNul } from './nul-guard.js';
import { currentLaunch, sessionAuth } from './session-auth.js';

export interface SessionReloadRouterDeps {
  sessions: SessionStore;
  reloadTokens: ReloadTokens;
}

/** A reload token is randomToken(32): 43 base64url characters. */
const exchangeBody = z.strictObject({ reloadToken: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/**
 * /api/session (mounted before /api, whose every route needs the bearer token): a reload token for the
 * current launch (bearer), and its exchange after a reload of the frame (the reload token is the credential).
 */
export function sessionReloadRouter(deps: SessionReloadRouterDeps): Router {
  const router = Router();
  router.use(json({ limit: '4kb' }), refuseNul);

  router.post(
    '/reload-token',
    sessionAuth(deps.sessions),
    asyncHandler(async (req, res) => {
      const { reloadToken, expiresAt } = await deps.reloadTokens.issue(currentLaunch(req.launch));
      const body: ReloadTokenResponse = { reloadToken, expiresAt: expiresAt.toISOString() };
      res.set('cache-control', 'no-store').json(body);
    }),
  );

  router.post(
    '/reload',
    asyncHandler(async (req, res) => {
      const { reloadToken } = exchangeBody.parse(req.body ?? {});
      const { token, session } = await deps.reloadTokens.redeem(reloadToken);
      req.log = req.log?.child({ platformId: session.platformId, userId: session.user.id });
      req.log?.info({ sessionId: session.id }, 'launch reopened after a reload');
      const body: ReloadExchangeResponse = { token, sessionExpiresAt: session.expiresAt.toISOString() };
      res.set('cache-control', 'no-store').json(body);
    }),
  );
  return router;
}
