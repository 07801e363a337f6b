import express, { Router } from 'express';
import { z } from 'zod';
import { buildIdTokenClaims } from './demo-claims.js';
import { badRequest, params, type DemoContext } from './demo-context.js';
import { autoPostPage } from './demo-pages.js';
import { DEMO_LOCALE_IDS, DEMO_ROLES, defaultUser, type DemoRole } from './demo-roster.js';
import { FIRST_ACTIVITY } from './demo-state.js';
import { STORAGE_FRAME } from './demo-storage.js';

/** Third-party initiated login (`/platform/launch`) and the OIDC authorization endpoint (`/platform/auth`). */

const roleSchema = z.enum(DEMO_ROLES);
const localeSchema = z.enum(DEMO_LOCALE_IDS);
/** Who launches, and in which language (the user's preference travels with the login, as in an LMS). */
const loginHintSchema = z
  .object({ userId: z.string().min(1).max(200), role: roleSchema, locale: localeSchema.optional() })
  .strict();
const messageHintSchema = z
  .object({
    type: z.enum(['resource', 'deeplink']),
    resourceLinkId: z.string().min(1).max(200).optional(),
    /** false: the launch carries no NRPS claim, as from an LMS that does not offer the roster to the tool. */
    nrps: z.boolean().optional(),
  })
  .strict();
type MessageHint = z.infer<typeof messageHintSchema>;

const launchSchema = z.object({
  role: roleSchema,
  message: z.enum(['resource', 'deeplink']).default('resource'),
  activity: z.string().min(1).max(200).optional(),
  /** Launch as another (or a made-up) user id instead of the role's default roster member. */
  user: z
    .string()
    .regex(/^[\w.-]{1,200}$/)
    .optional(),
  /** The launch language (default en-US): only the languages the launcher has. */
  locale: localeSchema.optional(),
  /** `off`: launch without the Names and Role Provisioning claim. */
  nrps: z.enum(['on', 'off']).default('on'),
  /**
   * `on`: offer LTI Platform Storage (send `lti_storage_target`). Off by default, as from an LMS without it:
   * the cookie path stays the one most tests take, and a storage launch costs a few postMessage round trips.
   */
  storage: z.enum(['on', 'off']).default('off'),
});

const authSchema = z.object({
  scope: z.string().refine((s) => s.split(' ').includes('openid'), 'must include openid'),
  response_type: z.literal('id_token'),
  response_mode: z.literal('form_post'),
  prompt: z.literal('none'),
  client_id: z.string().min(1),
  redirect_uri: z.string().min(1),
  nonce: z.string().min(1).max(1024),
  state: z.string().min(1).max(2048),
  login_hint: z.string().min(1).max(2048),
  lti_message_hint: z.string().min(1).max(2048),
  lti_deployment_id: z.string().optional(),
});

export const encodeHint = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function decodeHint<T>(raw: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const issues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`);

const mayDeepLink = (role: DemoRole): boolean => role === 'instructor' || role === 'ta';

export function oidcRouter(ctx: DemoContext): Router {
  const router = Router();
  const log = ctx.logger;
  const redirectUris = new Set([ctx.tool.launchUrl, ...(ctx.tool.deepLinkUrl ? [ctx.tool.deepLinkUrl] : [])]);

  router.get('/launch', (req, res) => {
    const parsed = launchSchema.safeParse(params(req.query));
    if (!parsed.success) return badRequest(res, 'Cannot start the launch', issues(parsed.error));
    const { role, message } = parsed.data;
    const deepLink = message === 'deeplink';
    if (deepLink && !mayDeepLink(role)) {
      return badRequest(res, 'Cannot start the launch', ['only instructors can add activities']);
    }
    const activityId = parsed.data.activity ?? FIRST_ACTIVITY.resourceLinkId;
    if (!deepLink && !ctx.state.activity(activityId)) {
      return badRequest(res, 'Cannot start the launch', [`activity: no activity ${activityId} in this course`]);
    }
    const hint: MessageHint = deepLink ? { type: 'deeplink' } : { type: 'resource', resourceLinkId: activityId };
    if (parsed.data.nrps === 'off') hint.nrps = false;
    const login = new URL(ctx.tool.loginUrl);
    login.searchParams.set('iss', ctx.issuer);
    const userId = parsed.data.user ?? defaultUser(role).userId;
    login.searchParams.set('login_hint', encodeHint({ userId, role, locale: parsed.data.locale }));
    login.searchParams.set('lti_message_hint', encodeHint(hint));
    const linkUrl = ctx.state.activity(activityId)?.url;
    login.searchParams.set(
      'target_link_uri',
      deepLink ? (ctx.tool.deepLinkUrl ?? ctx.tool.launchUrl) : (linkUrl ?? ctx.tool.launchUrl),
    );
    login.searchParams.set('client_id', ctx.clientId);
    login.searchParams.set('lti_deployment_id', ctx.deploymentId);
    if (parsed.data.storage === 'on') login.searchParams.set('lti_storage_target', STORAGE_FRAME);
    res.set('cache-control', 'no-store').redirect(302, login.toString());
  });

  const authorize: express.RequestHandler = (req, res) => {
    const parsed = authSchema.safeParse({ ...params(req.query), ...params(req.body) });
    if (!parsed.success) return badRequest(res, 'Invalid authentication request', issues(parsed.error));
    const input = parsed.data;
    const problems: string[] = [];
    if (input.client_id !== ctx.clientId) problems.push(`client_id: unknown client ${input.client_id}`);
    if (!redirectUris.has(input.redirect_uri)) {
      problems.push(`redirect_uri: ${input.redirect_uri} is not a registered redirect URI of the tool`);
    }
    if (input.lti_deployment_id !== undefined && input.lti_deployment_id !== ctx.deploymentId) {
      problems.push(`lti_deployment_id: unknown deployment ${input.lti_deployment_id}`);
    }
    const user = decodeHint(input.login_hint, loginHintSchema);
    if (!user) problems.push('login_hint: not a login hint issued by this platform');
    const message = decodeHint(input.lti_message_hint, messageHintSchema);
    if (!message) problems.push('lti_message_hint: not a message hint issued by this platform');
    if (message?.type === 'resource' && !ctx.state.activity(message.resourceLinkId ?? '')) {
      problems.push(`lti_message_hint: no activity ${message.resourceLinkId ?? '(none)'} in this course`);
    }
    if (message?.type === 'deeplink' && user && !mayDeepLink(user.role)) {
      problems.push('lti_message_hint: only instructors can add activities');
    }
    if (problems.length > 0 || !user || !message) return badRequest(res, 'Invalid authentication request', problems);

    const claims = buildIdTokenClaims(ctx, {
      role: user.role,
      userId: user.userId,
      nonce: input.nonce,
      messageType: message.type === 'deeplink' ? 'LtiDeepLinkingRequest' : 'LtiResourceLinkRequest',
      resourceLinkId: message.resourceLinkId,
      locale: user.locale,
      nrps: message.nrps,
    });
    log.info(
      { userId: user.userId, role: user.role, message: message.type, locale: user.locale },
      'demo platform: launching the tool',
    );
    res
      .set('cache-control', 'no-store')
      .type('html')
      .send(autoPostPage(input.redirect_uri, { id_token: ctx.sign(claims), state: input.state }));
  };
  router.get('/auth', authorize);
  router.post('/auth', express.urlencoded({ extended: false, limit: '32kb' }), authorize);
  return router;
}
