import assert from 'node:assert/strict';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const LOGO = 'https://cdn.example.edu/school/logo.svg';

describe('branding: config default, per-platform override, /api/me and the image policy', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  /** A second tool whose config sets a default branding. */
  let branded: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
    branded = await useTestEnvironment({ BRANDING_COLOR: '#1A73E8', BRANDING_LOGO_URL: LOGO });
  });

  const admin = (tool: TestEnvironment, body: unknown) =>
    fetch(`${tool.tool.url}/api/admin/platforms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tool.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** The demo LMS's own registration, re-posted (a merge) with `branding`. */
  const brandDemo = async (tool: TestEnvironment, branding: unknown) => {
    const { deploymentId, ...r } = tool.tool.demo!.registration;
    return admin(tool, { ...r, deploymentIds: [deploymentId], branding });
  };
  const launchMe = async (tool: TestEnvironment) => {
    const launch = await launchThroughDemo(new LtiBrowser(tool.tool.url), { role: 'student' });
    assert.equal(launch.status, 303, launch.body);
    const res = await fetch(`${tool.tool.url}/api/me`, { headers: { authorization: `Bearer ${launch.token}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as { branding?: { color?: string; logoUrl?: string } };
  };
  const imgSrc = async (tool: TestEnvironment) => {
    const csp = (await fetch(`${tool.tool.url}/launch`)).headers.get('content-security-policy') ?? '';
    return /img-src ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? [];
  };

  it('refuses bad branding with 400 PLATFORM_BRANDING_INVALID naming the field, and accepts good branding', async () => {
    const bad: Array<[unknown, string]> = [
      [{ color: '#fff' }, 'branding.color'],
      [{ color: 'red' }, 'branding.color'],
      [{ color: '#12345g' }, 'branding.color'],
      [{ color: ' #123456' }, 'branding.color'],
      [{ logoUrl: 'http://cdn.example.edu/logo.png' }, 'branding.logoUrl'],
      [{ logoUrl: 'javascript:alert(1)' }, 'branding.logoUrl'],
      [{ logoUrl: 'data:image/png;base64,AAAA' }, 'branding.logoUrl'],
      [{ logoUrl: 'https://user:pw@cdn.example.edu/logo.png' }, 'branding.logoUrl'],
      [{ logoUrl: `https://cdn.example.edu/${'a'.repeat(2048)}.png` }, 'branding.logoUrl'],
      [{ logoUrl: 'not a url' }, 'branding.logoUrl'],
      [{ colour: '#123456' }, 'branding'],
      ['blue', 'branding'],
    ];
    for (const [branding, field] of bad) {
      const res = await brandDemo(env, branding);
      const body = (await res.json()) as { error: { code: string; details: { fields: Array<{ path: string }> } } };
      assert.equal(res.status, 400, JSON.stringify(branding));
      assert.equal(body.error.code, 'PLATFORM_BRANDING_INVALID', JSON.stringify(branding));
      assert.ok(
        body.error.details.fields.some((f) => f.path === field),
        `${JSON.stringify(branding)}: ${JSON.stringify(body.error.details.fields)}`,
      );
    }
    // Loopback logos may be http (development); colours are stored lower-case.
    const ok = await brandDemo(env, { color: '#AbCdEf', logoUrl: 'http://localhost:8080/logo.png' });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.deepEqual(((await ok.json()) as { branding: unknown }).branding, {
      color: '#abcdef',
      logoUrl: 'http://localhost:8080/logo.png',
    });
    assert.deepEqual((await launchMe(env)).branding, { color: '#abcdef', logoUrl: 'http://localhost:8080/logo.png' });
    assert.deepEqual(await imgSrc(env), ["'self'", 'data:', 'http://localhost:8080']);

    // `{}` clears the override: no branding at all in a tool without a default.
    assert.equal((await brandDemo(env, {})).status, 200);
    assert.equal((await launchMe(env)).branding, undefined);
    assert.deepEqual(await imgSrc(env), ["'self'", 'data:']);
  });

  it('serves the config default, overridden field by field by the platform', async () => {
    assert.deepEqual((await launchMe(branded)).branding, { color: '#1a73e8', logoUrl: LOGO });
    assert.ok((await imgSrc(branded)).includes('https://cdn.example.edu'));

    assert.equal((await brandDemo(branded, { color: '#0f5132' })).status, 200);
    assert.deepEqual((await launchMe(branded)).branding, { color: '#0f5132', logoUrl: LOGO });
    assert.equal((await brandDemo(branded, { logoUrl: 'https://lms.example.org/brand.png' })).status, 200);
    assert.deepEqual((await launchMe(branded)).branding, {
      color: '#1a73e8',
      logoUrl: 'https://lms.example.org/brand.png',
    });
    const origins = await imgSrc(branded);
    assert.ok(origins.includes('https://lms.example.org') && origins.includes('https://cdn.example.edu'));
    assert.equal((await brandDemo(branded, {})).status, 200);
  });
});
