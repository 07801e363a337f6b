import assert from 'node:assert/strict';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import {
  LtiBrowser,
  parseAutoPostForm,
  parseStorageConfig,
  postStorageLaunch,
  startStorageLaunch,
  type StorageLaunchStarted,
} from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/**
 * Launches where the browser keeps no cookie inside the LMS frame, through LTI Platform Storage offered by the
 * demo LMS (`lti_storage_target`): the real OIDC round trip, then POST /lti/launch/storage with what the page
 * read back from the platform. It must hold the launch exactly as the cookie does, never less.
 */
describe('LTI launches through platform storage (no cookies)', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let demo: DemoPlatform;
  before(async () => {
    env = await useTestEnvironment();
    assert.ok(env.tool.demo, 'the demo LMS is enabled in test config');
    demo = env.tool.demo;
  });

  const cookieless = () => new LtiBrowser(env.tool.url, { blockCookies: true });
  /** The launch page's form with what the platform storage gave back for it. */
  const withStored = (started: StorageLaunchStarted, values: { state?: string; nonce?: string } = {}) => ({
    ...started.fields,
    lti_storage_state: values.state ?? (started.login.state as string),
    lti_storage_nonce: values.nonce ?? (started.login.nonce as string),
  });
  const codeOf = (html: string) => /launch was refused with code <code>([A-Z_]+)<\/code>/.exec(html)?.[1];

  it('the login stores state and nonce through the platform, for its auth origin only, then goes on to it', async () => {
    const browser = cookieless();
    const start = await browser.get('/demo/platform/launch?role=student&storage=on');
    const login = await browser.get(start.headers.get('location') as string);
    const html = await login.text();
    assert.equal(login.status, 200, html);
    // The cookie is still set: where the browser keeps it, nothing else is needed.
    assert.ok(login.headers.getSetCookie().some((c) => c.startsWith('lti_state_')));
    assert.match(html, /<script src="storage\.js" defer><\/script>/);
    assert.doesNotMatch(login.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    const started = await startStorageLaunch(cookieless(), { role: 'student' });
    const { login: put } = started;
    assert.equal(put.mode, 'put');
    assert.equal(put.target, 'lti-storage');
    assert.equal(put.origin, new URL(demo.registration.authLoginUrl).origin);
    assert.deepEqual(put.keys, { state: `lti_state_${put.state}`, nonce: `lti_nonce_${put.state}` });
    const next = new URL(put.next as string);
    assert.equal(`${next.origin}${next.pathname}`, demo.registration.authLoginUrl);
    assert.equal(next.searchParams.get('state'), put.state);
    assert.equal(next.searchParams.get('nonce'), put.nonce);
    assert.equal(started.launch.mode, 'get');
    assert.deepEqual(started.launch.keys, put.keys);
    assert.equal(started.launch.origin, put.origin);

    const script = await fetch(`${env.tool.url}/lti/storage.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(await script.text(), /lti\.get_data/);
  });

  it('without the cookie, the values read back from the platform open the launch once', async () => {
    const browser = cookieless();
    const started = await startStorageLaunch(browser, { role: 'student' });
    assert.equal(started.fields.state, started.login.state);
    assert.ok(started.fields.id_token);
    const result = await postStorageLaunch(browser, withStored(started));
    assert.equal(result.status, 303, result.body);
    const me = await fetch(`${env.tool.url}/api/me`, { headers: { authorization: `Bearer ${result.token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { user: { role: string } }).user.role, 'participant');

    const replay = await postStorageLaunch(browser, withStored(started));
    assert.equal(replay.status, 400);
    assert.equal(codeOf(replay.body), 'LTI_STATE_REUSED');
  });

  for (const [what, values, code] of [
    ['another nonce', { nonce: 'x'.repeat(43) }, 'LTI_STORAGE_NONCE_MISMATCH'],
    ['another state', { state: 'y'.repeat(43) }, 'LTI_STORAGE_STATE_MISMATCH'],
  ] as const) {
    it(`refuses ${what} read from storage (${code}), and the state is spent`, async () => {
      const browser = cookieless();
      const started = await startStorageLaunch(browser, { role: 'student' });
      const refused = await postStorageLaunch(browser, withStored(started, values));
      assert.equal(refused.status, 400);
      assert.equal(codeOf(refused.body), code);
      const retry = await postStorageLaunch(browser, withStored(started));
      assert.equal(codeOf(retry.body), 'LTI_STATE_REUSED');
    });
  }

  it('when the platform did not answer: 400 LTI_STORAGE_UNAVAILABLE with the new-window way out', async () => {
    const browser = cookieless();
    const started = await startStorageLaunch(browser, { role: 'student' });
    const refused = await postStorageLaunch(browser, { ...started.fields, lti_storage_error: 'timeout' });
    assert.equal(refused.status, 400);
    assert.equal(codeOf(refused.body), 'LTI_STORAGE_UNAVAILABLE');
    const restart = /href="(\/lti\/login\?[^"]+)" target="_blank"/.exec(refused.body)?.[1];
    assert.ok(restart, refused.body);
    const params = new URLSearchParams(restart.replace(/&amp;/g, '&').split('?')[1]);
    // A top-level window has no LMS frame to store into: the restart is a plain cookie login.
    assert.equal(params.get('lti_storage_target'), null);
    const topLevel = new LtiBrowser(env.tool.url);
    const login = await topLevel.get(restart.replace(/&amp;/g, '&'));
    assert.equal(login.status, 302);
    const form = parseAutoPostForm(await (await topLevel.get(login.headers.get('location') as string)).text());
    const opened = await topLevel.postForm('/lti/launch', form.fields);
    assert.equal(opened.status, 303);
  });

  it('answers missing or malformed fields with 400 and a code, never a 500', async () => {
    const browser = cookieless();
    const started = await startStorageLaunch(browser, { role: 'student' });
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...withStored(started), id_token: '' }, 'LTI_ID_TOKEN_MISSING'],
      [{ ...withStored(started), state: '' }, 'LTI_STATE_MISSING'],
      [{ ...withStored(started), lti_storage_nonce: 'n\u0000' }, 'LTI_STORAGE_INVALID'],
      [{ ...withStored(started), lti_storage_state: 's'.repeat(201) }, 'LTI_STORAGE_INVALID'],
      [{}, 'LTI_STATE_MISSING'],
    ];
    for (const [fields, code] of cases) {
      const res = await postStorageLaunch(browser, fields);
      assert.equal(res.status, 400, `${code}: ${res.body.slice(0, 300)}`);
      assert.equal(codeOf(res.body), code);
    }
    // None of them spent the state: the real answer still opens the launch.
    const result = await postStorageLaunch(browser, withStored(started));
    assert.equal(result.status, 303, result.body);
  });

  it('never finishes a cookie login through storage: LTI_STORAGE_NOT_OFFERED', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const start = await browser.get('/demo/platform/launch?role=student');
    const login = await browser.get(start.headers.get('location') as string);
    const authUrl = new URL(login.headers.get('location') as string);
    const form = parseAutoPostForm(await (await browser.get(authUrl.toString())).text());
    const refused = await postStorageLaunch(browser, {
      ...form.fields,
      lti_storage_state: authUrl.searchParams.get('state') as string,
      lti_storage_nonce: authUrl.searchParams.get('nonce') as string,
    });
    assert.equal(refused.status, 400);
    assert.equal(codeOf(refused.body), 'LTI_STORAGE_NOT_OFFERED');
  });

  it('with the cookie kept, a storage launch takes the cookie path straight to the launcher', async () => {
    const browser = new LtiBrowser(env.tool.url);
    const start = await browser.get('/demo/platform/launch?role=student&storage=on');
    const config = parseStorageConfig(await (await browser.get(start.headers.get('location') as string)).text());
    const form = parseAutoPostForm(await (await browser.get(config.next as string)).text());
    const launch = await browser.postForm('/lti/launch', form.fields);
    assert.equal(launch.status, 303, await launch.text());
    assert.match(launch.headers.get('location') ?? '', /^\/launch#token=/);
  });
});
