import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { demoLoginParams, LtiBrowser, postLaunch, startToolLogin, type LaunchResult } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
type Claims = Record<string, unknown>;

interface Case {
  name: string;
  code: string;
  status?: number;
  claims?: (c: Claims) => void;
  header?: Record<string, unknown> | { omitKid: boolean };
  /** Replace the signed token before posting. */
  token?: (signed: string) => string;
  form?: (fields: Record<string, string>) => void;
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const CASES: Case[] = [
  { name: 'no kid in the header', code: 'LTI_JWT_KID_MISSING', header: { omitKid: true } },
  { name: 'an unknown kid', code: 'LTI_JWT_KID_UNKNOWN', header: { kid: 'not-a-published-key' } },
  {
    name: 'alg none (unsigned)',
    code: 'LTI_JWT_ALG_UNSUPPORTED',
    token: (t) => `${b64({ alg: 'none', typ: 'JWT' })}.${t.split('.')[1]}.`,
  },
  { name: 'alg HS256', code: 'LTI_JWT_ALG_UNSUPPORTED', header: { alg: 'HS256' } },
  {
    name: 'a bad signature (payload changed after signing)',
    code: 'LTI_JWT_SIGNATURE_INVALID',
    token: (t) => {
      const [h, p, s] = t.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Claims;
      payload.name = 'Mallory';
      return `${h}.${b64(payload)}.${s}`;
    },
  },
  { name: 'a wrong iss', code: 'LTI_ISS_MISMATCH', claims: (c) => void (c.iss = 'https://lms.evil.example') },
  { name: 'a wrong aud', code: 'LTI_AUD_MISMATCH', claims: (c) => void (c.aud = 'another-tool') },
  {
    name: 'an aud array without a matching azp',
    code: 'LTI_AZP_MISMATCH',
    claims: (c) => {
      c.aud = [c.aud, 'another-tool'];
      c.azp = 'another-tool';
    },
  },
  {
    name: 'an expired token',
    code: 'LTI_TOKEN_EXPIRED',
    claims: (c) => {
      c.iat = now() - 7200;
      c.exp = now() - 3600;
    },
  },
  {
    name: 'iat in the future beyond the skew',
    code: 'LTI_TOKEN_IAT_FUTURE',
    claims: (c) => void (c.iat = now() + 600),
  },
  { name: 'a missing version', code: 'LTI_VERSION_INVALID', claims: (c) => void delete c[`${LTI}version`] },
  { name: 'a wrong version', code: 'LTI_VERSION_INVALID', claims: (c) => void (c[`${LTI}version`] = '1.1.0') },
  {
    name: 'a missing message_type',
    code: 'LTI_MESSAGE_TYPE_MISSING',
    claims: (c) => void delete c[`${LTI}message_type`],
  },
  {
    name: 'an unsupported message_type',
    code: 'LTI_MESSAGE_TYPE_UNSUPPORTED',
    claims: (c) => void (c[`${LTI}message_type`] = 'LtiSubmissionReviewRequest'),
  },
  { name: 'missing roles', code: 'LTI_ROLES_MISSING', claims: (c) => void delete c[`${LTI}roles`] },
  {
    name: 'a missing deployment_id',
    code: 'LTI_DEPLOYMENT_MISSING',
    claims: (c) => void delete c[`${LTI}deployment_id`],
  },
  {
    name: 'an unregistered deployment_id',
    code: 'LTI_DEPLOYMENT_UNKNOWN',
    status: 403,
    claims: (c) => void (c[`${LTI}deployment_id`] = 'deployment-nobody-registered'),
  },
  {
    name: 'a missing resource_link.id',
    code: 'LTI_RESOURCE_LINK_MISSING',
    claims: (c) => void (c[`${LTI}resource_link`] = { title: 'no id' }),
  },
  { name: 'a missing sub', code: 'LTI_SUB_MISSING', claims: (c) => void delete c.sub },
  {
    name: 'a target_link_uri that is not this tool',
    code: 'LTI_TARGET_LINK_INVALID',
    claims: (c) => void (c[`${LTI}target_link_uri`] = 'https://elsewhere.example/launch'),
  },
  { name: 'a nonce our login did not issue', code: 'LTI_NONCE_MISMATCH', claims: (c) => void (c.nonce = 'made-up') },
  { name: 'an id_token that is not a JWT', code: 'LTI_ID_TOKEN_MALFORMED', token: () => 'not-a-jwt' },
  { name: 'a missing id_token', code: 'LTI_ID_TOKEN_MISSING', form: (f) => void delete f.id_token },
  { name: 'a missing state', code: 'LTI_STATE_MISSING', form: (f) => void delete f.state },
  {
    name: 'an unknown state',
    code: 'LTI_STATE_UNKNOWN',
    form: (f) => void (f.state = randomBytes(32).toString('base64url')),
  },
];

describe('LTI launch validation: the bad-payload matrix', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let demo: DemoPlatform;
  before(async () => {
    env = await useTestEnvironment();
    demo = env.tool.demo as DemoPlatform;
  });

  const loginParams = () => demoLoginParams(demo, env.config.server.publicUrl, { login_hint: 'student-1' });

  /** A real login at the tool, then a token the test builds, signed with the demo LMS key. */
  async function attempt(c: Case): Promise<LaunchResult> {
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, loginParams());
    const claims = demo.idTokenClaims({ role: 'student', nonce: login.nonce });
    c.claims?.(claims);
    const signed = demo.sign(claims, c.header);
    const fields: Record<string, string> = { id_token: c.token ? c.token(signed) : signed, state: login.state };
    c.form?.(fields);
    return postLaunch(browser, fields);
  }

  const assertRefused = (result: LaunchResult, code: string, status = 400) => {
    assert.equal(result.status, status, result.body.slice(0, 400));
    assert.ok(
      result.body.includes(`<code>${code}</code>`),
      `expected ${code} in the page:\n${result.body.slice(0, 800)}`,
    );
    assert.match(result.body, /For your LMS admin/);
    assert.equal(result.token, undefined);
  };

  it('accepts the unmodified token (the baseline every case changes one thing of)', async () => {
    const result = await attempt({ name: 'baseline', code: '' });
    assert.equal(result.status, 303, result.body);
  });

  for (const c of CASES) {
    it(`refuses ${c.name} with ${c.code}`, async () => {
      assertRefused(await attempt(c), c.code, c.status);
    });
  }

  it('refuses a reused state with LTI_STATE_REUSED', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, loginParams());
    const fields = {
      id_token: demo.sign(demo.idTokenClaims({ role: 'student', nonce: login.nonce })),
      state: login.state,
    };
    assert.equal((await postLaunch(browser, fields)).status, 303);
    assertRefused(await postLaunch(browser, fields), 'LTI_STATE_REUSED');
  });

  it('refuses a replayed nonce with LTI_NONCE_REPLAYED, even under a fresh login', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const first = await startToolLogin(browser, loginParams());
    const idToken = demo.sign(demo.idTokenClaims({ role: 'student', nonce: first.nonce }));
    assert.equal((await postLaunch(browser, { id_token: idToken, state: first.state })).status, 303);
    const second = await startToolLogin(browser, loginParams());
    assertRefused(await postLaunch(browser, { id_token: idToken, state: second.state }), 'LTI_NONCE_REPLAYED');
  });

  it('refuses an expired state with LTI_STATE_EXPIRED', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, loginParams());
    const conn = await mongoose.createConnection(env.stack.mongoUri, { serverSelectionTimeoutMS: 2000 }).asPromise();
    try {
      await conn
        .collection('lti_logins')
        .updateOne({ state: login.state }, { $set: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    } finally {
      await conn.close();
    }
    const fields = {
      id_token: demo.sign(demo.idTokenClaims({ role: 'student', nonce: login.nonce })),
      state: login.state,
    };
    assertRefused(await postLaunch(browser, fields), 'LTI_STATE_EXPIRED');
  });

  it('offers to restart in a new window when the browser dropped the state cookie', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, loginParams());
    browser.forgetCookies();
    const fields = {
      id_token: demo.sign(demo.idTokenClaims({ role: 'student', nonce: login.nonce })),
      state: login.state,
    };
    const result = await postLaunch(browser, fields);
    assertRefused(result, 'LTI_STATE_COOKIE_MISSING');
    const link = /href="(\/lti\/login\?[^"]+)" target="_blank"/.exec(result.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(link, 'a restart link');
    // The link starts a fresh login at the top level, where first-party cookies work.
    const restarted = await startToolLogin(
      new LtiBrowser(env.tool.url),
      Object.fromEntries(new URL(link, env.tool.url).searchParams),
    );
    assert.ok(restarted.state);
  });

  it('refuses a login from an unregistered platform with LTI_PLATFORM_UNKNOWN', async () => {
    const res = await new LtiBrowser(env.tool.url).get(
      `/lti/login?${new URLSearchParams({ ...loginParams(), iss: 'https://unknown.example' })}`,
    );
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes('<code>LTI_PLATFORM_UNKNOWN</code>'));
  });

  it('refuses a login with missing parameters with LTI_LOGIN_INVALID', async () => {
    const res = await new LtiBrowser(env.tool.url).get(
      `/lti/login?iss=${encodeURIComponent(demo.registration.issuer)}`,
    );
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes('<code>LTI_LOGIN_INVALID</code>'));
  });

  it('refuses a login from an inactive platform with LTI_PLATFORM_INACTIVE', async () => {
    const conn = await mongoose.createConnection(env.stack.mongoUri, { serverSelectionTimeoutMS: 2000 }).asPromise();
    try {
      await conn.collection('lti_platforms').insertOne({
        issuer: 'https://inactive.example',
        clientId: 'c1',
        name: 'Inactive LMS',
        authLoginUrl: 'https://inactive.example/auth',
        accessTokenUrl: 'https://inactive.example/token',
        jwksUrl: 'https://inactive.example/jwks',
        deploymentIds: ['d1'],
        active: false,
        source: 'dynamic',
      });
    } finally {
      await conn.close();
    }
    const res = await new LtiBrowser(env.tool.url).get(
      `/lti/login?${new URLSearchParams({ ...loginParams(), iss: 'https://inactive.example', client_id: 'c1' })}`,
    );
    assert.equal(res.status, 403);
    assert.ok((await res.text()).includes('<code>LTI_PLATFORM_INACTIVE</code>'));
  });

  it('refuses a deep linking request from a learner with LTI_DEEP_LINKING_FORBIDDEN', async () => {
    // The demo LMS itself never offers deep linking to students, so the test signs the request.
    const browser = new LtiBrowser(env.tool.url);
    const login = await startToolLogin(browser, loginParams());
    const claims = demo.idTokenClaims({ role: 'student', messageType: 'LtiDeepLinkingRequest', nonce: login.nonce });
    assertRefused(
      await postLaunch(browser, { id_token: demo.sign(claims), state: login.state }),
      'LTI_DEEP_LINKING_FORBIDDEN',
      403,
    );
  });
});
