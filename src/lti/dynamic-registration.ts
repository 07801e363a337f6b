import { z } from 'zod';
import { AppError } from '../errors.js';
import { BoundedFetchError, boundedFetch } from '../net/bounded-fetch.js';
import type { Platform, PlatformService } from './platform-store.js';
import {
  configurationUrlMatchesIssuer,
  dynamicRegistrationPayload,
  endpointUrl,
  PLATFORM_CONFIGURATION,
  platformConfigurationSchema,
  platformName,
  registrationResponseSchema,
  TOOL_CONFIGURATION,
  type DynamicRegistrationPayload,
  type PlatformOpenIdConfiguration,
  type ToolRegistration,
} from './registration.js';

/**
 * LTI Dynamic Registration 1.0, tool side, hardened where ltijs is not: the initiation request is
 * validated, the platform's configuration is fetched with a timeout, a size cap and no cross-origin
 * redirects, its issuer must prefix the URL it came from (3.5.1), and the new platform stays inactive
 * until the tool's administrator activates it (unless auto-activation is configured).
 */

export interface DynamicRegistrationDeps {
  registration: ToolRegistration;
  publicUrl: string;
  platforms: Pick<PlatformService, 'upsert' | 'find'>;
  /** http URLs are accepted only in development and test (loopback LMSs). */
  allowHttp: boolean;
  autoActivate: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
}

export type RegistrationStep = 'request' | 'openid-configuration' | 'registration' | 'save';

export interface DynamicRegistrationResult {
  platform: Platform;
  created: boolean;
  /** Undefined when the LMS did not create a deployment (Canvas): launches need one added by the admin. */
  deploymentId?: string;
  productFamily: string;
}

/** An AppError that knows which step failed (shown on the error page, logged). */
export class RegistrationError extends AppError {
  constructor(
    code: 'LTI_DYNREG_INVALID' | 'LTI_DYNREG_FAILED',
    readonly step: RegistrationStep,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, { message, ...options });
  }
}

export const REGISTRATION_TIMEOUT_MS = 5_000;
export const REGISTRATION_MAX_BYTES = 256 * 1024;
const MAX_REDIRECTS = 3;

const querySchema = z.object({
  openid_configuration: z.url().max(2048),
  // Sent back as a header, which cannot carry control characters.
  registration_token: z
    .string()
    .min(1)
    .max(8192)
    .regex(/^[\x20-\x7e]+$/, 'printable ASCII only')
    .optional(),
});

export async function registerDynamically(
  query: unknown,
  deps: DynamicRegistrationDeps,
): Promise<DynamicRegistrationResult> {
  const request = parseQuery(query, deps.allowHttp);
  const config = await fetchPlatformConfiguration(request.openid_configuration, request.registration_token, deps);
  const payload = dynamicRegistrationPayload(deps.registration, deps.publicUrl, config);
  const { clientId, deploymentId } = await postRegistration(config.registration_endpoint, payload, request, deps);

  // Never deactivate a registration that is already active (the LMS may re-register the same client).
  const existing = await deps.platforms.find(config.issuer, clientId);
  const { platform, created } = await deps.platforms.upsert({
    issuer: config.issuer,
    clientId,
    name: platformName(config),
    authLoginUrl: config.authorization_endpoint,
    accessTokenUrl: config.token_endpoint,
    jwksUrl: config.jwks_uri,
    // Empty when the LMS made no deployment yet: launches fail with LTI_DEPLOYMENT_UNKNOWN until it is added.
    deploymentIds: deploymentId ? [deploymentId] : [],
    source: 'dynamic',
    active: deps.autoActivate || (existing?.active ?? false),
  });
  return { platform, created, deploymentId, productFamily: config[PLATFORM_CONFIGURATION].product_family_code };
}

/** POSTs the client registration (3.5.2) with the registration token; reads client_id and deployment_id (3.6). */
async function postRegistration(
  endpoint: string,
  payload: DynamicRegistrationPayload,
  request: z.infer<typeof querySchema>,
  deps: DynamicRegistrationDeps,
): Promise<{ clientId: string; deploymentId?: string }> {
  const answer = await call(
    'registration',
    endpoint,
    {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...bearer(request.registration_token),
      },
      body: JSON.stringify(payload),
    },
    deps,
  );
  if (!answer.ok) {
    throw new RegistrationError(
      'LTI_DYNREG_FAILED',
      'registration',
      `The LMS refused the registration (HTTP ${answer.status}).`,
      {
        details: { status: answer.status },
        cause: new Error(`LMS answered ${answer.status}: ${answer.text.slice(0, 500)}`),
      },
    );
  }
  const response = registrationResponseSchema.safeParse(parseJson(answer.text));
  if (!response.success) {
    throw new RegistrationError(
      'LTI_DYNREG_FAILED',
      'registration',
      'The LMS accepted the registration but its answer has no client_id.',
      { cause: new Error(answer.text.slice(0, 500)) },
    );
  }
  return { clientId: response.data.client_id, deploymentId: response.data[TOOL_CONFIGURATION]?.deployment_id };
}

function parseQuery(query: unknown, allowHttp: boolean): z.infer<typeof querySchema> {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    throw new RegistrationError(
      'LTI_DYNREG_INVALID',
      'request',
      'Start the registration from the LMS: the request needs an openid_configuration URL (and usually a registration_token).',
      { details: { fields: parsed.error.issues.map((i) => i.path.join('.')) } },
    );
  }
  if (!endpointUrl(allowHttp).safeParse(parsed.data.openid_configuration).success) {
    throw new RegistrationError(
      'LTI_DYNREG_INVALID',
      'request',
      'The LMS configuration URL (openid_configuration) must use https.',
    );
  }
  return parsed.data;
}

async function fetchPlatformConfiguration(
  url: string,
  token: string | undefined,
  deps: DynamicRegistrationDeps,
): Promise<PlatformOpenIdConfiguration> {
  // Canvas requires the registration token on this request too; other LMSs ignore it.
  const answer = await call(
    'openid-configuration',
    url,
    { headers: { accept: 'application/json', ...bearer(token) } },
    deps,
  );
  if (!answer.ok) {
    throw new RegistrationError(
      'LTI_DYNREG_FAILED',
      'openid-configuration',
      `The LMS configuration could not be fetched (HTTP ${answer.status}).`,
      { details: { status: answer.status } },
    );
  }
  const parsed = platformConfigurationSchema(deps.allowHttp).safeParse(parseJson(answer.text));
  if (!parsed.success) {
    // The page shows only the message: name the fields there, so the LMS admin knows what to fix.
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(the document)'))];
    throw new RegistrationError(
      'LTI_DYNREG_INVALID',
      'openid-configuration',
      `The LMS configuration is incomplete or uses URLs the tool cannot accept${deps.allowHttp ? '' : ' (https is required)'}: ${fields.join(', ')}.`,
      { details: { fields } },
    );
  }
  if (!configurationUrlMatchesIssuer(url, parsed.data.issuer)) {
    throw new RegistrationError(
      'LTI_DYNREG_INVALID',
      'openid-configuration',
      "The LMS configuration's issuer does not match the address it was fetched from (the openid_configuration URL must start with the issuer).",
      { details: { issuer: parsed.data.issuer } },
    );
  }
  return parsed.data;
}

interface Answer {
  ok: boolean;
  status: number;
  text: string;
}

/**
 * One HTTP exchange with the LMS, bounded in time and size (one deadline for the whole exchange). GET
 * follows redirects only within the same origin; POST follows none. Transport failures become
 * LTI_DYNREG_FAILED.
 */
async function call(
  step: RegistrationStep,
  url: string,
  init: Omit<RequestInit, 'redirect' | 'signal'>,
  deps: DynamicRegistrationDeps,
): Promise<Answer> {
  const maxBytes = deps.maxBytes ?? REGISTRATION_MAX_BYTES;
  const timeoutMs = deps.timeoutMs ?? REGISTRATION_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const options = { timeoutMs, maxBytes, signal, fetch: deps.fetch };
  const origin = new URL(url).origin;
  const failed = (message: string, cause?: unknown) =>
    new RegistrationError('LTI_DYNREG_FAILED', step, message, { cause });
  try {
    let current = url;
    for (let redirects = 0; ; redirects += 1) {
      const res = await boundedFetch(current, init, options);
      if (res.status >= 300 && res.status < 400) {
        const next = res.location ? new URL(res.location) : undefined;
        if (init.method === 'POST' || !next || next.origin !== origin || redirects >= MAX_REDIRECTS) {
          throw failed('The LMS answered with a redirect the tool does not follow (to another site, or too many).');
        }
        current = next.href;
        continue;
      }
      return { ok: res.ok, status: res.status, text: res.text };
    }
  } catch (err) {
    if (err instanceof RegistrationError) throw err;
    const reason = err instanceof BoundedFetchError ? err.reason : 'unreachable';
    if (reason === 'too-large') throw failed(`The LMS answer is larger than ${maxBytes} bytes.`, err);
    throw failed(reason === 'timeout' ? 'The LMS did not answer in time.' : 'The LMS could not be reached.', err);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};
