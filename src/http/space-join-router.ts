import { createHash } from 'node:crypto';
import { parseCookie } from 'cookie';
import express, { Router, type CookieOptions, type Request, type Response } from 'express';
import { isAppError } from '../errors.js';
import type { Joined, SpaceJoins } from '../integrations/space-joins.js';
import type { Logger } from '../log.js';
import { asyncHandler } from './async-handler.js';
import { escapeHtml, htmlPage } from './html.js';
import { namePage, pageLang } from './space-join-pages.js';
import { rateLimiter, type RateRule } from './rate-limit.js';

export interface SpaceJoinRouterDeps {
  joins: SpaceJoins;
  sessionTtlMs: number;
  /** https: the session cookie is `Secure; SameSite=None; Partitioned` (usable in an integrator's iframe). */
  secure: boolean;
  /** Joins per client address (config `limits.spaceJoin`) and passcode tries per address and link. */
  joinRateLimit: RateRule;
  passcodeRateLimit: RateRule;
  logger?: Logger;
}

/** Holds the browser's session for the link it came from, so a reload reuses it instead of minting one. */
const SESSION_COOKIE = 'space_session';

/**
 * /space/join?t=<link token>: an integrator's per-user join link. It becomes a launch session, then the
 * same redirect as an LTI launch (`/launch#token=...`), so the launcher and /api/room work unchanged.
 */
export function spaceJoinRouter(deps: SpaceJoinRouterDeps): Router {
  const router = Router();
  const refuse = (req: Request, res: Response, err: unknown) => sendErrorPage(req, res, err, linkTokenOf(req));
  const joinLimit = rateLimiter({ rule: deps.joinRateLimit, refuse, logger: deps.logger });
  // Passcodes are short: bound guesses per client and link. A guest naming themselves guesses nothing (and a
  // class behind one address shares a guest link), so only the join limit counts those.
  const attempts = rateLimiter({
    rule: deps.passcodeRateLimit,
    scope: (req) => digest(linkTokenOf(req) ?? ''),
    skip: (req) => typeof (req.body as Record<string, unknown> | undefined)?.passcode !== 'string',
    refuse,
    logger: deps.logger,
  });
  router.use(express.urlencoded({ extended: false, limit: '4kb' }));
  router.use((_req, res, next) => {
    // The link token is in the URL: keep it out of caches and Referer headers.
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    next();
  });
  const cookieOptions: CookieOptions = deps.secure
    ? { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/space', maxAge: deps.sessionTtlMs }
    : { httpOnly: true, sameSite: 'lax', path: '/space', maxAge: deps.sessionTtlMs };

  const toLauncher = (res: Response, bearer: string) => {
    res.cookie(SESSION_COOKIE, bearer, cookieOptions);
    res.redirect(303, `/launch#token=${encodeURIComponent(bearer)}`);
  };

  const accepted = (req: Request, { apiKeyId, spaceId, role }: Joined) =>
    req.log?.info({ apiKeyId, spaceId, role }, 'space join accepted');

  router.get(
    '/join',
    joinLimit,
    asyncHandler(async (req, res) => {
      const token = linkTokenOf(req);
      try {
        const arrival = await deps.joins.arrive(token, sessionCookie(req));
        if (arrival.kind === 'passcode')
          return void res
            .status(200)
            .type('html')
            .send(passcodePage(token as string));
        if (arrival.kind === 'name') {
          const page = namePage(token as string, pageLang(req), { passcode: arrival.passcode });
          return void res.status(200).type('html').send(page);
        }
        if (arrival.joined) accepted(req, arrival.joined);
        toLauncher(res, arrival.bearer);
      } catch (err) {
        sendErrorPage(req, res, err, token);
      }
    }),
  );

  router.post(
    '/join',
    joinLimit,
    attempts,
    asyncHandler(async (req, res) => {
      const token = linkTokenOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const passcode = typeof body.passcode === 'string' ? body.passcode : undefined;
      const name = typeof body.name === 'string' ? body.name : undefined;
      try {
        const joined = await deps.joins.redeem(token ?? '', passcode, name);
        accepted(req, joined);
        toLauncher(res, joined.bearer);
      } catch (err) {
        sendErrorPage(req, res, err, token);
      }
    }),
  );
  return router;
}

/** The join link token: `?t=` on GET, the form field on POST. */
function linkTokenOf(req: Request): string | undefined {
  const t = req.method === 'POST' ? (req.body as Record<string, unknown> | undefined)?.t : req.query.t;
  return typeof t === 'string' ? t : undefined;
}

const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Bearer tokens are base64url, so the cookie value needs no decoding. */
function sessionCookie(req: Request): string | undefined {
  return parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
}

function passcodePage(token: string, error?: string): string {
  const alert = error ? `<p role="alert">${escapeHtml(error)}</p>` : '';
  return htmlPage(
    'Enter the passcode',
    `<h1>This live class needs a passcode</h1>
${alert}
<form method="post" action="/space/join">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<p><label for="passcode">Passcode</label><br>
<input id="passcode" name="passcode" type="password" minlength="4" maxlength="64" required autofocus autocomplete="off"></p>
<p><button type="submit">Join</button></p>
</form>`,
  );
}

/** A guest's form (a `name` field was sent) comes back with the error next to the field. */
function guestFormAgain(req: Request, code: string, token: string | undefined): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (req.method !== 'POST' || typeof body.name !== 'string' || !token) return undefined;
  if (code !== 'SPACE_GUEST_NAME_INVALID' && code !== 'SPACE_PASSCODE_INVALID') return undefined;
  const error = code === 'SPACE_GUEST_NAME_INVALID' ? 'invalid' : 'wrongPasscode';
  const options = { passcode: typeof body.passcode === 'string', error, name: body.name.slice(0, 200) } as const;
  return namePage(token, pageLang(req), options);
}

function sendErrorPage(req: Request, res: Response, err: unknown, token: string | undefined): void {
  if (!isAppError(err)) throw err;
  req.log?.info({ code: err.code }, 'space join refused');
  const guestForm = guestFormAgain(req, err.code, token);
  if (guestForm) return void res.status(err.status).type('html').send(guestForm);
  const page =
    err.code === 'SPACE_PASSCODE_INVALID' && token
      ? passcodePage(token, err.message)
      : htmlPage(
          'The live class could not open',
          `<h1>The live class could not open</h1>
<p role="alert">${escapeHtml(err.message)}</p>
<dl><dt>Error code</dt><dd><code>${escapeHtml(err.code)}</code></dd>
<dt>Request id</dt><dd><code>${escapeHtml(String(req.id ?? ''))}</code></dd></dl>`,
        );
  res.status(err.status).type('html').send(page);
}
