import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths.js';
import { urlSchema } from '../urls.js';
import { SUPPORTED_MESSAGE_TYPES, type MessageType } from './claims.js';
import { LINK_CUSTOM_NAMES } from './link-parameters.js';

/**
 * lti-registration.json is the one description of the tool (title, paths, messages, placements, scopes,
 * custom parameters). Everything an LMS is given is built from it by the pure functions below: the Canvas
 * developer-key JSON and the LTI Dynamic Registration 1.0 client registration request.
 */

export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const CANVAS_PRIVACY_LEVEL = 'https://canvas.instructure.com/lti/privacy_level';
const CANVAS_ACCOUNT_NAME = 'https://canvas.instructure.com/lti/account_name';

const routePath = z.string().regex(/^\/[A-Za-z0-9._~/-]*$/, 'must be an absolute path such as /lti/launch');

const registrationSchema = z
  .object({
    title: z.string().min(1).max(100),
    description: z.string().min(1).max(1000),
    privacyLevel: z.enum(['public', 'name_only', 'email_only', 'anonymous']),
    paths: z
      .object({
        login: routePath,
        launch: routePath,
        keys: routePath,
        register: routePath,
        canvasConfig: routePath,
      })
      .strict(),
    redirectPaths: z.array(routePath).min(1),
    messages: z
      .array(
        z
          .object({
            type: z.enum(SUPPORTED_MESSAGE_TYPES),
            label: z.string().min(1).max(100).optional(),
            placements: z.array(z.string().regex(/^[A-Za-z_]+$/)).default([]),
          })
          .strict(),
      )
      .min(1)
      .refine((list) => new Set(list.map((m) => m.type)).size === list.length, 'one entry per message type'),
    scopes: z.array(z.url()),
    customParameters: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), z.string())
      .default({})
      .refine((params) => !Object.keys(params).some((name) => LINK_CUSTOM_NAMES.includes(name)), {
        message: `must not name a parameter the tool writes on its links (${LINK_CUSTOM_NAMES.join(', ')}): in Moodle a tool-level custom parameter overrides the link's own`,
      }),
  })
  .strict();

export type ToolRegistration = z.infer<typeof registrationSchema>;

export class RegistrationFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Invalid ${path.basename(file)}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RegistrationFileError';
  }
}

/** Validates the registration description; throws RegistrationFileError listing every problem. */
export function parseToolRegistration(value: unknown, file = 'lti-registration.json'): ToolRegistration {
  const parsed = registrationSchema.safeParse(value);
  if (!parsed.success) {
    throw new RegistrationFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** Reads and validates lti-registration.json once, at startup (before the tool listens). */
export function loadToolRegistration(file = path.join(projectRoot(), 'lti-registration.json')): ToolRegistration {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RegistrationFileError(file, [(err as Error).message]);
  }
  return parseToolRegistration(json, file);
}

/** The tool's absolute URLs under the public URL. */
export function toolUrls(reg: ToolRegistration, publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    base,
    domain: new URL(base).host,
    login: base + reg.paths.login,
    launch: base + reg.paths.launch,
    keys: base + reg.paths.keys,
    register: base + reg.paths.register,
    canvasConfig: base + reg.paths.canvasConfig,
    redirects: reg.redirectPaths.map((p) => base + p),
  };
}

/**
 * Placements per message type. A placement named under several message types goes to deep linking: a
 * platform gives each placement one message type, and choosing what to add is what deep linking is for.
 */
export function placementsByMessage(
  reg: ToolRegistration,
): Array<{ type: MessageType; label?: string; placements: string[] }> {
  const deepLinking = new Set(reg.messages.find((m) => m.type === 'LtiDeepLinkingRequest')?.placements ?? []);
  return reg.messages.map((m) => ({
    type: m.type,
    ...(m.label ? { label: m.label } : {}),
    placements: [
      ...new Set(m.type === 'LtiDeepLinkingRequest' ? m.placements : m.placements.filter((p) => !deepLinking.has(p))),
    ],
  }));
}

/** OpenID Connect claims requested at launch, by privacy level (Canvas vocabulary). */
export function claimsFor(privacyLevel: ToolRegistration['privacyLevel']): string[] {
  const names = ['name', 'given_name', 'family_name'];
  switch (privacyLevel) {
    case 'public':
      return ['iss', 'sub', ...names, 'email'];
    case 'name_only':
      return ['iss', 'sub', ...names];
    case 'email_only':
      return ['iss', 'sub', 'email'];
    case 'anonymous':
      return ['iss', 'sub'];
  }
}

export interface CanvasPlacement {
  placement: string;
  message_type: MessageType;
  target_link_uri: string;
  text: string;
}

export interface CanvasConfig {
  title: string;
  description: string;
  oidc_initiation_url: string;
  target_link_uri: string;
  public_jwk_url: string;
  scopes: string[];
  extensions: Array<{
    platform: 'canvas.instructure.com';
    domain: string;
    privacy_level: ToolRegistration['privacyLevel'];
    settings: { text: string; placements: CanvasPlacement[] };
  }>;
  custom_fields: Record<string, string>;
}

/** The Canvas developer-key JSON ("Paste JSON" / "Enter URL"). Redirect URIs are entered in the form. */
export function canvasConfig(reg: ToolRegistration, publicUrl: string): CanvasConfig {
  const urls = toolUrls(reg, publicUrl);
  const placements = placementsByMessage(reg).flatMap((m) =>
    m.placements.map((placement) => ({
      placement,
      message_type: m.type,
      target_link_uri: urls.launch,
      text: m.label ?? reg.title,
    })),
  );
  return {
    title: reg.title,
    description: reg.description,
    oidc_initiation_url: urls.login,
    target_link_uri: urls.launch,
    public_jwk_url: urls.keys,
    scopes: [...reg.scopes],
    extensions: [
      {
        platform: 'canvas.instructure.com',
        domain: urls.domain,
        privacy_level: reg.privacyLevel,
        settings: { text: reg.title, placements },
      },
    ],
    custom_fields: { ...reg.customParameters },
  };
}

/** The parts of a platform's OpenID configuration (LTI Dynamic Registration 1.0, 3.4) that we use. */
export interface PlatformOpenIdConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  registration_endpoint: string;
  scopes_supported?: string[];
  [PLATFORM_CONFIGURATION]: {
    product_family_code: string;
    version?: string;
    /** Objects per the spec; Moodle sends a list of message type names. */
    messages_supported?: Array<string | { type: string; placements?: string[] }>;
    [CANVAS_ACCOUNT_NAME]?: string;
  };
}

/** A URL the tool may call during registration: https, or http when allowed (development and test). */
export const endpointUrl = (allowHttp: boolean) => urlSchema(allowHttp ? ['https:', 'http:'] : ['https:']);

export function platformConfigurationSchema(allowHttp: boolean) {
  const url = endpointUrl(allowHttp);
  const message = z.union([z.string(), z.object({ type: z.string(), placements: z.array(z.string()).optional() })]);
  return z.object({
    issuer: url,
    authorization_endpoint: url,
    token_endpoint: url,
    jwks_uri: url,
    registration_endpoint: url,
    scopes_supported: z.array(z.string()).optional(),
    [PLATFORM_CONFIGURATION]: z.object({
      product_family_code: z.string().min(1).max(100),
      version: z.string().max(100).optional(),
      messages_supported: z.array(message).optional(),
      [CANVAS_ACCOUNT_NAME]: z.string().max(200).optional(),
    }),
  }) satisfies z.ZodType<PlatformOpenIdConfiguration>;
}

/**
 * LTI Dynamic Registration 1.0, 3.5.1: the issuer must be a prefix of the openid_configuration URL, so a
 * configuration served from one site cannot claim another LMS's issuer. Compared as origin + path segments.
 */
export function configurationUrlMatchesIssuer(configurationUrl: string, issuer: string): boolean {
  try {
    const config = new URL(configurationUrl);
    const iss = new URL(issuer);
    if (config.origin !== iss.origin || iss.search || iss.hash) return false;
    const issPath = iss.pathname.replace(/\/+$/, '');
    return issPath === '' || config.pathname === issPath || config.pathname.startsWith(`${issPath}/`);
  } catch {
    return false;
  }
}

/** A readable name for the platform record: product and account (Canvas) or host. */
export function platformName(config: PlatformOpenIdConfiguration): string {
  const platform = config[PLATFORM_CONFIGURATION];
  const where = platform[CANVAS_ACCOUNT_NAME] ?? new URL(config.issuer).host;
  return `${platform.product_family_code} (${where})`.slice(0, 200);
}

export interface DynamicRegistrationMessage {
  type: MessageType;
  target_link_uri: string;
  label: string;
  placements?: string[];
}

export interface DynamicRegistrationPayload {
  application_type: 'web';
  response_types: ['id_token'];
  grant_types: ['implicit', 'client_credentials'];
  initiate_login_uri: string;
  redirect_uris: string[];
  client_name: string;
  jwks_uri: string;
  logo_uri?: string;
  token_endpoint_auth_method: 'private_key_jwt';
  scope: string;
  [TOOL_CONFIGURATION]: {
    domain: string;
    description: string;
    target_link_uri: string;
    custom_parameters: Record<string, string>;
    claims: string[];
    messages: DynamicRegistrationMessage[];
    [CANVAS_PRIVACY_LEVEL]: ToolRegistration['privacyLevel'];
  };
}

/**
 * The client registration request (LTI Dynamic Registration 1.0, 3.5.2). Scopes are limited to those the
 * platform says it supports; placements are sent only where the platform lists placements for that
 * message type (Canvas), since their names are platform-specific.
 */
export function dynamicRegistrationPayload(
  reg: ToolRegistration,
  publicUrl: string,
  platform: PlatformOpenIdConfiguration,
  options: { logoUri?: string } = {},
): DynamicRegistrationPayload {
  const urls = toolUrls(reg, publicUrl);
  const supportedScopes = platform.scopes_supported ? new Set(platform.scopes_supported) : undefined;
  const scopes = supportedScopes ? reg.scopes.filter((s) => supportedScopes.has(s)) : reg.scopes;
  const supported = platform[PLATFORM_CONFIGURATION].messages_supported;

  const messages = placementsByMessage(reg)
    .filter((m) => !supported || supported.some((s) => (typeof s === 'string' ? s : s.type) === m.type))
    .map((m): DynamicRegistrationMessage => {
      const entry = supported?.find(
        (s): s is { type: string; placements?: string[] } => typeof s === 'object' && s.type === m.type,
      );
      const placements = entry?.placements ? m.placements.filter((p) => entry.placements?.includes(p)) : [];
      return {
        type: m.type,
        target_link_uri: urls.launch,
        label: m.label ?? reg.title,
        ...(placements.length > 0 ? { placements } : {}),
      };
    });

  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.login,
    redirect_uris: urls.redirects,
    client_name: reg.title,
    jwks_uri: urls.keys,
    ...(options.logoUri ? { logo_uri: options.logoUri } : {}),
    token_endpoint_auth_method: 'private_key_jwt',
    scope: scopes.join(' '),
    [TOOL_CONFIGURATION]: {
      domain: urls.domain,
      description: reg.description,
      target_link_uri: urls.launch,
      custom_parameters: { ...reg.customParameters },
      claims: claimsFor(reg.privacyLevel),
      messages,
      [CANVAS_PRIVACY_LEVEL]: reg.privacyLevel,
    },
  };
}

/** The platform's answer (3.6): our client_id and, when the platform made one, the deployment. */
export const registrationResponseSchema = z.object({
  client_id: z.union([z.string().min(1).max(512), z.number()]).transform(String),
  [TOOL_CONFIGURATION]: z
    .object({
      deployment_id: z
        .union([z.string().min(1).max(512), z.number()])
        .transform(String)
        .optional(),
    })
    .optional(),
});
