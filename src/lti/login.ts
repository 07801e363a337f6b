import { z } from 'zod';
import { AppError } from '../errors.js';
import type { LaunchStore } from './launch-store.js';
import { randomToken } from './tokens.js';
import type { PlatformService } from './platform-store.js';
import { storageOffer, type StorageOffer } from './platform-storage.js';

/** A login parameter: bounded, and without NUL, which the store (PostgreSQL) can neither keep nor query. */
const param = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !v.includes('\u0000'), 'must not contain NUL');

/** OIDC third-party initiated login (LTI 1.3 core 5.1.1), as GET query or POST form. */
const loginSchema = z.object({
  iss: param(1, 2048),
  login_hint: param(1, 4096),
  target_link_uri: param(1, 2048).pipe(z.url()),
  client_id: param(1, 512).optional(),
  lti_deployment_id: param(1, 512).optional(),
  lti_message_hint: param(0, 8192).optional(),
  /** LTI Platform Storage: the frame of the LMS page that keeps our state when cookies are blocked. */
  lti_storage_target: param(1, 200).optional(),
});

/** How long an OIDC state is valid: long enough for a slow LMS login page, short enough to be useless later. */
export const LOGIN_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * The login parameters are kept for a restart in a new window only up to this size (URL-encoded). Real LMS
 * logins are far smaller (Canvas, the largest, sends ~1 KB); the maximum the schema accepts is ~14 KB, and
 * storing that for every login let one client fill the database.
 */
export const MAX_RESTART_PARAMS_BYTES = 3072;

export interface LoginDeps {
  store: LaunchStore;
  platforms: Pick<PlatformService, 'find' | 'findByIssuer'>;
  /** Our redirect URI, `${publicUrl}/lti/launch`. */
  launchUrl: string;
}

export interface LoginResult {
  state: string;
  /** Where to send the browser: the platform's authorization endpoint with the OIDC parameters. */
  redirectUrl: string;
  nonce: string;
  /** When the LMS offers platform storage: the login page stores state and nonce there before redirecting. */
  storage?: StorageOffer;
}

export async function startLogin(params: unknown, deps: LoginDeps): Promise<LoginResult> {
  const parsed = loginSchema.safeParse(params);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.'));
    throw new AppError('LTI_LOGIN_INVALID', { details: { fields } });
  }
  const p = parsed.data;
  const platform = p.client_id
    ? await deps.platforms.find(p.iss, p.client_id)
    : await deps.platforms.findByIssuer(p.iss).then((list) => (list.length === 1 ? list[0] : undefined));
  if (!platform)
    throw new AppError('LTI_PLATFORM_UNKNOWN', { details: { issuer: p.iss, clientId: p.client_id ?? null } });
  if (!platform.active)
    throw new AppError('LTI_PLATFORM_INACTIVE', { details: { issuer: p.iss, clientId: platform.clientId } });

  const state = randomToken(32);
  const nonce = randomToken(32);
  const storage = storageOffer(p.lti_storage_target, platform.authLoginUrl);
  await deps.store.saveLogin({
    state,
    nonce,
    issuer: platform.issuer,
    clientId: platform.clientId,
    platformId: platform.id,
    loginParams: restartParams(p),
    storage,
    expiresAt: new Date(Date.now() + LOGIN_MAX_AGE_MS),
  });

  const url = new URL(platform.authLoginUrl);
  const query: Record<string, string> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: deps.launchUrl,
    login_hint: p.login_hint,
    state,
    nonce,
  };
  if (p.lti_message_hint !== undefined) query.lti_message_hint = p.lti_message_hint;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return { state, nonce, redirectUrl: url.toString(), storage };
}

/** The parameters a restart needs, when they are small enough to keep (see MAX_RESTART_PARAMS_BYTES). */
function restartParams(p: z.infer<typeof loginSchema>): Record<string, string> | undefined {
  // A restart is a top-level window: no LMS frame to store into, and its cookie is first-party anyway.
  const { lti_storage_target: _target, ...rest } = p;
  const params = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new URLSearchParams(params).toString().length <= MAX_RESTART_PARAMS_BYTES ? params : undefined;
}
