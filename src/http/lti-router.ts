import { parseCookie } from 'cookie';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError, isAppError } from '../errors.js';
import type { JwksCache } from '../lti/jwks-cache.js';
import { validateLaunch, LaunchError } from '../lti/launch/validate-launch.js';
import { toLaunchSession } from '../lti/launch/to-session.js';
import type { LaunchStore } from '../lti/launch-store.js';
import { LOGIN_MAX_AGE_MS, startLogin } from '../lti/login.js';
import type { PlatformService } from '../lti/platform-store.js';
import type { LaunchSession, SessionStore } from '../lti/launch-session-store.js';
import type { ActivityStore } from '../rooms/activity-settings.js';
import { asyncHandler } from './async-handler.js';
import { activityAtLaunch } from '../lti/launch-member.js';
import { ltiErrorPage } from './lti-error-page.js';
import type { Logger } from '../log.js';
import { rateLimiter, type RateRule } from './rate-limit.js';
import { pendingStorageOffer, storageLaunchRequest } from './lti-storage-launch.js';
import { storageLaunchPage, storageLoginPage } from './lti-storage-page.js';
import { STORAGE_SCRIPT } from './lti-storage-script.js';
import type { LaunchRequest } from '../lti/launch/validate-launch.js';

export interface LtiRouterDeps {
  publicUrl: string;
  clockSkewSeconds: number;
  sessionTtlMs: number;
  store: LaunchStore;
  platforms: PlatformService;
  sessions: SessionStore;
  /** Finds (or, for a teacher, sets up) the live class of each resource link launch. */
  activities: ActivityStore;
  jwks: JwksCache;
  /** ltijs's JWKS route (GET /keys). */
  keysRouter: RequestHandler;
  /** Extra routes under /lti (dynamic registration, Canvas JSON). */
  extra?: RequestHandler[];
  /** Logins per client address (config `limits.ltiLogin`): each one stores a login record until it expires. */
  loginRateLimit: RateRule;
  /**
   * Told of each accepted launch once its session is stored, after the answer is on its way: work a launch
   * sets off (the grade column of a teacher's class) never slows or fails the launch itself.
   */
  onLaunched?: (session: LaunchSession) => Promise<void>;
  logger?: Logger;
}

/** The OIDC state lives this long: long enough for a slow LMS login page, short enough to be useless later. */
export const STATE_MAX_AGE_MS = LOGIN_MAX_AGE_MS;
const STATE_COOKIE_PREFIX = 'lti_state_';

/**
 * The public LTI contract: /lti/login, /lti/launch, /lti/keys (+ /lti/register, /lti/canvas.json).
 * Launch failures are HTML pages for the person in front of the LMS, never JSON or a stack trace.
 */
export function ltiRouter(deps: LtiRouterDeps): Router {
  const router = Router();
  const launchUrl = `${deps.publicUrl}/lti/launch`;
  const secure = deps.publicUrl.startsWith('https:');
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  const login = asyncHandler(async (req: Request, res: Response) => {
    const params = req.method === 'POST' ? req.body : req.query;
    try {
      const { state, nonce, redirectUrl, storage } = await startLogin(params, {
        store: deps.store,
        platforms: deps.platforms,
        launchUrl,
      });
      // The cookie is set either way: where the browser keeps it, the launch needs nothing else.
      res.cookie(`${STATE_COOKIE_PREFIX}${state}`, '1', stateCookieOptions(secure));
      if (storage) res.type('html').send(storageLoginPage({ offer: storage, state, nonce, next: redirectUrl }));
      else res.redirect(302, redirectUrl);
    } catch (err) {
      sendErrorPage(req, res, err);
    }
  });
  const loginLimit = rateLimiter({
    rule: deps.loginRateLimit,
    message: 'Too many launches came from your network just now. Wait a minute, then open the activity again.',
    refuse: sendErrorPage,
    logger: deps.logger,
  });
  router.get('/login', loginLimit, login);
  router.post('/login', loginLimit, login);

  /** Validates the launch (cookie or platform storage), opens its session and sends the launcher there. */
  const finishLaunch = async (req: Request, res: Response, launchRequest: LaunchRequest): Promise<void> => {
    try {
      const launch = await validateLaunch(launchRequest, {
        store: deps.store,
        platforms: deps.platforms,
        jwks: deps.jwks,
        toolUrl: deps.publicUrl,
        clockSkewSeconds: deps.clockSkewSeconds,
        stateMaxAgeMs: STATE_MAX_AGE_MS,
      });
      res.clearCookie(`${STATE_COOKIE_PREFIX}${launch.login.state}`, clearStateCookieOptions(secure));
      const session = toLaunchSession(launch);
      session.activityId = await activityAtLaunch(session, deps.activities);
      const { token, session: stored } = await deps.sessions.create(session, deps.sessionTtlMs);
      req.log?.info(
        { platformId: stored.platformId, userId: stored.user.id, role: stored.role, messageType: stored.messageType },
        'launch accepted',
      );
      // The token travels in the fragment: never sent to a server, never in logs or Referer headers.
      res.set('cache-control', 'no-store').redirect(303, `/launch#token=${encodeURIComponent(token)}`);
      deps.onLaunched?.(stored).catch((err: unknown) => req.log?.warn({ err }, 'after-launch work failed'));
    } catch (err) {
      sendErrorPage(req, res, err);
    }
  };

  router.post(
    '/launch',
    asyncHandler(async (req, res) => {
      const cookies = parseCookies(req.headers.cookie);
      const state: unknown = req.body?.state;
      const idToken: unknown = req.body?.id_token;
      const hasCookie = typeof state === 'string' && cookies.has(`${STATE_COOKIE_PREFIX}${state}`);
      // No cookie, but the login stored the state in the LMS's window: read it back there (lti.get_data).
      // A failed look-up (the store restarting) falls through to the launch steps, which answer with the page.
      const offer = hasCookie ? undefined : await pendingStorageOffer(deps.store, state).catch(() => undefined);
      if (offer && typeof idToken === 'string' && idToken !== '') {
        req.log?.info({ target: offer.target }, 'launch without its cookie: reading platform storage');
        res.type('html').send(storageLaunchPage({ offer, state: state as string, idToken }));
        return;
      }
      await finishLaunch(req, res, {
        idToken,
        state,
        hasStateCookie: (s) => cookies.has(`${STATE_COOKIE_PREFIX}${s}`),
      });
    }),
  );

  router.post(
    '/launch/storage',
    asyncHandler(async (req, res) => {
      let launchRequest: LaunchRequest;
      try {
        launchRequest = storageLaunchRequest(req.body);
      } catch (err) {
        sendErrorPage(req, res, err);
        return;
      }
      const reason: unknown = req.body?.lti_storage_error;
      if (typeof reason === 'string' && reason !== '')
        req.log?.info({ reason: reason.slice(0, 100) }, 'platform storage did not answer');
      await finishLaunch(req, res, launchRequest);
    }),
  );

  router.get('/storage.js', (_req, res) => {
    res.type('js').set('cache-control', 'no-cache').send(STORAGE_SCRIPT);
  });

  router.use(deps.keysRouter);
  for (const handler of deps.extra ?? []) router.use(handler);
  return router;
}

function sendErrorPage(req: Request, res: Response, caught: unknown): void {
  // A failure inside the tool (the store refused the session, a bug) still gets the page, never JSON or a stack.
  if (!isAppError(caught)) req.log?.error({ err: caught }, 'launch failed inside the tool');
  const err = isAppError(caught) ? caught : new AppError('INTERNAL', { cause: caught });
  // The browser kept neither the cookie nor (when offered) the platform storage: a top-level window keeps both.
  const cookieMissing =
    err instanceof LaunchError && (err.code === 'LTI_STATE_COOKIE_MISSING' || err.code === 'LTI_STORAGE_UNAVAILABLE');
  const loginParams = err instanceof LaunchError ? err.login?.loginParams : undefined;
  const restartUrl =
    cookieMissing && loginParams ? `/lti/login?${new URLSearchParams(loginParams).toString()}` : undefined;
  req.log?.info({ code: err.code, step: err instanceof LaunchError ? err.step : undefined }, 'launch refused');
  res
    .status(err.status)
    .type('html')
    .send(
      ltiErrorPage(err, {
        requestId: String(req.id ?? ''),
        restartUrl,
        // Parameters too large to keep for a restart: the LMS has to open the tool at the top level itself.
        advice: cookieMissing && !restartUrl ? RELAUNCH_IN_NEW_WINDOW : undefined,
        step: err instanceof LaunchError ? err.step : undefined,
      }),
    );
}

const RELAUNCH_IN_NEW_WINDOW =
  'Ask your teacher to set this activity to open in a new window (or allow cookies for this site), then open it again from your course.';

/** CHIPS (Partitioned) keeps the cookie usable inside an LMS iframe where third-party cookies are blocked. */
export function stateCookieOptions(secure: boolean) {
  return secure
    ? {
        httpOnly: true,
        secure: true,
        sameSite: 'none' as const,
        partitioned: true,
        path: '/lti',
        maxAge: STATE_MAX_AGE_MS,
      }
    : // Plain-http development: the demo LMS is same-site with the tool, and Secure cookies need https.
      { httpOnly: true, sameSite: 'lax' as const, path: '/lti', maxAge: STATE_MAX_AGE_MS };
}

/**
 * Clearing needs the same attributes: a browser keeps a Partitioned cookie in its partition, and only a
 * Set-Cookie that is Partitioned too reaches it there.
 */
export function clearStateCookieOptions(secure: boolean) {
  const { maxAge: _maxAge, ...options } = stateCookieOptions(secure);
  return options;
}

function parseCookies(header: string | undefined): Set<string> {
  return new Set(Object.keys(parseCookie(header ?? '')));
}
