import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { testEnv, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const DEFAULTS = loadConfig({ env: testEnv() }).limits;

/** A Moodle-like LMS on 127.0.0.1 that accepts only the `acceptAt`-th registration (each success costs an RSA key). */
async function startRetryingLms(acceptAt: number) {
  let base = '';
  let posts = 0;
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/openid-configuration') {
      return json(200, {
        issuer: base,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        registration_endpoint: `${base}/register`,
        'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle' },
      });
    }
    if (req.method === 'POST' && req.url === '/register') {
      req.resume();
      posts += 1;
      if (posts !== acceptAt) return json(500, { error: 'server_error' });
      return json(200, {
        client_id: `retried-${Date.now()}`,
        'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '1' },
      });
    }
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('dynamic registration: an admin can retry, abuse stays bounded', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let lms: Awaited<ReturnType<typeof startRetryingLms>>;
  const TRIES = 10;
  before(async () => {
    // Its own tool with the default limit, so other suites' registrations do not share its budget.
    env = await useTestEnvironment({ DYNAMIC_REGISTRATION_RATE_LIMIT: String(DEFAULTS.dynamicRegistration.max) });
    lms = await startRetryingLms(TRIES);
  });
  after(() => lms?.close());

  const bare = () => fetch(`${env.tool.url}/lti/register`);
  const register = () =>
    fetch(
      `${env.tool.url}/lti/register?${new URLSearchParams({
        openid_configuration: `${lms.base}/openid-configuration`,
        registration_token: 'token',
      })}`,
    );

  it(`lets an admin try ${TRIES} times the way Moodle does it (a server-side GET of the bare URL, then the registration)`, async () => {
    for (let i = 1; i <= TRIES; i += 1) {
      // Moodle first fetches the tool URL as typed, to see whether it is a cartridge.
      const probe = await bare();
      assert.equal(probe.status, 400, `try ${i}: Moodle's cartridge check`);
      const res = await register();
      const html = await res.text();
      assert.doesNotMatch(html, /RATE_LIMITED/, `try ${i} was rate limited`);
      if (i < TRIES) assert.equal(res.status, 502, `try ${i}: the LMS refused`);
      else assert.match(html, /Registration complete/, `try ${i}`);
    }
  });

  it('still refuses registrations past the limit with a readable 429 page and Retry-After', async () => {
    const { max, windowSeconds } = DEFAULTS.dynamicRegistration;
    for (let i = TRIES + 1; i <= max; i += 1) {
      const res = await register();
      assert.notEqual(res.status, 429, `registration ${i} of ${max}`);
      await res.arrayBuffer();
    }
    const refused = await register();
    const html = await refused.text();
    assert.equal(refused.status, 429, html);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= windowSeconds, `Retry-After ${retryAfter}`);
    assert.ok(html.includes('<code>RATE_LIMITED</code>'), html);
    assert.match(
      refused.headers.get('content-security-policy') ?? '',
      /(^|; )frame-ancestors \*(;|$)/,
      'the LMS can show it',
    );
    // The bare URL costs the tool nothing and is not counted.
    assert.equal((await bare()).status, 400);
  });
});
