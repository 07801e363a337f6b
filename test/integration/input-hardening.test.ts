import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { demoLoginParams, LtiBrowser, postLaunch, startToolLogin, type LaunchResult } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

/** Values of URL fields that are not URLs the tool may store, each of which once answered 500. */
const NOT_URLS: Record<string, string> = {
  'a word': 'x',
  'an empty string': '',
  'a NUL character': 'https://lms.example/a\u0000b',
  '5,000 characters': `https://lms.example/${'a'.repeat(5000)}`,
  'a javascript: URL': 'javascript:alert(1)',
};

const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

/** A stand-in LMS answering every GET with one JSON document built from its own base URL. */
async function serveJson(document: (base: string) => unknown): Promise<{ base: string; close(): Promise<void> }> {
  let base = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(base)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface ErrorAnswer {
  error: { code: string; details?: { fields?: Array<{ path: string }> } };
}

describe('input hardening: outside input is refused with a 4xx naming the field, or stored safely', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let demo: DemoPlatform;
  before(async () => {
    env = await useTestEnvironment();
    demo = env.tool.demo as DemoPlatform;
  });

  const call = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${env.tool.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const admin = (path: string, body?: unknown, method?: string) =>
    call(`/api/admin${path}`, { body, method, headers: { authorization: `Bearer ${env.config.admin.apiKey}` } });

  const assertFieldRefused = async (res: Response, field: string) => {
    const text = await res.text();
    assert.equal(res.status, 400, text.slice(0, 300));
    const body = JSON.parse(text) as ErrorAnswer;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    const paths = body.error.details?.fields?.map((f) => f.path) ?? [];
    assert.ok(paths.includes(field), `${field} named in ${JSON.stringify(paths)}`);
  };

  describe('URL fields that are not URLs', () => {
    const platform = (overrides: Record<string, unknown>) => ({
      issuer: 'https://hardening.example',
      clientId: 'hardening-client',
      name: 'Hardening LMS',
      authLoginUrl: 'https://hardening.example/auth',
      accessTokenUrl: 'https://hardening.example/token',
      jwksUrl: 'https://hardening.example/jwks',
      deploymentIds: ['d1'],
      ...overrides,
    });

    for (const field of ['authLoginUrl', 'accessTokenUrl', 'jwksUrl', 'frameOrigins']) {
      it(`POST /api/admin/platforms answers 400 naming ${field} for each`, async () => {
        for (const [name, value] of Object.entries(NOT_URLS)) {
          const body = platform({ [field]: field === 'frameOrigins' ? [value] : value });
          const res = await admin('/platforms', body);
          await assertFieldRefused(res, field === 'frameOrigins' ? 'frameOrigins.0' : field).catch((err: Error) => {
            throw new Error(`${name}: ${err.message}`);
          });
        }
      });
    }

    it('POST /api/v1/spaces/launch answers 400 naming webhooks.url for each', async () => {
      const created = await admin('/api-keys', { name: 'hardening' });
      assert.equal(created.status, 201);
      const { id, key } = (await created.json()) as { id: string; key: string };
      try {
        for (const [name, url] of Object.entries(NOT_URLS)) {
          const res = await call('/api/v1/spaces/launch', {
            headers: { 'x-api-key': key },
            body: { id: 'hardening-space', user: { id: 'u1', name: 'Ada' }, webhooks: { url } },
          });
          await assertFieldRefused(res, 'webhooks.url').catch((err: Error) => {
            throw new Error(`${name}: ${err.message}`);
          });
        }
      } finally {
        await admin(`/api-keys/${id}`, undefined, 'DELETE');
      }
    });
  });

  it("answers dynamic registration with 400 naming the fields when the LMS configuration's URLs are not URLs", async () => {
    // A tool of its own: its registration rate limit is not shared with the other registration suites.
    const tool = (await useTestEnvironment({ DYNAMIC_REGISTRATION_RATE_LIMIT: '100' })).tool;
    const lms = await serveJson((base) => ({
      issuer: base,
      authorization_endpoint: 'x',
      token_endpoint: '',
      jwks_uri: `${base}/${'a'.repeat(5000)}`,
      registration_endpoint: `${base}/a\u0000b`,
      [PLATFORM_CONFIGURATION]: { product_family_code: 'hardening' },
    }));
    try {
      const query = new URLSearchParams({
        openid_configuration: `${lms.base}/openid-configuration`,
        registration_token: 't',
      });
      const res = await fetch(`${tool.url}/lti/register?${query.toString()}`);
      const html = await res.text();
      assert.equal(res.status, 400, html.slice(0, 600));
      assert.ok(html.includes('<code>LTI_DYNREG_INVALID</code>'), html.slice(0, 600));
      for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'registration_endpoint']) {
        assert.ok(html.includes(field), `the page names ${field}`);
      }
    } finally {
      await lms.close();
    }
  });

  it('answers a NUL character anywhere (which the store cannot hold) with a 4xx, never a 500', async () => {
    const created = await admin('/api-keys', { name: 'nul' });
    const { id, key } = (await created.json()) as { id: string; key: string };
    try {
      const answers: Array<[string, Response]> = [
        ['an API key name', await admin('/api-keys', { name: 'a\u0000b' })],
        ['a platform issuer', await admin('/platforms', { issuer: 'a\u0000b', clientId: 'c', name: 'n' })],
        ['a key id in the path', await admin('/api-keys/%00', undefined, 'DELETE')],
        [
          'a space user name',
          await call('/api/v1/spaces/launch', {
            headers: { 'x-api-key': key },
            body: { id: 'nul-space', user: { id: 'u1', name: 'a\u0000b' } },
          }),
        ],
        [
          'a login issuer',
          await call(`/lti/login?iss=a%00b&login_hint=u&target_link_uri=${encodeURIComponent(env.tool.url)}`),
        ],
        [
          'a launch state',
          await fetch(`${env.tool.url}/lti/launch`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'id_token=x.y.z&state=a%00b',
          }),
        ],
        ['a webhook event id', await call('/hooks/livekit', { body: { event: 'room_started', id: 'a\u0000b' } })],
      ];
      for (const [name, res] of answers) {
        const body = await res.text();
        assert.ok(res.status >= 400 && res.status < 500, `${name}: ${res.status} ${body.slice(0, 200)}`);
      }
    } finally {
      await admin(`/api-keys/${id}`, undefined, 'DELETE');
    }
  });

  it('stores role overrides keyed by role URIs (dots) or by `$` names, and reads them back', async () => {
    const overrides = {
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor': 'participant',
      $set: 'observer',
    };
    const res = await admin('/platforms', {
      issuer: 'https://overrides.example',
      clientId: 'overrides-client',
      name: 'Overrides LMS',
      authLoginUrl: 'https://overrides.example/auth',
      accessTokenUrl: 'https://overrides.example/token',
      jwksUrl: 'https://overrides.example/jwks',
      deploymentIds: ['d1'],
      roleMapping: { overrides },
    });
    const text = await res.text();
    assert.equal(res.status, 201, text.slice(0, 300));
    const saved = JSON.parse(text) as { id: string; roleMapping: unknown };
    try {
      assert.deepEqual(saved.roleMapping, { overrides });
      const listed = (await (await admin('/platforms')).json()) as {
        platforms: Array<{ id: string; roleMapping: unknown }>;
      };
      assert.deepEqual(listed.platforms.find((p) => p.id === saved.id)?.roleMapping, { overrides });
    } finally {
      await admin(`/platforms/${saved.id}`, undefined, 'DELETE');
    }
  });

  describe('deep linking launches', () => {
    const loginParams = (clientId = demo.registration.clientId) =>
      demoLoginParams(demo, env.config.server.publicUrl, { client_id: clientId, login_hint: 'teacher-1' });

    /** A real login at the tool, then a teacher's deep linking token changed by `edit`, signed by the demo LMS. */
    async function deepLinkingLaunch(
      edit: (claims: Record<string, any>) => void,
      clientId?: string,
    ): Promise<LaunchResult> {
      const browser = new LtiBrowser(env.tool.url);
      const login = await startToolLogin(browser, loginParams(clientId));
      const claims = demo.idTokenClaims({
        role: 'instructor',
        messageType: 'LtiDeepLinkingRequest',
        nonce: login.nonce,
      }) as Record<string, any>;
      edit(claims);
      return postLaunch(browser, { id_token: demo.sign(claims), state: login.state });
    }

    const addClass = (token: string) =>
      call('/api/deep-linking', { headers: { authorization: `Bearer ${token}` }, body: { title: 'Hardening class' } });

    it('accepts settings and custom parameters with `$`, dotted and NUL keys, and still echoes data', async () => {
      const launch = await deepLinkingLaunch((c) => {
        const settings = c[`${DL}deep_linking_settings`] as Record<string, unknown>;
        settings.$set = { active: false };
        settings['a.b'] = 1;
        settings.data = 'opaque-data-1';
        c[CUSTOM] = { $where: 'x', 'context.id': 'y', 'nul\u0000key': 'z', ok: 'kept' };
      });
      assert.equal(launch.status, 303, launch.body.slice(0, 400));
      const res = await addClass(launch.token as string);
      const text = await res.text();
      assert.equal(res.status, 201, text.slice(0, 300));
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const { jwt } = JSON.parse(text) as { jwt: string };
      const claims = JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<
        string,
        any
      >;
      assert.equal(claims[`${DL}data`], 'opaque-data-1');
      assert.equal(claims[`${DL}content_items`].length, 1);
    });

    it('takes NUL characters out of the claims (a name, a context title) instead of failing the launch', async () => {
      const launch = await deepLinkingLaunch((c) => {
        c.name = 'Ada\u0000 Lovelace';
        c[`${LTI_CLAIM}context`] = { ...c[`${LTI_CLAIM}context`], title: 'Phys\u0000ics' };
      });
      assert.equal(launch.status, 303, launch.body.slice(0, 400));
      const me = await call('/api/me', { headers: { authorization: `Bearer ${launch.token}` } });
      const body = (await me.json()) as { user: { name: string }; context: { title: string } };
      assert.equal(body.user.name, 'Ada Lovelace');
      assert.equal(body.context.title, 'Physics');
    });

    const refusals: Array<[string, (settings: Record<string, unknown>) => void]> = [
      ['no accept_types', (s) => delete s.accept_types],
      ['accept_types without ltiResourceLink', (s) => void (s.accept_types = ['file', 'html'])],
      ['accept_types that is not a list', (s) => void (s.accept_types = 'ltiResourceLink')],
      ['data that is not a string', (s) => void (s.data = { nested: true })],
      ['data longer than the tool can echo whole', (s) => void (s.data = 'd'.repeat(9000))],
    ];
    for (const [name, edit] of refusals) {
      it(`refuses ${name} at launch with LTI_DEEP_LINKING_SETTINGS_INVALID, before anything is stored`, async () => {
        const launch = await deepLinkingLaunch((c) => edit(c[`${DL}deep_linking_settings`]));
        assert.equal(launch.status, 400, launch.body.slice(0, 400));
        assert.match(launch.body, /<code>LTI_DEEP_LINKING_SETTINGS_INVALID<\/code>/);
        assert.equal(launch.token, undefined);
      });
    }

    it('stores no activity when the response cannot be signed', async () => {
      // A registration of the demo LMS under a second client id, so its tool keys can go missing alone.
      const clientId = 'hardening-unsignable';
      const r = demo.registration;
      const created = await admin('/platforms', {
        issuer: r.issuer,
        clientId,
        name: 'Demo LMS, second registration',
        authLoginUrl: r.authLoginUrl,
        accessTokenUrl: r.accessTokenUrl,
        jwksUrl: r.jwksUrl,
        deploymentIds: [r.deploymentId],
      });
      assert.equal(created.status, 201);
      const platform = (await created.json()) as { id: string };
      const conn = await mongoose.createConnection(env.stack.mongoUri, { serverSelectionTimeoutMS: 2000 }).asPromise();
      try {
        const launch = await deepLinkingLaunch((c) => {
          c.aud = clientId;
          c.azp = clientId;
        }, clientId);
        assert.equal(launch.status, 303, launch.body.slice(0, 400));
        // The tool keys ltijs signs with are gone (a half-finished registration): signing fails.
        await conn.collection('platforms').deleteMany({ platformUrl: r.issuer, clientId });
        const res = await addClass(launch.token as string);
        assert.notEqual(res.status, 201);
        const body = await res.text();
        assert.doesNotMatch(body, /PLATFORM_NOT_FOUND|at .*\.js:\d+/);
        assert.equal(await conn.collection('activities').countDocuments({ platformId: platform.id }), 0);
      } finally {
        await conn.close();
        await admin(`/platforms/${platform.id}`, undefined, 'DELETE');
      }
    });
  });
});
