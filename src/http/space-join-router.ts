import express, { Router, type Request, type Response } from 'express';
import { AppError, isAppError } from '../errors.js';
import type { SpaceService } from '../integrations/spaces.js';
import type { SessionStore } from '../lti/sessions.js';
import { asyncHandler } from './async-handler.js';
import { escapeHtml, htmlPage } from './html.js';
import { createRateLimiter } from './rate-limit.js';

export interface SpaceJoinRouterDeps {
  spaces: SpaceService;
  sessions: SessionStore;
  sessionTtlMs: number;
}

/**
 * /space/join?t=<link token>: an integrator's per-user join link. It becomes a launch session, then the
 * same redirect as an LTI launch (`/launch#token=...`), so the launcher and /api/room work unchanged.
 */
export function spaceJoinRouter(deps: SpaceJoinRouterDeps): Router {
  const router = Router();
  // Passcodes are short: bound guesses per client and link.
  const attempts = createRateLimiter({ windowMs: 5 * 60_000, max: 10 });
  router.use(express.urlencoded({ extended: false, limit: '4kb' }));
  router.use((_req, res, next) => {
    // The link token is in the URL: keep it out of caches and Referer headers.
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    next();
  });

  const enter = async (req: Request, res: Response, token: string | undefined, passcode?: string) => {
    const session = await deps.spaces.enter(token, passcode);
    const { token: bearer, session: stored } = await deps.sessions.create(session, deps.sessionTtlMs);
    req.log?.info(
      { platformId: stored.platformId, spaceId: stored.resourceLink?.id, role: stored.role },
      'space join accepted',
    );
    res.redirect(303, `/launch#token=${encodeURIComponent(bearer)}`);
  };

  router.get(
    '/join',
    asyncHandler(async (req, res) => {
      const token = typeof req.query.t === 'string' ? req.query.t : undefined;
      try {
        const { passcodeRequired } = await deps.spaces.inspectLink(token);
        if (passcodeRequired)
          return void res
            .status(200)
            .type('html')
            .send(passcodePage(token as string));
        await enter(req, res, token);
      } catch (err) {
        sendErrorPage(req, res, err, token);
      }
    }),
  );

  router.post(
    '/join',
    asyncHandler(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token = typeof body.t === 'string' ? body.t : undefined;
      const passcode = typeof body.passcode === 'string' ? body.passcode : undefined;
      try {
        if (!attempts.take(`${req.ip}|${token ?? ''}`)) throw new AppError('RATE_LIMITED');
        await enter(req, res, token, passcode);
      } catch (err) {
        sendErrorPage(req, res, err, token);
      }
    }),
  );
  return router;
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

function sendErrorPage(req: Request, res: Response, err: unknown, token: string | undefined): void {
  if (!isAppError(err)) throw err;
  req.log?.info({ code: err.code }, 'space join refused');
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
