import { Router, type Request, type Response } from 'express';
import { AppError, isAppError } from '../errors.js';
import {
  registerDynamically,
  RegistrationError,
  type DynamicRegistrationDeps,
  type DynamicRegistrationResult,
} from '../lti/dynamic-registration.js';
import { canvasConfig } from '../lti/registration.js';
import { asyncHandler } from './async-handler.js';
import type { Logger } from '../log.js';
import { rateLimiter, type RateRule } from './rate-limit.js';
import { escapeHtml, htmlPage, inlineSource, PAGE_STYLE_SOURCE } from './html.js';
import { ltiErrorPage } from './lti-error-page.js';

export type RegistrationRouterDeps = DynamicRegistrationDeps & {
  /** Where the router is mounted; the paths in lti-registration.json include it. */
  mountPath?: string;
  /** Registration attempts per client address (config `limits.dynamicRegistration`). */
  rateLimit: RateRule;
  logger?: Logger;
};

/**
 * How an LMS learns about the tool: GET /lti/canvas.json (Canvas developer key "Enter URL") and
 * GET /lti/register (LTI Dynamic Registration, started by Moodle or Canvas inside an iframe).
 */
export function registrationRouter(deps: RegistrationRouterDeps): Router {
  const router = Router();
  const mount = deps.mountPath ?? '/lti';
  const local = (full: string): string => {
    if (!full.startsWith(`${mount}/`)) throw new Error(`lti-registration.json: ${full} is not under ${mount}`);
    return full.slice(mount.length);
  };
  const config = canvasConfig(deps.registration, deps.publicUrl);
  // Unauthenticated, fetches remote URLs and makes ltijs generate an RSA key: keep it from being hammered.
  // Only attempts that name an LMS configuration count: Moodle fetches the bare tool URL server-side first
  // (to see whether it is a cartridge), and that answer costs no more than a 404, so a retry costs one.
  const limiter = rateLimiter({
    rule: deps.rateLimit,
    skip: (req) => typeof req.query.openid_configuration !== 'string',
    message: 'Too many registration attempts came from this address. Wait a few minutes, then try again.',
    refuse: sendRegistrationError,
    logger: deps.logger,
  });

  router.get(local(deps.registration.paths.canvasConfig), (_req, res) => {
    res.json(config);
  });

  router.get(
    local(deps.registration.paths.register),
    (_req, res, next) => {
      // The LMS frames this page before it is registered, so the usual frame-ancestors list cannot name it.
      // Nothing here acts on a click (registration happens on load), so any framer is harmless.
      res.setHeader('content-security-policy', REGISTRATION_POLICY);
      res.setHeader('cache-control', 'no-store');
      next();
    },
    limiter,
    asyncHandler(async (req, res) => {
      try {
        const result = await registerDynamically(req.query, deps);
        req.log?.info(
          {
            platformId: result.platform.id,
            issuer: result.platform.issuer,
            clientId: result.platform.clientId,
            deploymentId: result.deploymentId ?? null,
            active: result.platform.active,
            created: result.created,
          },
          'dynamic registration completed',
        );
        res.status(200).type('html').send(registrationCompletePage(result, deps.registration.title));
      } catch (err) {
        sendRegistrationError(req, res, err);
      }
    }),
  );
  return router;
}

function sendRegistrationError(req: Request, res: Response, caught: unknown): void {
  // Storing the platform can fail inside the tool (database): still an HTML page the LMS admin can report.
  if (!isAppError(caught)) req.log?.error({ err: caught }, 'dynamic registration could not be saved');
  const err = isAppError(caught) ? caught : new AppError('INTERNAL', { cause: caught });
  const step = err instanceof RegistrationError ? err.step : err.code === 'RATE_LIMITED' ? 'request' : 'save';
  req.log?.warn(
    { code: err.code, step, details: err.details, cause: err.cause instanceof Error ? err.cause.message : undefined },
    'dynamic registration refused',
  );
  res
    .status(err.status)
    .type('html')
    .send(ltiErrorPage(err, { requestId: String(req.id ?? ''), step: `dynamic registration: ${step}` }));
}

/** Sends the LTI close message to the LMS window that opened the registration (Moodle, Canvas). */
const closeScript = (autoClose: boolean) => `
  function closeRegistration() {
    (window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
  }
  document.getElementById('close').addEventListener('click', closeRegistration);
  ${autoClose ? 'closeRegistration();' : ''}
`;
const CLOSE_SCRIPT = (autoClose: boolean) => `<script>${closeScript(autoClose)}</script>`;

/**
 * Any page may frame this one (see above); otherwise it is the strictest policy: nothing loads, and the only
 * script that runs is one of the two close scripts, by hash.
 */
const REGISTRATION_POLICY = [
  "default-src 'none'",
  `script-src ${inlineSource(closeScript(true))} ${inlineSource(closeScript(false))}`,
  `style-src ${PAGE_STYLE_SOURCE}`,
  "object-src 'none'",
  "base-uri 'none'",
  'frame-ancestors *',
].join('; ');

export function registrationCompletePage(result: DynamicRegistrationResult, toolTitle: string): string {
  const { platform, deploymentId } = result;
  const id = escapeHtml(platform.id);
  const todo: string[] = [];
  if (!platform.active) {
    todo.push(`<li>Activate this registration in the live class tool:
<code>POST /api/admin/platforms/${id}/activate</code> or <code>npm run lti -- platforms activate ${id}</code>.
Until then launches are refused with <code>LTI_PLATFORM_INACTIVE</code>.</li>`);
  }
  if (!deploymentId && platform.deploymentIds.length === 0) {
    todo.push(`<li>The LMS did not send a deployment ID (Canvas creates one when the tool is added to an account or
course). Send it to the tool's administrator, who adds it with <code>POST /api/admin/platforms</code> (same issuer
and client ID) or <code>npm run lti -- platforms add ... --deployment-id &lt;id&gt;</code>. Until then launches are
refused with <code>LTI_DEPLOYMENT_UNKNOWN</code>.</li>`);
  }
  const facts: Array<[string, string]> = [
    ['Platform id', platform.id],
    ['LMS', platform.name],
    ['Issuer', platform.issuer],
    ['Client ID', platform.clientId],
    ['Deployment IDs', platform.deploymentIds.join(', ') || '(none yet)'],
    ['Status', platform.active ? 'active' : 'waiting for activation'],
  ];
  const rows = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`).join('');
  const next =
    todo.length > 0
      ? `<div class="admin"><p><strong>Before teachers can use it:</strong></p><ol>${todo.join('')}</ol></div>`
      : '<p>Nothing else to do: the tool can be added to courses now.</p>';
  return htmlPage(
    'Registration complete',
    `<h1>Registration complete</h1>
<p role="status">${escapeHtml(toolTitle)} is registered with this LMS${result.created ? '' : ' (an existing registration was updated)'}.</p>
${next}
<dl>${rows}</dl>
<p><button type="button" id="close">Close</button></p>
${CLOSE_SCRIPT(todo.length === 0)}`,
  );
}
