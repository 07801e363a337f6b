import assert from 'node:assert/strict';
import { registerDynamically, type RegistrationError } from '../../src/lti/dynamic-registration.js';
import type { Platform, PlatformInput } from '../../src/lti/platform-store.js';
import {
  canvasConfig,
  claimsFor,
  configurationUrlMatchesIssuer,
  dynamicRegistrationPayload,
  loadToolRegistration,
  parseToolRegistration,
  platformConfigurationSchema,
  platformName,
  PLATFORM_CONFIGURATION,
  registrationResponseSchema,
  RegistrationFileError,
  TOOL_CONFIGURATION,
  type PlatformOpenIdConfiguration,
  type ToolRegistration,
} from '../../src/lti/registration.js';

const PUBLIC_URL = 'https://live.example.edu/';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/scope/';
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

const reg: ToolRegistration = parseToolRegistration({
  title: 'Live class',
  description: 'Live video classes.',
  privacyLevel: 'public',
  paths: {
    login: '/lti/login',
    launch: '/lti/launch',
    keys: '/lti/keys',
    register: '/lti/register',
    canvasConfig: '/lti/canvas.json',
  },
  redirectPaths: ['/lti/launch'],
  messages: [
    { type: 'LtiResourceLinkRequest', placements: ['link_selection', 'course_navigation'] },
    { type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'link_selection', 'editor_button'] },
  ],
  scopes: [`${AGS}lineitem`, `${AGS}score`, NRPS],
  customParameters: { user_timezone: '$Person.address.timezone' },
});

function platform(overrides: Partial<PlatformOpenIdConfiguration> = {}): PlatformOpenIdConfiguration {
  return {
    issuer: 'https://lms.example.edu',
    authorization_endpoint: 'https://lms.example.edu/auth',
    token_endpoint: 'https://lms.example.edu/token',
    jwks_uri: 'https://lms.example.edu/jwks',
    registration_endpoint: 'https://lms.example.edu/register',
    [PLATFORM_CONFIGURATION]: { product_family_code: 'moodle' },
    ...overrides,
  };
}

describe('registration: lti-registration.json', () => {
  it('loads and validates the shipped file', () => {
    const shipped = loadToolRegistration();
    assert.ok(shipped.title);
    assert.equal(shipped.paths.register, '/lti/register');
    assert.ok(shipped.messages.some((m) => m.type === 'LtiDeepLinkingRequest'));
    assert.equal(shipped.customParameters.activity_id, undefined);
  });

  for (const [description, change] of [
    ['an unknown message type', { messages: [{ type: 'LtiSubmissionReviewRequest' }] }],
    ['a relative path', { paths: { ...reg.paths, launch: 'lti/launch' } }],
    ['an unknown field', { icon: 'x.png' }],
    ['a scope that is not a URL', { scopes: ['lineitem'] }],
    [
      'the same message type twice',
      { messages: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiResourceLinkRequest' }] },
    ],
    // Moodle lets a tool-level custom parameter override the link's own: every launch would lose its activity.
    ['a custom parameter the tool writes on its links', { customParameters: { activity_id: '$ResourceLink.id' } }],
  ] as const) {
    it(`rejects ${description}`, () => {
      assert.throws(() => parseToolRegistration({ ...reg, ...change }), RegistrationFileError);
    });
  }
});

describe('registration: Canvas developer-key JSON', () => {
  const json = canvasConfig(reg, PUBLIC_URL);

  it('has the tool URLs under the public URL (trailing slash ignored)', () => {
    assert.equal(json.title, 'Live class');
    assert.equal(json.description, 'Live video classes.');
    assert.equal(json.oidc_initiation_url, 'https://live.example.edu/lti/login');
    assert.equal(json.target_link_uri, 'https://live.example.edu/lti/launch');
    assert.equal(json.public_jwk_url, 'https://live.example.edu/lti/keys');
    assert.deepEqual(json.scopes, reg.scopes);
    assert.deepEqual(json.custom_fields, { user_timezone: '$Person.address.timezone' });
  });

  it('has one Canvas extension with the privacy level and domain', () => {
    assert.equal(json.extensions.length, 1);
    const [ext] = json.extensions;
    assert.equal(ext?.platform, 'canvas.instructure.com');
    assert.equal(ext?.privacy_level, 'public');
    assert.equal(ext?.domain, 'live.example.edu');
  });

  it('gives each placement one message type, deep linking winning a shared placement', () => {
    const placements = json.extensions[0]?.settings.placements ?? [];
    const byName = Object.fromEntries(placements.map((p) => [p.placement, p.message_type]));
    assert.deepEqual(byName, {
      course_navigation: 'LtiResourceLinkRequest',
      assignment_selection: 'LtiDeepLinkingRequest',
      link_selection: 'LtiDeepLinkingRequest',
      editor_button: 'LtiDeepLinkingRequest',
    });
    assert.equal(placements.length, 4, 'no duplicate placements');
    assert.ok(placements.every((p) => p.target_link_uri === 'https://live.example.edu/lti/launch' && p.text));
  });
});

describe('registration: dynamic registration payload', () => {
  it('is a web client using private_key_jwt, id_token and both grants', () => {
    const p = dynamicRegistrationPayload(reg, PUBLIC_URL, platform());
    assert.equal(p.application_type, 'web');
    assert.deepEqual(p.response_types, ['id_token']);
    assert.deepEqual(p.grant_types, ['implicit', 'client_credentials']);
    assert.equal(p.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(p.initiate_login_uri, 'https://live.example.edu/lti/login');
    assert.deepEqual(p.redirect_uris, ['https://live.example.edu/lti/launch']);
    assert.equal(p.jwks_uri, 'https://live.example.edu/lti/keys');
    assert.equal(p.client_name, 'Live class');
    assert.equal(p.logo_uri, undefined);
    const tool = p[TOOL_CONFIGURATION];
    assert.equal(tool.domain, 'live.example.edu');
    assert.equal(tool.target_link_uri, 'https://live.example.edu/lti/launch');
    assert.equal(tool.description, 'Live video classes.');
    assert.deepEqual(tool.custom_parameters, { user_timezone: '$Person.address.timezone' });
    assert.deepEqual(tool.claims, ['iss', 'sub', 'name', 'given_name', 'family_name', 'email']);
  });

  const scopeRows: Array<{ description: string; supported?: string[]; expected: string[] }> = [
    { description: 'no scopes_supported: everything requested', expected: reg.scopes },
    { description: 'all supported', supported: [...reg.scopes, 'openid'], expected: reg.scopes },
    {
      description: 'no NRPS on the platform',
      supported: [`${AGS}lineitem`, `${AGS}score`],
      expected: [`${AGS}lineitem`, `${AGS}score`],
    },
    { description: 'nothing in common', supported: ['openid'], expected: [] },
  ];
  for (const row of scopeRows) {
    it(`scopes: ${row.description}`, () => {
      const p = dynamicRegistrationPayload(reg, PUBLIC_URL, platform({ scopes_supported: row.supported }));
      assert.deepEqual(p.scope.split(' ').filter(Boolean), row.expected);
      assert.ok(!p.scope.split(' ').includes('openid'), 'Canvas refuses the openid scope');
    });
  }

  it('messages: both types with the launch URL, no placements when the platform lists none (Moodle)', () => {
    const moodle = platform({
      [PLATFORM_CONFIGURATION]: {
        product_family_code: 'moodle',
        messages_supported: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
      },
    });
    const messages = dynamicRegistrationPayload(reg, PUBLIC_URL, moodle)[TOOL_CONFIGURATION].messages;
    assert.deepEqual(messages, [
      { type: 'LtiResourceLinkRequest', target_link_uri: 'https://live.example.edu/lti/launch', label: 'Live class' },
      { type: 'LtiDeepLinkingRequest', target_link_uri: 'https://live.example.edu/lti/launch', label: 'Live class' },
    ]);
  });

  it('messages: placements limited to those the platform supports per type (Canvas)', () => {
    const canvas = platform({
      [PLATFORM_CONFIGURATION]: {
        product_family_code: 'canvas',
        messages_supported: [
          { type: 'LtiResourceLinkRequest', placements: ['course_navigation', 'link_selection'] },
          { type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'link_selection'] },
        ],
      },
    });
    const messages = dynamicRegistrationPayload(reg, PUBLIC_URL, canvas)[TOOL_CONFIGURATION].messages;
    assert.deepEqual(
      messages.map((m) => [m.type, m.placements]),
      [
        ['LtiResourceLinkRequest', ['course_navigation']],
        ['LtiDeepLinkingRequest', ['assignment_selection', 'link_selection']],
      ],
    );
  });

  it('messages: a type the platform does not support is left out', () => {
    const noDeepLinking = platform({
      [PLATFORM_CONFIGURATION]: { product_family_code: 'x', messages_supported: [{ type: 'LtiResourceLinkRequest' }] },
    });
    const messages = dynamicRegistrationPayload(reg, PUBLIC_URL, noDeepLinking)[TOOL_CONFIGURATION].messages;
    assert.deepEqual(
      messages.map((m) => m.type),
      ['LtiResourceLinkRequest'],
    );
  });

  it('claims follow the privacy level', () => {
    assert.deepEqual(claimsFor('anonymous'), ['iss', 'sub']);
    assert.deepEqual(claimsFor('email_only'), ['iss', 'sub', 'email']);
    assert.deepEqual(claimsFor('name_only'), ['iss', 'sub', 'name', 'given_name', 'family_name']);
  });
});

describe('registration: platform configuration checks', () => {
  const rows: Array<[string, string, boolean]> = [
    ['https://moodle.example.edu/mod/lti/openid-configuration.php', 'https://moodle.example.edu', true],
    ['https://moodle.example.edu/mod/lti/openid-configuration.php', 'https://moodle.example.edu/', true],
    ['https://example.edu/moodle/mod/lti/openid-configuration.php', 'https://example.edu/moodle', true],
    [
      'https://canvas.instructure.com/api/lti/security/openid-configuration?registration_token=x',
      'https://canvas.instructure.com',
      true,
    ],
    ['https://example.edu/moodle2/openid', 'https://example.edu/moodle', false],
    ['https://lms.example.edu.evil.test/openid', 'https://lms.example.edu', false],
    ['https://evil.test/openid', 'https://canvas.instructure.com', false],
    ['http://lms.example.edu/openid', 'https://lms.example.edu', false],
    ['https://lms.example.edu/openid', 'not a url', false],
  ];
  for (const [url, issuer, expected] of rows) {
    it(`${url} ${expected ? 'is' : 'is not'} under issuer ${issuer}`, () => {
      assert.equal(configurationUrlMatchesIssuer(url, issuer), expected);
    });
  }

  it('requires https endpoints unless http is allowed', () => {
    const http = { ...platform(), token_endpoint: 'http://lms.example.edu/token' };
    assert.equal(platformConfigurationSchema(false).safeParse(http).success, false);
    assert.equal(platformConfigurationSchema(true).safeParse(http).success, true);
  });

  it('requires the LTI platform configuration with a product_family_code', () => {
    const { [PLATFORM_CONFIGURATION]: _omit, ...without } = platform();
    assert.equal(platformConfigurationSchema(false).safeParse(without).success, false);
  });

  it('names the platform by product and Canvas account or host', () => {
    assert.equal(platformName(platform()), 'moodle (lms.example.edu)');
    const canvas = platform({
      issuer: 'https://canvas.instructure.com',
      [PLATFORM_CONFIGURATION]: {
        product_family_code: 'canvas',
        'https://canvas.instructure.com/lti/account_name': 'Test University',
      },
    });
    assert.equal(platformName(canvas), 'canvas (Test University)');
  });

  it('reads client_id and deployment_id from the registration response, as strings', () => {
    const parsed = registrationResponseSchema.parse({
      client_id: 10000000000001,
      [TOOL_CONFIGURATION]: { deployment_id: 7 },
    });
    assert.equal(parsed.client_id, '10000000000001');
    assert.equal(parsed[TOOL_CONFIGURATION]?.deployment_id, '7');
    assert.equal(registrationResponseSchema.safeParse({ [TOOL_CONFIGURATION]: {} }).success, false);
  });
});

describe('registration: dynamic registration flow (fake LMS fetch)', () => {
  const configUrl = 'https://lms.example.edu/openid-configuration';
  const deps = (fetchImpl: typeof fetch, existingActive?: boolean) => {
    const saved: PlatformInput[] = [];
    return {
      saved,
      deps: {
        registration: reg,
        publicUrl: PUBLIC_URL,
        allowHttp: false,
        autoActivate: false,
        timeoutMs: 50,
        fetch: fetchImpl,
        platforms: {
          find: async () => (existingActive === undefined ? undefined : ({ active: existingActive } as Platform)),
          upsert: async (input: PlatformInput) => {
            saved.push(input);
            return { platform: { ...input, id: 'p1', active: input.active ?? true } as Platform, created: true };
          },
        },
      },
    };
  };
  const lms: typeof fetch = async (input, init) => {
    const url = String(input);
    if (url === configUrl) return Response.json(platform());
    if (url === 'https://lms.example.edu/register' && init?.method === 'POST') {
      return Response.json({ client_id: 'c1', [TOOL_CONFIGURATION]: { deployment_id: 'd1' } });
    }
    return new Response('not found', { status: 404 });
  };

  it('fails with LTI_DYNREG_FAILED when the LMS does not answer in time', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    await assert.rejects(
      registerDynamically({ openid_configuration: configUrl }, deps(hang).deps),
      (err: RegistrationError) => err.code === 'LTI_DYNREG_FAILED' && /in time/.test(err.message),
    );
  });

  it('refuses an http configuration URL in production', async () => {
    await assert.rejects(
      registerDynamically({ openid_configuration: 'http://lms.example.edu/openid-configuration' }, deps(lms).deps),
      (err: RegistrationError) => err.code === 'LTI_DYNREG_INVALID' && err.step === 'request',
    );
  });

  it('stores a new platform inactive with its deployment', async () => {
    const { saved, deps: d } = deps(lms);
    const result = await registerDynamically({ openid_configuration: configUrl, registration_token: 't' }, d);
    assert.equal(result.deploymentId, 'd1');
    assert.deepEqual(saved[0], {
      issuer: 'https://lms.example.edu',
      clientId: 'c1',
      name: 'moodle (lms.example.edu)',
      authLoginUrl: 'https://lms.example.edu/auth',
      accessTokenUrl: 'https://lms.example.edu/token',
      jwksUrl: 'https://lms.example.edu/jwks',
      deploymentIds: ['d1'],
      source: 'dynamic',
      active: false,
    });
  });

  it('never deactivates a registration that is already active', async () => {
    const { saved, deps: d } = deps(lms, true);
    await registerDynamically({ openid_configuration: configUrl }, d);
    assert.equal(saved[0]?.active, true);
  });
});
