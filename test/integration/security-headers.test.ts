import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { LaunchedUser } from '../support/room-client.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('security headers: a strict Content-Security-Policy, and no caching of anything that carries a token', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
  });

  it('gives the launcher scripts, styles and connections only from the tool itself and the SFU', async () => {
    const res = await fetch(`${env.tool.url}/launch`);
    const html = await res.text();
    assert.equal(res.status, 200, 'the launcher is built (npm run build:client)');
    // The built page loads its code from files: no inline script that a nonce or 'unsafe-inline' would need.
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script in the built launcher');
    assert.doesNotMatch(html, /\son[a-z]+=|style=/i, 'no inline handlers or style attributes');
    const csp = directives(res.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.ok(!csp.get('style-src')?.includes("'unsafe-inline'"), 'styles from the tool only');
    const sfu = new URL(env.config.livekit.url);
    assert.ok(csp.get('connect-src')?.includes(`${sfu.protocol}//${sfu.host}`), 'the SFU signalling URL');
    assert.ok(csp.get('frame-ancestors')?.includes("'self'"));
  });

  it("allows the server pages' one stylesheet by its hash, and no inline script", async () => {
    const res = await fetch(`${env.tool.url}/lti/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'state=x',
    });
    const html = await res.text();
    assert.equal(res.status, 400);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    assert.ok(style !== undefined, 'the error page has its stylesheet');
    const csp = directives(res.headers.get('content-security-policy'));
    assert.ok(csp.get('style-src')?.includes(sha256(style)), 'the stylesheet is allowed by its hash');
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
  });

  it('marks every answer that carries a token, a JWT or a session no-store', async () => {
    const url = env.tool.url;
    const answers: Array<[string, Response]> = [];
    const teacher = new LtiBrowser(url);
    // The demo LMS's own answers count too: its authorization endpoint returns a signed id_token.
    const start = await teacher.get('/demo/platform/launch?role=instructor&message=deeplink');
    const login = await teacher.get(start.headers.get('location') as string);
    const auth = await teacher.get(login.headers.get('location') as string);
    answers.push(['demo LMS id_token form', auth]);
    const deepLinking = await launchThroughDemo(teacher, { role: 'instructor', message: 'deeplink' });
    assert.equal(deepLinking.status, 303);
    const dlToken = deepLinking.token as string;
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    answers.push([
      'POST /api/deep-linking',
      await fetch(`${url}/api/deep-linking`, {
        method: 'POST',
        headers: headers(dlToken),
        body: JSON.stringify({ title: 'Headers class' }),
      }),
    ]);
    const student = await LaunchedUser.launch(url, 'student');
    answers.push(['GET /api/me', await student.request('GET', '/me')]);
    answers.push(['POST /api/room/token', await student.request('POST', '/room/token')]);
    const admin = { authorization: `Bearer ${env.config.admin.apiKey}`, 'content-type': 'application/json' };
    const key = await fetch(`${url}/api/admin/api-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'headers' }),
    });
    answers.push(['POST /api/admin/api-keys', key]);
    const { id, key: apiKey } = (await key.clone().json()) as { id: string; key: string };
    const space = await fetch(`${url}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'headers-space', user: { id: 'u1', name: 'Ada' } }),
    });
    answers.push(['POST /api/v1/spaces/launch', space]);
    const joinUrl = ((await space.clone().json()) as { client_url: string }).client_url;
    answers.push([
      'GET /space/join',
      await fetch(joinUrl.replace(env.config.server.publicUrl, url), { redirect: 'manual' }),
    ]);
    await fetch(`${url}/api/admin/api-keys/${id}`, { method: 'DELETE', headers: admin });

    // The launch redirect itself: the token is in its Location.
    const browser = new LtiBrowser(url);
    const again = await browser.get('/demo/platform/launch?role=student');
    const login2 = await browser.get(again.headers.get('location') as string);
    const auth2 = await browser.get(login2.headers.get('location') as string);
    const form = Object.fromEntries(
      [...(await auth2.text()).matchAll(/name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    answers.push(['POST /lti/launch (303)', await browser.postForm('/lti/launch', form as Record<string, string>)]);

    for (const [name, res] of answers) {
      assert.ok(res.status < 400, `${name} answered ${res.status}`);
      assert.equal(res.headers.get('cache-control'), 'no-store', name);
    }
  });
});
