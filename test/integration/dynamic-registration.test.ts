import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freeTcpPort } from '../../src/dev/stack/ports.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const TOKEN = 'registration-token-123';

interface FakeLms {
  base: string;
  /** Registration requests the LMS accepted, by tenant. */
  registrations: Map<string, Record<string, any>>;
  close(): Promise<void>;
}

/**
 * A fake LMS on 127.0.0.1 with one tenant per path prefix (each its own issuer):
 *   good      - answers client_id + deployment_id (Moodle-like)
 *   nodeploy  - answers client_id only (Canvas-like)
 *   mismatch  - its configuration claims another issuer
 *   refuse    - the registration endpoint answers 500
 *   offsite   - the configuration redirects to another origin
 *   huge      - the configuration is larger than the size cap
 *   partial   - the configuration lacks registration_endpoint
 */
async function startFakeLms(): Promise<FakeLms> {
  const registrations = new Map<string, Record<string, any>>();
  let base = '';
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const configuration = (tenant: string) => ({
    issuer: tenant === 'mismatch' ? `${base}/somebody-else` : `${base}/${tenant}`,
    authorization_endpoint: `${base}/${tenant}/auth`,
    token_endpoint: `${base}/${tenant}/token`,
    jwks_uri: `${base}/${tenant}/jwks`,
    ...(tenant === 'partial' ? {} : { registration_endpoint: `${base}/${tenant}/register` }),
    scopes_supported: ['openid', SCORE, NRPS],
    [PLATFORM_CONFIGURATION]: {
      product_family_code: 'fakelms',
      messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest' }],
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const [, tenant = '', action = ''] = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (req.method === 'GET' && action === 'openid-configuration') {
      if (tenant === 'offsite') {
        res.writeHead(302, { location: `http://localhost:${new URL(base).port}/good/openid-configuration` }).end();
        return;
      }
      if (tenant === 'huge') return json(res, 200, { ...configuration(tenant), padding: 'x'.repeat(300 * 1024) });
      return json(res, 200, configuration(tenant));
    }
    if (req.method === 'POST' && action === 'register') {
      if (tenant === 'refuse') return json(res, 500, { error: 'server_error' });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'invalid_token' });
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>;
      const problems = checkPayload(body);
      if (problems.length > 0)
        return json(res, 400, { error: 'invalid_client_metadata', error_description: problems.join('; ') });
      registrations.set(tenant, body);
      const clientId = `client-${tenant}-${Date.now()}`;
      return json(res, 200, {
        ...body,
        client_id: clientId,
        [TOOL_CONFIGURATION]: {
          ...body[TOOL_CONFIGURATION],
          ...(tenant === 'nodeploy' ? {} : { deployment_id: `deployment-${tenant}` }),
        },
      });
    }
    json(res, 404, { error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { error: 'fake LMS failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    registrations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function checkPayload(body: Record<string, any>): string[] {
  const problems: string[] = [];
  if (body.application_type !== 'web') problems.push('application_type');
  if (body.token_endpoint_auth_method !== 'private_key_jwt') problems.push('token_endpoint_auth_method');
  if (!Array.isArray(body.response_types) || !body.response_types.includes('id_token')) problems.push('response_types');
  for (const key of ['initiate_login_uri', 'jwks_uri', 'client_name'])
    if (typeof body[key] !== 'string') problems.push(key);
  if (!Array.isArray(body.redirect_uris) || body.redirect_uris.length === 0) problems.push('redirect_uris');
  const tool = body[TOOL_CONFIGURATION];
  if (!tool?.domain || !tool?.target_link_uri || !Array.isArray(tool?.messages)) problems.push(TOOL_CONFIGURATION);
  return problems;
}

describe('LTI Dynamic Registration (/lti/register) and Canvas JSON', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let lms: FakeLms;
  before(async () => {
    env = await useTestEnvironment();
    lms = await startFakeLms();
  });
  after(async () => {
    await lms?.close();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${env.tool.url}/api/admin${path}`, {
      ...init,
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, ...init.headers },
    });

  const register = (openidConfiguration?: string, token: string | undefined = TOKEN) => {
    const query = new URLSearchParams();
    if (openidConfiguration) query.set('openid_configuration', openidConfiguration);
    if (token) query.set('registration_token', token);
    return fetch(`${env.tool.url}/lti/register?${query.toString()}`);
  };

  const platformsOf = async (issuer: string) => {
    const res = await admin('/platforms');
    assert.equal(res.status, 200);
    const { platforms } = (await res.json()) as { platforms: Array<Record<string, any>> };
    return platforms.filter((p) => p.issuer === issuer);
  };

  it('registers with the LMS, stores the platform inactive, and answers with the close page', async () => {
    const res = await register(`${lms.base}/good/openid-configuration`);
    const html = await res.text();
    assert.equal(res.status, 200, html);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const policy = res.headers.get('content-security-policy') ?? '';
    assert.match(policy, /(^|; )frame-ancestors \*(;|$)/, 'the LMS may frame the page');
    assert.match(policy, /(^|; )script-src 'sha256-[^']+' 'sha256-[^']+'(;|$)/, 'only the close script runs');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    assert.ok(policy.includes(hash), "the page's close script is the one the policy allows");
    assert.match(html, /Registration complete/);
    assert.ok(html.includes("postMessage({ subject: 'org.imsglobal.lti.close' }, '*')"));
    assert.match(html, /id="close"/);
    assert.match(html, /platforms activate/);

    const sent = lms.registrations.get('good');
    assert.ok(sent, 'the LMS received the registration');
    assert.equal(sent.initiate_login_uri, `${env.config.server.publicUrl}/lti/login`);
    assert.deepEqual(sent.redirect_uris, [`${env.config.server.publicUrl}/lti/launch`]);
    assert.equal(sent.jwks_uri, `${env.config.server.publicUrl}/lti/keys`);
    assert.deepEqual(sent.scope.split(' ').sort(), [NRPS, SCORE].sort(), 'only scopes the LMS supports');

    const [platform, ...others] = await platformsOf(`${lms.base}/good`);
    assert.ok(platform, 'the platform is listed by the admin API');
    assert.equal(others.length, 0);
    assert.equal(platform.active, false);
    assert.equal(platform.source, 'dynamic');
    assert.match(platform.clientId, /^client-good-/);
    assert.deepEqual(platform.deploymentIds, ['deployment-good']);
    assert.equal(platform.authLoginUrl, `${lms.base}/good/auth`);
    assert.equal(platform.accessTokenUrl, `${lms.base}/good/token`);
    assert.equal(platform.jwksUrl, `${lms.base}/good/jwks`);
    assert.equal(platform.name, 'fakelms (127.0.0.1:' + new URL(lms.base).port + ')');
    assert.ok(html.includes(platform.id), 'the page names the platform id to activate');

    const activated = await admin(`/platforms/${platform.id}/activate`, { method: 'POST' });
    assert.equal(activated.status, 200);
    assert.equal(((await activated.json()) as { active: boolean }).active, true);
    assert.equal((await platformsOf(`${lms.base}/good`))[0]?.active, true);
  });

  it('stores a registration without deployment and says launches need one', async () => {
    const res = await register(`${lms.base}/nodeploy/openid-configuration`);
    const html = await res.text();
    assert.equal(res.status, 200, html);
    assert.match(html, /LTI_DEPLOYMENT_UNKNOWN/);
    const [platform] = await platformsOf(`${lms.base}/nodeploy`);
    assert.ok(platform);
    assert.deepEqual(platform.deploymentIds, []);
    assert.equal(platform.active, false);
  });

  const refusals: Array<{ description: string; url: () => string | Promise<string>; status: number; code: string }> = [
    { description: 'a missing openid_configuration', url: () => '', status: 400, code: 'LTI_DYNREG_INVALID' },
    {
      description: 'an openid_configuration that is not a URL',
      url: () => 'not-a-url',
      status: 400,
      code: 'LTI_DYNREG_INVALID',
    },
    {
      description: 'a configuration whose issuer does not prefix its URL',
      url: () => `${lms.base}/mismatch/openid-configuration`,
      status: 400,
      code: 'LTI_DYNREG_INVALID',
    },
    {
      description: 'a configuration without registration_endpoint',
      url: () => `${lms.base}/partial/openid-configuration`,
      status: 400,
      code: 'LTI_DYNREG_INVALID',
    },
    {
      description: 'a registration endpoint answering 500',
      url: () => `${lms.base}/refuse/openid-configuration`,
      status: 502,
      code: 'LTI_DYNREG_FAILED',
    },
    {
      description: 'a redirect to another origin',
      url: () => `${lms.base}/offsite/openid-configuration`,
      status: 502,
      code: 'LTI_DYNREG_FAILED',
    },
    {
      description: 'a configuration over the size cap',
      url: () => `${lms.base}/huge/openid-configuration`,
      status: 502,
      code: 'LTI_DYNREG_FAILED',
    },
    {
      description: 'an unreachable URL',
      url: async () => `http://127.0.0.1:${await freeTcpPort()}/openid-configuration`,
      status: 502,
      code: 'LTI_DYNREG_FAILED',
    },
  ];
  for (const row of refusals) {
    it(`answers ${row.status} ${row.code} as an HTML page for ${row.description}`, async () => {
      const res = await register((await row.url()) || undefined);
      const html = await res.text();
      assert.equal(res.status, row.status, html);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.ok(html.includes(row.code), html);
      assert.doesNotMatch(html, /Registration complete/);
    });
  }

  it('stores nothing for refused registrations', async () => {
    for (const tenant of ['mismatch', 'somebody-else', 'partial', 'refuse', 'offsite', 'huge']) {
      assert.deepEqual(await platformsOf(`${lms.base}/${tenant}`), [], tenant);
    }
  });

  it('serves the Canvas developer-key JSON with the tool URLs', async () => {
    const res = await fetch(`${env.tool.url}/lti/canvas.json`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, any>;
    const publicUrl = env.config.server.publicUrl;
    assert.equal(body.oidc_initiation_url, `${publicUrl}/lti/login`);
    assert.equal(body.target_link_uri, `${publicUrl}/lti/launch`);
    assert.equal(body.public_jwk_url, `${publicUrl}/lti/keys`);
    assert.equal(body.extensions[0].platform, 'canvas.instructure.com');
    assert.ok(body.extensions[0].settings.placements.length > 0);
    assert.ok(Array.isArray(body.scopes) && body.scopes.length > 0);
  });
});
