import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import { rateLimiter, type RateRule } from './rate-limit.js';

declare module 'express-serve-static-core' {
  interface Request {
    launch?: LaunchSession;
  }
}

/** The launcher authenticates with the Bearer token from its launch, never with cookies (iframes lose them). */
export function sessionAuth(sessions: SessionStore): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match) return next(new AppError('UNAUTHENTICATED'));
    sessions.authenticate(match[1] as string).then((session) => {
      if (!session) return next(new AppError('UNAUTHENTICATED'));
      req.launch = session;
      req.log = req.log?.child({ platformId: session.platformId, userId: session.user.id });
      next();
    }, next);
  };
}

export function currentLaunch(launch: LaunchSession | undefined): LaunchSession {
  if (!launch) throw new AppError('UNAUTHENTICATED');
  return launch;
}

/**
 * Writes (not reads) limited per launch session rather than per address, after sessionAuth: a whole class
 * often shares one school network address.
 */
export function perLaunchLimit(rule: RateRule, logger?: Logger): RequestHandler {
  return rateLimiter({
    rule,
    scope: (req) => currentLaunch(req.launch).id,
    skip: (req) => req.method === 'GET',
    logger,
  });
}
