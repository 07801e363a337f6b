import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import { expiryBucketOf } from '../../src/db/expiry.js';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { demoLoginParams, launchThroughDemo, LtiBrowser, postLaunch, startToolLogin } from '../support/lti-launch.js';
import { waitUntil } from '../support/room-client.js';
import { openTestDatabase, testEnv, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** The shipped defaults (config/default.json + config/test.json), which these tests hold to their promise. */
const DEFAULTS = loadConfig({ env: testEnv() }).limits;

/** The largest hints /lti/login accepts, as the security probe sent them. */
const floodParams = (demo: DemoPlatform, publicUrl: string, i: number) =>
  demoLoginParams(demo, publicUrl, {
    login_hint: `${i}-`.padEnd(4096, 'h'),
    lti_message_hint: 'm'.repeat(8192),
    target_link_uri: `${publicUrl}/lti/launch?pad=${'t'.repeat(2048 - publicUrl.length - 20)}`,
  });

describe('LTI login: what one client can make the tool store', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  let db: Database;
  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
  });
  after(() => db?.close());

  const logins = () => db.connection.collection('lti_logins');

  it('stores a small record for a maximum-size login, not the hints themselves', async () => {
    const demo = env.tool.demo as DemoPlatform;
    const states: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const browser = new LtiBrowser(env.tool.url);
      states.push((await startToolLogin(browser, floodParams(demo, env.config.server.publicUrl, i))).state);
    }
    const stored = await logins()
      .find({ state: { $in: states } })
      .toArray();
    assert.equal(stored.length, states.length);
    for (const record of stored) {
      const bytes = Buffer.byteLength(JSON.stringify(record));
      assert.ok(bytes < 1024, `a login record of ${bytes} bytes (the hints alone are 14 KB)`);
    }
  });

  it('keeps a login record as long as its state is valid (10 minutes), not an hour', async function () {
    this.timeout(120_000);
    const demo = env.tool.demo as DemoPlatform;
    const { state } = await startToolLogin(new LtiBrowser(env.tool.url), {
      iss: demo.registration.issuer,
      client_id: demo.registration.clientId,
      login_hint: 'student-1',
      target_link_uri: `${env.config.server.publicUrl}/lti/launch`,
    });
    const record = await logins().findOne({ state });
    assert.ok(record);
    // The cleanup job deletes by the minute a record falls due: the state's 10 minutes, not an hour.
    const due = new Date(record.createdAt as Date).getTime() + 10 * 60_000;
    assert.ok(Math.abs((record.expiryBucket as number) - expiryBucketOf(due)) <= 1, `bucket ${record.expiryBucket}`);
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    // Eleven minutes on, as the record will then be: its dates past, its minute just gone (the job deletes
    // each minute once it has passed, so the record goes within about a minute plus one pass).
    const justPassed = expiryBucketOf(Date.now()) - 1;
    await logins().updateOne(
      { state },
      { $set: { createdAt: elevenMinutesAgo, expiresAt: elevenMinutesAgo, expiryBucket: justPassed } },
    );
    await waitUntil(
      async () => (await logins().countDocuments({ state })) === 0,
      60_000 + 3 * env.config.cleanup.intervalMs,
      'an expired login record removed',
    );
  });

  it('still restarts a blocked launch in a new window for real LMS sizes; past the bound it asks to relaunch', async () => {
    const demo = env.tool.demo as DemoPlatform;
    const canvasLike = {
      ...demoLoginParams(demo, env.config.server.publicUrl),
      login_hint: 'a'.repeat(40),
      // Canvas sends a signed JWT of about this size as lti_message_hint.
      lti_message_hint: `eyJ${'x'.repeat(900)}`,
    };
    const cookieBlocked = async (params: Record<string, string>) => {
      const browser = new LtiBrowser(env.tool.url);
      const login = await startToolLogin(browser, params);
      browser.forgetCookies();
      const idToken = demo.sign(demo.idTokenClaims({ role: 'student', nonce: login.nonce }));
      const result = await postLaunch(browser, { id_token: idToken, state: login.state });
      assert.equal(result.status, 400);
      assert.ok(result.body.includes('LTI_STATE_COOKIE_MISSING'), result.body);
      return result.body;
    };
    const small = await cookieBlocked(canvasLike);
    const link = /href="(\/lti\/login\?[^"]+)" target="_blank"/.exec(small)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(link, 'a restart link for a Canvas-sized login');
    assert.equal(new URL(link, env.tool.url).searchParams.get('lti_message_hint'), canvasLike.lti_message_hint);

    const huge = await cookieBlocked(floodParams(demo, env.config.server.publicUrl, 0));
    assert.doesNotMatch(huge, /href="\/lti\/login\?/, 'no restart link without the stored parameters');
    assert.match(huge, /open in a new window/i, 'the page says how to get in');
  });

  it(`lets ${300} students behind one school NAT address launch within a minute (default limit)`, async () => {
    // A tool of its own (same defaults), so the other suites' launches do not share its per-address budget.
    const own = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: String(DEFAULTS.ltiLogin.max) });
    assert.ok(DEFAULTS.ltiLogin.max >= 300 && DEFAULTS.ltiLogin.windowSeconds >= 60, 'the default allows 300/min');
    const started = Date.now();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 300) {
          next += 1;
          const result = await launchThroughDemo(new LtiBrowser(own.tool.url), { role: 'student' });
          statuses.push(result.status);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    assert.equal(statuses.length, 300);
    assert.deepEqual(
      statuses.filter((s) => s !== 303),
      [],
      `all 300 launches accepted (${seconds.toFixed(1)} s)`,
    );
    assert.ok(seconds < DEFAULTS.ltiLogin.windowSeconds, `inside one rate window (${seconds.toFixed(1)} s)`);
  });

  it('answers logins past the per-address limit with a readable 429 page and Retry-After', async () => {
    const limited = await useTestEnvironment({ LTI_LOGIN_RATE_LIMIT: '5' });
    const demo = limited.tool.demo as DemoPlatform;
    const params = {
      iss: demo.registration.issuer,
      client_id: demo.registration.clientId,
      login_hint: 'student-1',
      target_link_uri: `${limited.config.server.publicUrl}/lti/launch`,
    };
    const login = () => new LtiBrowser(limited.tool.url).get(`/lti/login?${new URLSearchParams(params)}`);
    // The environment may have launched already (its setup opens a class): start from what is left.
    const first = await login();
    assert.equal(first.status, 302);
    const remaining = Number(/remaining=(\d+)/.exec(first.headers.get('ratelimit') ?? '')?.[1]);
    assert.ok(remaining >= 0 && remaining < 5, `RateLimit header: ${first.headers.get('ratelimit')}`);
    for (let i = 0; i < remaining; i += 1) assert.equal((await login()).status, 302, `login ${i + 2} of 5`);
    const stored = await logins().countDocuments();
    const refused = await new LtiBrowser(limited.tool.url).get(`/lti/login?${new URLSearchParams(params)}`);
    const html = await refused.text();
    assert.equal(refused.status, 429, html);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= DEFAULTS.ltiLogin.windowSeconds, `Retry-After ${retryAfter}`);
    assert.ok(html.includes('<code>RATE_LIMITED</code>'), html);
    assert.match(html, /<h1>/);
    assert.equal(await logins().countDocuments(), stored, 'a refused login stores nothing');
    // POST logins share the same budget.
    const posted = await new LtiBrowser(limited.tool.url).postForm('/lti/login', params);
    assert.equal(posted.status, 429);
  });
});
