import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { createDemoPlatform, type DemoPlatform } from '../../src/dev/demo-platform.js';
import { createLogger } from '../../src/log.js';
import { signIdToken } from '../support/platform-signer.js';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const TOOL = {
  loginUrl: `${PUBLIC_URL}/lti/login`,
  launchUrl: `${PUBLIC_URL}/lti/launch`,
  jwksUrl: 'http://127.0.0.1:9/keys',
};
const LTI = 'https://purl.imsglobal.org/spec/lti/claim';

function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.') as [string, string];
  const json = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;
  return { header: json(h), payload: json(p) };
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function formField(html: string, name: string): string | undefined {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match?.[1] === undefined ? undefined : unescape(match[1]);
}

describe('demo platform: course page, launch and OIDC', () => {
  let platform: DemoPlatform;
  let app: Express;

  before(async () => {
    platform = await createDemoPlatform({ publicUrl: PUBLIC_URL, tool: TOOL, logger: createLogger('silent') });
    app = express().use('/demo', platform.router);
  });

  /** Starts a launch and returns the query the tool's login handler would receive. */
  async function login(query: string): Promise<URLSearchParams> {
    const res = await request(app).get(`/demo/platform/launch?${query}`).expect(302);
    const location = new URL(res.headers.location as string);
    assert.equal(`${location.origin}${location.pathname}`, TOOL.loginUrl);
    return location.searchParams;
  }

  /** The authorization request ltijs sends after a login, with `overrides` applied. */
  function authQuery(loginParams: URLSearchParams, overrides: Record<string, string | undefined> = {}): string {
    const query: Record<string, string | undefined> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: loginParams.get('client_id') ?? undefined,
      redirect_uri: loginParams.get('target_link_uri') ?? undefined,
      login_hint: loginParams.get('login_hint') ?? undefined,
      lti_message_hint: loginParams.get('lti_message_hint') ?? undefined,
      nonce: 'nonce-123',
      state: 'state-abc',
      ...overrides,
    };
    const defined = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined);
    return new URLSearchParams(defined).toString();
  }

  it('renders the course page with the activity, the join buttons and the tool iframe', async () => {
    const res = await request(app).get('/demo').expect(200).expect('content-type', /html/);
    for (const text of [
      'Demo University — Course: Physics 101',
      'Join as instructor',
      'Join as student',
      'Join as observer',
      'Add activity (deep linking)',
      'demo-live-class-1',
      'Demo users',
      'name="tool-frame"',
      'allow="camera; microphone; display-capture; fullscreen; autoplay"',
      'action="/demo/platform/launch"',
      '<label for="activity">',
    ]) {
      assert.ok(res.text.includes(text), `course page lacks ${text}`);
    }
  });

  it('exposes the registration the tool needs', () => {
    assert.deepEqual(platform.registration, {
      issuer: `${PUBLIC_URL}/demo/platform`,
      clientId: 'demo-tool',
      deploymentId: 'demo-deployment-1',
      name: 'Demo University LMS',
      authLoginUrl: `${PUBLIC_URL}/demo/platform/auth`,
      accessTokenUrl: `${PUBLIC_URL}/demo/platform/token`,
      jwksUrl: `${PUBLIC_URL}/demo/platform/jwks`,
    });
  });

  it('starts a third-party initiated login with the OIDC parameters', async () => {
    const q = await login('role=student&activity=demo-live-class-1&message=resource');
    assert.equal(q.get('iss'), platform.registration.issuer);
    assert.equal(q.get('client_id'), 'demo-tool');
    assert.equal(q.get('lti_deployment_id'), 'demo-deployment-1');
    assert.equal(q.get('target_link_uri'), TOOL.launchUrl);
    const hint = JSON.parse(Buffer.from(q.get('login_hint') ?? '', 'base64url').toString()) as Record<string, string>;
    assert.deepEqual(hint, { userId: 'demo-student-01', role: 'student' });
    assert.ok(q.get('lti_message_hint'));
  });

  it('refuses launches with an unknown role or activity with 400', async () => {
    await request(app).get('/demo/platform/launch?role=admin').expect(400).expect('content-type', /html/);
    const res = await request(app).get('/demo/platform/launch?role=student&activity=nope').expect(400);
    assert.match(res.text, /no activity nope/);
    await request(app).get('/demo/platform/launch?role=student&message=deeplink').expect(400);
  });

  it('answers a valid authorization request with an auto-posting form carrying a verifiable id_token', async () => {
    const q = await login('role=instructor');
    const res = await request(app)
      .get(`/demo/platform/auth?${authQuery(q)}`)
      .expect(200);
    assert.match(res.text, new RegExp(`action="${TOOL.launchUrl}"`));
    assert.match(res.text, /<noscript>.*<button type="submit">/s);
    assert.equal(formField(res.text, 'state'), 'state-abc');
    const idToken = formField(res.text, 'id_token') as string;

    const jwks = (await request(app).get('/demo/platform/jwks').expect(200)).body as { keys: Array<{ kid: string }> };
    assert.equal(jwks.keys.length, 1);
    const jwk = jwks.keys[0] as Record<string, unknown> & { kid: string };
    assert.deepEqual([jwk.alg, jwk.use, jwk.kty, jwk.kid], ['RS256', 'sig', 'RSA', platform.kid]);
    const { header, payload } = decode(idToken);
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: platform.kid });
    const [h, p, s] = idToken.split('.') as [string, string, string];
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    assert.ok(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')));

    assert.equal(payload.iss, platform.registration.issuer);
    assert.equal(payload.aud, 'demo-tool');
    assert.equal(payload.sub, 'demo-instructor-1');
    assert.equal(payload.nonce, 'nonce-123');
    assert.equal((payload.exp as number) - (payload.iat as number), 300);
    assert.equal(payload[`${LTI}/message_type`], 'LtiResourceLinkRequest');
    assert.equal(payload[`${LTI}/version`], '1.3.0');
    assert.equal(payload[`${LTI}/deployment_id`], 'demo-deployment-1');
    assert.deepEqual(payload[`${LTI}/roles`], [
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
      'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty',
    ]);
    assert.deepEqual(payload[`${LTI}/resource_link`], { id: 'demo-live-class-1', title: 'Live class' });
    assert.equal((payload[`${LTI}/context`] as { id: string }).id, 'demo-course-physics-101');
    assert.equal((payload[`${LTI}/launch_presentation`] as { document_target: string }).document_target, 'iframe');
    const ags = payload['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint'] as Record<string, unknown>;
    assert.equal(ags.lineitems, `${PUBLIC_URL}/demo/platform/contexts/demo-course-physics-101/lineitems`);
    assert.equal((ags.scope as string[]).length, 4);
    const nrps = payload['https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice'] as Record<string, unknown>;
    assert.deepEqual(nrps.service_versions, ['2.0']);
  });

  it('launches in the language chosen on the course page (en-US by default, es-ES on request)', async () => {
    const page = (await request(app).get('/demo').expect(200)).text;
    assert.match(page, /<label for="locale">Language<\/label>\s*<select id="locale" name="locale">/);
    assert.match(page, /<option value="es-ES" lang="es">Español<\/option>/);
    // Adding an activity follows the same select (kept in sync by the page's script).
    assert.match(page, /<input type="hidden" id="deep-link-locale" name="locale" value="en-US">/);
    const localeOf = async (query: string) => {
      const res = await request(app)
        .get(`/demo/platform/auth?${authQuery(await login(query))}`)
        .expect(200);
      const { payload } = decode(formField(res.text, 'id_token') as string);
      const presentation = payload[`${LTI}/launch_presentation`] as { locale: string };
      return [payload.locale, presentation.locale];
    };
    assert.deepEqual(await localeOf('role=student'), ['en-US', 'en-US']);
    assert.deepEqual(await localeOf('role=student&locale=es-ES'), ['es-ES', 'es-ES']);
    assert.deepEqual(await localeOf('role=instructor&message=deeplink&locale=es-ES'), ['es-ES', 'es-ES']);
    const refused = await request(app).get('/demo/platform/launch?role=student&locale=fr-FR').expect(400);
    assert.match(refused.text, /locale/);
  });

  it('accepts the authorization request as a form POST too', async () => {
    const q = await login('role=observer');
    const res = await request(app).post('/demo/platform/auth').type('form').send(authQuery(q)).expect(200);
    const { payload } = decode(formField(res.text, 'id_token') as string);
    assert.deepEqual(payload[`${LTI}/roles`], ['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor']);
  });

  it('issues a deep linking request for instructors', async () => {
    const q = await login('role=instructor&message=deeplink');
    const res = await request(app)
      .get(`/demo/platform/auth?${authQuery(q)}`)
      .expect(200);
    const { payload } = decode(formField(res.text, 'id_token') as string);
    assert.equal(payload[`${LTI}/message_type`], 'LtiDeepLinkingRequest');
    assert.equal(payload[`${LTI}/resource_link`], undefined);
    const settings = payload['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] as Record<
      string,
      unknown
    >;
    assert.equal(settings.deep_link_return_url, `${PUBLIC_URL}/demo/platform/deep-link-return`);
    assert.deepEqual(settings.accept_types, ['ltiResourceLink']);
    assert.equal(settings.accept_multiple, false);
    assert.equal(typeof settings.data, 'string');
  });

  const badRequests: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['scope without openid', { scope: 'profile' }, /scope/],
    ['response_type code', { response_type: 'code' }, /response_type/],
    ['response_mode query', { response_mode: 'query' }, /response_mode/],
    ['prompt login', { prompt: 'login' }, /prompt/],
    ['unknown client_id', { client_id: 'other-tool' }, /client_id/],
    ['foreign redirect_uri', { redirect_uri: 'https://evil.example/launch' }, /redirect_uri/],
    ['missing nonce', { nonce: undefined }, /nonce/],
    ['missing state', { state: undefined }, /state/],
    ['garbage login_hint', { login_hint: 'not-base64-json' }, /login_hint/],
    ['garbage lti_message_hint', { lti_message_hint: 'eyJ0eXBlIjoibm9wZSJ9' }, /lti_message_hint/],
    ['wrong deployment', { lti_deployment_id: 'other' }, /lti_deployment_id/],
  ];
  for (const [name, overrides, reason] of badRequests) {
    it(`refuses an authorization request with ${name} with a 400 page`, async () => {
      const q = await login('role=student');
      const res = await request(app)
        .get(`/demo/platform/auth?${authQuery(q, overrides)}`)
        .expect(400);
      assert.match(res.headers['content-type'] as string, /html/);
      assert.match(res.text, reason);
      assert.doesNotMatch(res.text, /name="id_token"/);
    });
  }

  it('answers an oversized form with a 413 page, not a 500', async () => {
    const res = await request(app)
      .post('/demo/platform/auth')
      .type('form')
      .send({ state: 'x'.repeat(100_000) })
      .expect(413);
    assert.match(res.text, /too large/);
  });

  it('escapes what it echoes into HTML', async () => {
    const q = await login('role=student');
    const res = await request(app)
      .get(`/demo/platform/auth?${authQuery(q, { client_id: '<script>alert(1)</script>' })}`)
      .expect(400);
    assert.ok(!res.text.includes('<script>alert(1)'));
    assert.ok(res.text.includes('&lt;script&gt;alert(1)'));
  });

  it('signs arbitrary payloads and header variants for negative tests', () => {
    const claims = platform.idTokenClaims({ role: 'ta', nonce: 'n', userId: 'someone' });
    assert.equal(claims.sub, 'someone');
    assert.deepEqual(claims[`${LTI}/roles`], [
      'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
    ]);
    assert.equal(decode(platform.sign({ a: 1 }, { omitKid: true })).header.kid, undefined);
    assert.equal(decode(platform.sign({ a: 1 }, { alg: 'HS256' })).header.alg, 'HS256');
    assert.equal(decode(platform.sign({ a: 1 }, { kid: 'other' })).header.kid, 'other');
    const token = signIdToken(platform, { role: 'student', nonce: 'n' }, { aud: 'x', nonce: undefined });
    assert.equal(decode(token).payload.aud, 'x');
    assert.ok(!('nonce' in decode(token).payload));
  });

  it('renders an empty gradebook', async () => {
    const res = await request(app).get('/demo/gradebook').expect(200);
    assert.match(res.text, /No line items yet/);
  });
});
