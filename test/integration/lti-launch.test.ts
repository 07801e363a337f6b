import assert from 'node:assert/strict';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

describe('LTI 1.3 launches through the demo LMS', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let demo: DemoPlatform;
  before(async () => {
    env = await useTestEnvironment();
    assert.ok(env.tool.demo, 'the demo LMS is enabled in test config');
    demo = env.tool.demo;
  });

  const me = async (token: string) => {
    const res = await fetch(`${env.tool.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, any>;
  };

  for (const [role, expected] of [
    ['instructor', 'instructor'],
    ['student', 'participant'],
    ['observer', 'observer'],
  ] as const) {
    it(`launches as ${role} and the launcher sees the ${expected} role`, async () => {
      const result = await launchThroughDemo(new LtiBrowser(env.tool.url), { role });
      assert.equal(result.status, 303, result.body);
      assert.match(result.location ?? '', /^\/launch#token=/);
      const body = await me(result.token as string);
      assert.equal(body.user.role, expected);
      assert.equal(body.messageType, 'LtiResourceLinkRequest');
      assert.equal(body.platform.id.length, 24);
      assert.ok(body.context.id);
      assert.ok(body.resourceLink.id);
      assert.equal(body.activity.settings.title, body.resourceLink.title ?? 'Live class');
    });
  }

  it('carries the LMS language to the launcher: a launch in Spanish gives /api/me locale es-ES', async () => {
    const spanish = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'student', locale: 'es-ES' });
    assert.equal(spanish.status, 303, spanish.body);
    assert.equal((await me(spanish.token as string)).locale, 'es-ES');
    const english = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'student' });
    assert.equal((await me(english.token as string)).locale, 'en-US');
  });

  it('sets the OIDC state cookie HttpOnly, path /lti, and clears it after the launch', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const start = await browser.get(`/demo/platform/launch?role=student`);
    const login = await browser.get(start.headers.get('location') as string);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('lti_state_'));
    assert.ok(cookie, 'state cookie set');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /Path=\/lti/i);
    assert.match(cookie, /Max-Age=600/i);
  });

  it('rejects the API without a bearer token, or with a wrong one', async () => {
    const none = await fetch(`${env.tool.url}/api/me`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).error.code, 'UNAUTHENTICATED');
    const wrong = await fetch(`${env.tool.url}/api/me`, { headers: { authorization: 'Bearer x'.padEnd(40, 'x') } });
    assert.equal(wrong.status, 401);
  });

  it('publishes the tool JWKS at /lti/keys with the key for each registered platform', async () => {
    const res = await fetch(`${env.tool.url}/lti/keys`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { keys: Array<{ kty: string; kid: string; n: string }> };
    assert.ok(body.keys.length >= 1);
    assert.ok(body.keys.every((k) => k.kty === 'RSA' && k.kid && k.n));
    assert.ok(!JSON.stringify(body).includes('"d"'), 'no private key material');
  });

  it('limits framing to registered LMS origins and sends no CORS headers', async () => {
    const res = await fetch(`${env.tool.url}/lti/login?iss=x`, { headers: { origin: 'https://evil.example' } });
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /(^|; )frame-ancestors 'self'/);
    assert.ok(csp.includes(new URL(demo.registration.issuer).origin));
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});
