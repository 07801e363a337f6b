import { compactVerify, decodeJwt, decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';
import { AppError, type ErrorCode } from '../../errors.js';
import { CLAIM, SUPPORTED_MESSAGE_TYPES, type MessageType } from '../claims.js';
import type { JwksCache } from '../jwks-cache.js';
import type { LaunchStore, LoginRecord } from '../launch-store.js';
import type { Platform, PlatformService } from '../platform-store.js';
import { mapLtiRoles } from '../roles.js';
import { storageBindingError, type StoredValues } from '../platform-storage.js';

export interface LaunchValidationDeps {
  store: LaunchStore;
  platforms: Pick<PlatformService, 'get'>;
  jwks: JwksCache;
  /** This tool's public base URL: target_link_uri must point under it. */
  toolUrl: string;
  clockSkewSeconds: number;
  stateMaxAgeMs: number;
  now?: () => Date;
}

export interface LaunchRequest {
  idToken: unknown;
  state: unknown;
  /** Whether the browser sent back the cookie our login set for this state. */
  hasStateCookie(state: string): boolean;
  /** Given when the launch came back through platform storage instead of the cookie: what the page read there. */
  storage?: StoredValues;
}

export interface ValidatedLaunch {
  platform: Platform;
  login: LoginRecord;
  messageType: MessageType;
  deploymentId: string;
  claims: Record<string, unknown>;
}

/** Carries what the error page needs beyond the code (e.g. how to restart the launch). */
export class LaunchError extends AppError {
  constructor(
    code: ErrorCode,
    readonly step: string,
    readonly login?: LoginRecord,
    cause?: unknown,
  ) {
    super(code, { cause, details: { step } });
  }
}

interface Ctx {
  req: LaunchRequest;
  deps: LaunchValidationDeps;
  now: Date;
  state?: string;
  login?: LoginRecord;
  jwt?: DecodedToken;
  platform?: Platform;
  claims: Record<string, unknown>;
}

/** The id_token as sent, and its header; decoded only, not verified. */
interface DecodedToken {
  token: string;
  header: ProtectedHeaderParameters;
}

type Step = (ctx: Ctx) => void | Promise<void>;

/**
 * Named, ordered checks, each with its own error code; the first failure stops the launch.
 * Order matters: the state is consumed before anything else so a token can never be tried twice.
 */
export const LAUNCH_STEPS: ReadonlyArray<readonly [string, Step]> = [
  ['form', checkForm],
  ['state', consumeState],
  ['jwt-shape', decodeToken],
  ['jwt-header', checkHeader],
  ['platform', checkPlatform],
  ['signature', checkSignature],
  ['times', checkTimes],
  ['nonce', checkNonce],
  ['version', checkVersion],
  ['message-type', checkMessageType],
  ['deployment', checkDeployment],
  ['claims', checkClaims],
  ['deep-linking', checkDeepLinkingSettings],
  ['role', checkRole],
];

export async function validateLaunch(req: LaunchRequest, deps: LaunchValidationDeps): Promise<ValidatedLaunch> {
  const ctx: Ctx = { req, deps, now: deps.now?.() ?? new Date(), claims: {} };
  for (const [name, step] of LAUNCH_STEPS) {
    try {
      await step(ctx);
    } catch (err) {
      if (err instanceof LaunchError) throw err;
      if (err instanceof AppError) throw new LaunchError(err.code, name, ctx.login, err);
      throw err;
    }
  }
  return {
    platform: ctx.platform as Platform,
    login: ctx.login as LoginRecord,
    messageType: ctx.claims[CLAIM.messageType] as MessageType,
    deploymentId: ctx.claims[CLAIM.deploymentId] as string,
    claims: ctx.claims,
  };
}

const fail = (code: ErrorCode, ctx: Ctx, step: string): never => {
  throw new LaunchError(code, step, ctx.login);
};

function checkForm(ctx: Ctx): void {
  if (typeof ctx.req.state !== 'string' || ctx.req.state === '') fail('LTI_STATE_MISSING', ctx, 'form');
  if (typeof ctx.req.idToken !== 'string' || ctx.req.idToken === '') fail('LTI_ID_TOKEN_MISSING', ctx, 'form');
  ctx.state = ctx.req.state as string;
}

async function consumeState(ctx: Ctx): Promise<void> {
  const state = ctx.state as string;
  // Not one of ours, and a NUL would reach the store's query (which cannot hold it).
  if (state.length > 200 || state.includes('\u0000')) fail('LTI_STATE_UNKNOWN', ctx, 'state');
  const result = await ctx.deps.store.consumeLogin(state, ctx.deps.stateMaxAgeMs, ctx.now);
  if (result.status === 'unknown') fail('LTI_STATE_UNKNOWN', ctx, 'state');
  if (result.status === 'expired') fail('LTI_STATE_EXPIRED', ctx, 'state');
  if (result.status === 'reused') fail('LTI_STATE_REUSED', ctx, 'state');
  if (result.status === 'ok') ctx.login = result.login;
  // The cookie, or the platform's storage for our origin, ties the launch to the browser that started the
  // login (login CSRF). Checked after consuming, so neither way lets a state be tried twice.
  if (ctx.req.storage) {
    const code = storageBindingError(ctx.login as LoginRecord, ctx.req.storage);
    if (code) fail(code, ctx, 'state');
  } else if (!ctx.req.hasStateCookie(state)) fail('LTI_STATE_COOKIE_MISSING', ctx, 'state');
}

function decodeToken(ctx: Ctx): void {
  const token = ctx.req.idToken as string;
  try {
    const header = decodeProtectedHeader(token);
    ctx.claims = decodeJwt(token) as Record<string, unknown>;
    ctx.jwt = { token, header };
  } catch (cause) {
    throw new LaunchError('LTI_ID_TOKEN_MALFORMED', 'jwt-shape', ctx.login, cause);
  }
}

function checkHeader(ctx: Ctx): void {
  const { header } = ctx.jwt as DecodedToken;
  if (header.alg !== 'RS256') fail('LTI_JWT_ALG_UNSUPPORTED', ctx, 'jwt-header');
  if (typeof header.kid !== 'string' || header.kid === '') fail('LTI_JWT_KID_MISSING', ctx, 'jwt-header');
}

async function checkPlatform(ctx: Ctx): Promise<void> {
  const login = ctx.login as LoginRecord;
  const { iss, aud, azp } = ctx.claims;
  if (iss !== login.issuer) fail('LTI_ISS_MISMATCH', ctx, 'platform');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(login.clientId)) fail('LTI_AUD_MISMATCH', ctx, 'platform');
  // OIDC Core 3.1.3.7: with several audiences, azp must name us; when present it must be us anyway.
  if ((audiences.length > 1 || azp !== undefined) && azp !== login.clientId) fail('LTI_AZP_MISMATCH', ctx, 'platform');
  const platform = await ctx.deps.platforms.get(login.platformId);
  if (!platform) return fail('LTI_PLATFORM_UNKNOWN', ctx, 'platform');
  if (!platform.active) fail('LTI_PLATFORM_INACTIVE', ctx, 'platform');
  ctx.platform = platform;
}

async function checkSignature(ctx: Ctx): Promise<void> {
  const jwt = ctx.jwt as DecodedToken;
  const key = await ctx.deps.jwks.getKey((ctx.platform as Platform).jwksUrl, jwt.header.kid as string);
  if (!key) return fail('LTI_JWT_KID_UNKNOWN', ctx, 'signature');
  try {
    await compactVerify(jwt.token, key, { algorithms: ['RS256'] });
  } catch (cause) {
    throw new LaunchError('LTI_JWT_SIGNATURE_INVALID', 'signature', ctx.login, cause);
  }
}

function checkTimes(ctx: Ctx): void {
  const now = ctx.now.getTime() / 1000;
  const skew = ctx.deps.clockSkewSeconds;
  const { exp, iat } = ctx.claims;
  if (typeof exp !== 'number' || exp + skew < now) fail('LTI_TOKEN_EXPIRED', ctx, 'times');
  if (typeof iat !== 'number' || iat - skew > now) fail('LTI_TOKEN_IAT_FUTURE', ctx, 'times');
}

/**
 * The nonce must be the one our login sent with this state. Each login's nonce is fresh and random, and its
 * state was just consumed by a unique insert (consumeState), so a token passing here passes once: no second
 * write is needed to make the nonce single-use. A token carrying another nonce is refused; when that nonce
 * belongs to a login already consumed, it is named a replay (an old token re-posted with a fresh login).
 */
async function checkNonce(ctx: Ctx): Promise<void> {
  const nonce = ctx.claims.nonce;
  if (typeof nonce !== 'string' || nonce === '') return fail('LTI_NONCE_MISMATCH', ctx, 'nonce');
  if (nonce === (ctx.login as LoginRecord).nonce) return;
  if (nonce.length <= 200 && !nonce.includes('\u0000') && (await ctx.deps.store.nonceUsed(nonce)))
    fail('LTI_NONCE_REPLAYED', ctx, 'nonce');
  fail('LTI_NONCE_MISMATCH', ctx, 'nonce');
}

function checkVersion(ctx: Ctx): void {
  if (ctx.claims[CLAIM.version] !== '1.3.0') fail('LTI_VERSION_INVALID', ctx, 'version');
}

function checkMessageType(ctx: Ctx): void {
  const type = ctx.claims[CLAIM.messageType];
  if (typeof type !== 'string' || type === '') fail('LTI_MESSAGE_TYPE_MISSING', ctx, 'message-type');
  if (!(SUPPORTED_MESSAGE_TYPES as readonly unknown[]).includes(type))
    fail('LTI_MESSAGE_TYPE_UNSUPPORTED', ctx, 'message-type');
}

function checkDeployment(ctx: Ctx): void {
  const deploymentId = ctx.claims[CLAIM.deploymentId];
  if (typeof deploymentId !== 'string' || deploymentId === '') fail('LTI_DEPLOYMENT_MISSING', ctx, 'deployment');
  if (!(ctx.platform as Platform).deploymentIds.includes(deploymentId as string))
    fail('LTI_DEPLOYMENT_UNKNOWN', ctx, 'deployment');
}

function checkClaims(ctx: Ctx): void {
  const c = ctx.claims;
  if (typeof c.sub !== 'string' || c.sub === '') fail('LTI_SUB_MISSING', ctx, 'claims');
  if (!Array.isArray(c[CLAIM.roles]) || !(c[CLAIM.roles] as unknown[]).every((r) => typeof r === 'string')) {
    fail('LTI_ROLES_MISSING', ctx, 'claims');
  }
  if (!pointsAtTool(c[CLAIM.targetLinkUri], ctx.deps.toolUrl)) fail('LTI_TARGET_LINK_INVALID', ctx, 'claims');
  if (c[CLAIM.messageType] === 'LtiResourceLinkRequest') {
    const link = c[CLAIM.resourceLink] as { id?: unknown } | undefined;
    if (typeof link?.id !== 'string' || link.id === '') fail('LTI_RESOURCE_LINK_MISSING', ctx, 'claims');
  }
}

/** The opaque `data` we must echo: refused rather than cut, since a truncated value is not the platform's. */
export const DEEP_LINKING_DATA_MAX = 8192;

/**
 * A deep linking request we could not answer is refused here, before anything is stored: the platform must
 * say where to return and accept an ltiResourceLink (the only content item we make); `data`, which the
 * response echoes, must be a string we can carry whole.
 */
function checkDeepLinkingSettings(ctx: Ctx): void {
  if (ctx.claims[CLAIM.messageType] !== 'LtiDeepLinkingRequest') return;
  const raw = ctx.claims[CLAIM.deepLinkingSettings];
  const settings = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const returnUrl = settings.deep_link_return_url;
  if (typeof returnUrl !== 'string' || returnUrl.length > 2048 || !isHttpUrl(returnUrl)) {
    fail('LTI_DEEP_LINKING_SETTINGS_MISSING', ctx, 'deep-linking');
  }
  const accepts = settings.accept_types;
  if (!Array.isArray(accepts) || !accepts.includes('ltiResourceLink')) {
    fail('LTI_DEEP_LINKING_SETTINGS_INVALID', ctx, 'deep-linking');
  }
  const data = settings.data;
  if (data !== undefined && (typeof data !== 'string' || data.length > DEEP_LINKING_DATA_MAX)) {
    fail('LTI_DEEP_LINKING_SETTINGS_INVALID', ctx, 'deep-linking');
  }
}

/** Only an instructor may add a live class: a learner's deep linking launch ends here, before any page loads. */
function checkRole(ctx: Ctx): void {
  if (ctx.claims[CLAIM.messageType] !== 'LtiDeepLinkingRequest') return;
  const role = mapLtiRoles(ctx.claims[CLAIM.roles] as string[], (ctx.platform as Platform).roleMapping);
  if (role !== 'instructor') fail('LTI_DEEP_LINKING_FORBIDDEN', ctx, 'role');
}

function pointsAtTool(target: unknown, toolUrl: string): boolean {
  if (typeof target !== 'string' || !isHttpUrl(target)) return false;
  const t = new URL(target);
  const tool = new URL(toolUrl);
  const base = tool.pathname.endsWith('/') ? tool.pathname : `${tool.pathname}/`;
  return t.origin === tool.origin && (t.pathname === tool.pathname || t.pathname.startsWith(base));
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
