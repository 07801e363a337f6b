import { Router, type ErrorRequestHandler } from 'express';
import type { Logger } from '../log.js';
import { agsRouter } from './demo-ags.js';
import { buildIdTokenClaims, type IdTokenInput } from './demo-claims.js';
import type { DemoContext, DemoTool } from './demo-context.js';
import { courseAdminRouter } from './demo-course-admin.js';
import { deepLinkRouter } from './demo-deep-link.js';
import { RemoteJwks, generateSigningKey, signJwt } from './demo-keys.js';
import { nrpsRouter } from './demo-nrps.js';
import { oidcRouter } from './demo-oidc.js';
import { coursePage, errorPage, gradebookPage, nameFromRoster } from './demo-pages.js';
import { ROSTER } from './demo-roster.js';
import { CourseState } from './demo-state.js';
import { storageRouter } from './demo-storage.js';
import { TokenStore, tokenRouter } from './demo-token.js';

/**
 * The demo LMS: a small LTI 1.3 platform (OIDC launch, deep linking, AGS, NRPS, OAuth2 client credentials)
 * for `npm start`, tests and evaluators. Mounted at `/demo` on the tool's own app; all state is in memory.
 */

export interface DemoPlatformOptions {
  /** The tool's public base URL (no trailing slash); the demo lives at `${publicUrl}/demo`. */
  publicUrl: string;
  /** Tool endpoints: `${publicUrl}/lti/login`, `/lti/launch`, `/lti/keys` (and the deep linking URL if separate). */
  tool: DemoTool;
  logger: Logger;
}

export interface DemoRegistration {
  issuer: string;
  clientId: string;
  deploymentId: string;
  name: string;
  authLoginUrl: string;
  accessTokenUrl: string;
  jwksUrl: string;
}

export type SignHeader = Record<string, unknown> | { omitKid?: boolean };

export interface DemoPlatform {
  /** Mount at /demo; brings its own body parsers. */
  router: Router;
  registration: DemoRegistration;
  /**
   * Signs any payload with the platform key (always an RS256 signature). The header defaults to
   * `{ alg: 'RS256', typ: 'JWT', kid }`; fields given here override it, `omitKid: true` drops the kid.
   */
  sign(payload: Record<string, unknown>, header?: SignHeader): string;
  /** A valid id_token payload for a user/role/message, before signing, so tests can mutate one claim. */
  idTokenClaims(input: IdTokenInput): Record<string, unknown>;
  kid: string;
}

export const DEMO_CLIENT_ID = 'demo-tool';
export const DEMO_DEPLOYMENT_ID = 'demo-deployment-1';

export async function createDemoPlatform(options: DemoPlatformOptions): Promise<DemoPlatform> {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const issuer = `${publicUrl}/demo/platform`;
  const key = await generateSigningKey();
  const logger = options.logger.child({ module: 'demo-platform' });

  const sign = (payload: Record<string, unknown>, header: SignHeader = {}): string => {
    const { omitKid, ...overrides } = header as Record<string, unknown>;
    const full: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...overrides };
    if (omitKid === true) delete full.kid;
    return signJwt(key.privateKey, payload, full);
  };

  const ctx: DemoContext = {
    publicUrl,
    issuer,
    clientId: DEMO_CLIENT_ID,
    deploymentId: DEMO_DEPLOYMENT_ID,
    tool: { ...options.tool },
    key,
    toolJwks: new RemoteJwks(options.tool.jwksUrl),
    state: new CourseState(options.tool.customParameters),
    logger,
    sign: (payload) => sign(payload),
  };
  const tokens = new TokenStore();

  const platform = Router();
  platform.get('/jwks', (_req, res) => {
    res.set('cache-control', 'public, max-age=60').json({ keys: [key.publicJwk] });
  });
  platform.use(oidcRouter(ctx), tokenRouter(ctx, tokens), agsRouter(ctx, tokens), nrpsRouter(ctx, tokens));
  platform.use(deepLinkRouter(ctx), storageRouter(ctx));

  const router = Router();
  router.use((req, res, next) => {
    res.locals.demoBase = req.baseUrl;
    next();
  });
  router.get('/', (req, res) => {
    res
      .set('cache-control', 'no-store')
      .type('html')
      .send(
        coursePage({
          base: req.baseUrl,
          activities: ctx.state.activities,
          toolCustom: ctx.state.toolCustom,
          storageUrl: `${issuer}/storage`,
        }),
      );
  });
  router.use(courseAdminRouter(ctx));
  router.get('/gradebook', (req, res) => {
    const rows = ctx.state.listLineItems().map((item) => ({ item, scores: ctx.state.scoresOf(item.id) }));
    res
      .set('cache-control', 'no-store')
      .type('html')
      .send(gradebookPage(req.baseUrl, rows, nameFromRoster(ROSTER)));
  });
  // The same, as data: tests read what the LMS holds without parsing the page.
  router.get('/gradebook.json', (_req, res) => {
    const lineItems = ctx.state.listLineItems().map((item) => ({ ...item, scores: ctx.state.scoresOf(item.id) }));
    res.set('cache-control', 'no-store').json({ lineItems });
  });
  router.use('/platform', platform);
  router.use(clientErrors);

  logger.info({ issuer, kid: key.kid }, 'demo platform ready');
  return {
    router,
    registration: {
      issuer,
      clientId: DEMO_CLIENT_ID,
      deploymentId: DEMO_DEPLOYMENT_ID,
      name: 'Demo University LMS',
      authLoginUrl: `${issuer}/auth`,
      accessTokenUrl: `${issuer}/token`,
      jwksUrl: `${issuer}/jwks`,
    },
    sign,
    idTokenClaims: (input) => buildIdTokenClaims(ctx, input),
    kid: key.kid,
  };
}

/** Body-parser failures (bad JSON, too large, bad charset) answer 4xx here; anything else goes on to the app. */
const clientErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
  const status = (err as { status?: unknown } | null)?.status;
  if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) return next(err);
  const type = (err as { type?: unknown }).type;
  const description =
    type === 'entity.parse.failed'
      ? 'the body is not valid JSON'
      : type === 'entity.too.large'
        ? 'the body is too large'
        : 'the request body could not be read';
  const json = req.path.startsWith('/platform/contexts') || req.path.startsWith('/platform/token');
  if (json) res.status(status).json({ error: 'invalid_request', error_description: description });
  else
    res
      .status(status)
      .type('html')
      .send(errorPage('Bad request', [description]));
};
