import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/paths.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const run = promisify(execFile);

describe('admin API: LMS registrations', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
  });

  const admin = (method: string, route: string, body?: unknown, key = env.config.admin.apiKey) =>
    fetch(`${env.tool.url}/api/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const moodle = {
    issuer: 'https://moodle.example.edu',
    clientId: 'moodle-client-1',
    name: 'Example Moodle',
    authLoginUrl: 'https://moodle.example.edu/mod/lti/auth.php',
    accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
    jwksUrl: 'https://moodle.example.edu/mod/lti/certs.php',
    deploymentIds: ['1'],
  };

  it('answers 401 without the admin key or with a wrong one', async () => {
    const none = await fetch(`${env.tool.url}/api/admin/platforms`);
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).error.code, 'UNAUTHENTICATED');
    assert.equal((await admin('GET', '/platforms', undefined, 'wrong-key-wrong-key-wrong')).status, 401);
  });

  it('creates (201), merges deployments of the same issuer+client (200), lists, activates and deletes', async () => {
    const created = await admin('POST', '/platforms', moodle);
    assert.equal(created.status, 201, await created.clone().text());
    const platform = (await created.json()) as any;
    assert.equal(platform.issuer, moodle.issuer);
    assert.equal(platform.active, true);
    assert.deepEqual(platform.deploymentIds, ['1']);

    const again = await admin('POST', '/platforms', { ...moodle, name: 'Renamed', deploymentIds: ['2', '1'] });
    assert.equal(again.status, 200);
    const merged = (await again.json()) as any;
    assert.equal(merged.id, platform.id);
    assert.equal(merged.name, 'Renamed');
    assert.deepEqual(merged.deploymentIds, ['1', '2']);

    const list = (await (await admin('GET', '/platforms')).json()) as any;
    assert.ok(list.platforms.some((p: any) => p.id === platform.id));

    const keys = (await (await fetch(`${env.tool.url}/lti/keys`)).json()) as { keys: unknown[] };
    assert.ok(keys.keys.length >= 2, 'a tool key pair was created for the new platform');

    const activated = await admin('POST', `/platforms/${platform.id}/activate`);
    assert.equal(activated.status, 200);

    assert.equal((await admin('DELETE', `/platforms/${platform.id}`)).status, 204);
    const gone = await admin('DELETE', `/platforms/${platform.id}`);
    assert.equal(gone.status, 404);
    assert.equal(((await gone.json()) as any).error.code, 'PLATFORM_NOT_FOUND');
  });

  it('answers an invalid body with 400 VALIDATION_FAILED naming each bad field', async () => {
    const res = await admin('POST', '/platforms', { ...moodle, jwksUrl: 'ftp://x', deploymentIds: [], extra: 1 });
    assert.equal(res.status, 400);
    const body = (await res.json()) as any;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    const paths = body.error.details.fields.map((f: any) => f.path);
    assert.ok(paths.includes('jwksUrl') && paths.includes('deploymentIds'), JSON.stringify(paths));
  });

  it('answers malformed JSON with 400 and an unknown id with 404', async () => {
    const res = await fetch(`${env.tool.url}/api/admin/platforms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' },
      body: '{"issuer":',
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as any).error.code, 'BAD_REQUEST');
    assert.equal((await admin('POST', '/platforms/not-an-id/activate')).status, 404);
  });

  it('is also a CLI: npm run lti -- platforms add|list|remove', async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/lti-cli.ts', ...args, '--url', env.tool.url], {
        cwd: projectRoot(),
        env: { ...process.env, ADMIN_API_KEY: env.config.admin.apiKey },
      });
    const added = JSON.parse(
      (
        await cli(
          'platforms',
          'add',
          '--issuer',
          'https://d2l.example.edu',
          '--client-id',
          'd2l-1',
          '--name',
          'Brightspace',
          '--auth-login-url',
          'https://d2l.example.edu/d2l/lti/authenticate',
          '--access-token-url',
          'https://auth.brightspace.com/core/connect/token',
          '--jwks-url',
          'https://d2l.example.edu/d2l/.well-known/jwks',
          '--deployment-id',
          'dep-a',
          '--deployment-id',
          'dep-b',
          '--brand-color',
          '#123ABC',
          '--logo-url',
          'https://d2l.example.edu/logo.png',
        )
      ).stdout,
    );
    assert.deepEqual(added.deploymentIds, ['dep-a', 'dep-b']);
    assert.deepEqual(added.branding, { color: '#123abc', logoUrl: 'https://d2l.example.edu/logo.png' });
    const listed = JSON.parse((await cli('platforms', 'list')).stdout);
    assert.ok(listed.platforms.some((p: any) => p.id === added.id));
    await cli('platforms', 'remove', added.id);
    await assert.rejects(cli('platforms', 'remove', added.id), /404 PLATFORM_NOT_FOUND/);
    await assert.rejects(cli('platforms', 'add', '--issuer', 'x'), /400 VALIDATION_FAILED/);
    await assert.rejects(
      cli('platforms', 'add', '--issuer', 'x', '--brand-color', 'blue'),
      /400 PLATFORM_BRANDING_INVALID[\s\S]*branding\.color/,
    );
  });
});
