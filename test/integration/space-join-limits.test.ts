import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import { createApiKey, type CreatedApiKey } from '../support/api-keys.js';
import { LtiBrowser } from '../support/lti-launch.js';
import { openTestDatabase, testEnv, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const DEFAULTS = loadConfig({ env: testEnv() }).limits;

describe('integrator join links: a bounded number of live sessions per link', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  let key: CreatedApiKey;

  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
    key = await createApiKey(env, 'join limits');
  });
  after(() => db?.close());

  /** A join link (path and query) for a fresh space and user, as the integrator's backend gets it. */
  async function joinLink(toolUrl: string, extra: Record<string, unknown> = {}) {
    const spaceId = `space-${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${toolUrl}/api/v1/spaces/launch`, {
      method: 'POST',
      headers: { 'x-api-key': key.key, 'content-type': 'application/json' },
      body: JSON.stringify({ id: spaceId, user: { id: 'ext-ada', name: 'Ada' }, ...extra }),
    });
    const body = (await res.json()) as { client_url: string };
    assert.equal(res.status, 201, JSON.stringify(body));
    const url = new URL(body.client_url);
    return { link: url.pathname + url.search, t: url.searchParams.get('t') as string, spaceId };
  }
  const bearerOf = (res: Response): string => {
    const match = /^\/launch#token=(.+)$/.exec(res.headers.get('location') ?? '');
    assert.ok(match, `a redirect to the launcher, got ${res.status} ${res.headers.get('location')}`);
    return decodeURIComponent(match[1] as string);
  };
  const live = async (bearer: string) =>
    (await fetch(`${env.tool.url}/api/me`, { headers: { authorization: `Bearer ${bearer}` } })).status === 200;
  const storedSessions = (spaceId: string) =>
    db.connection
      .collection('lti_sessions')
      .countDocuments({ platformId: `space:${key.id}`, 'resourceLink.id': spaceId, expiresAt: { $gt: new Date() } });

  it(`keeps at most ${DEFAULTS.sessionsPerJoinLink} live sessions however often one link is fetched (newest win)`, async () => {
    const { link, spaceId } = await joinLink(env.tool.url);
    const bearers: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      // No cookie jar: every fetch is a new browser, the probe's flood.
      const res = await fetch(`${env.tool.url}${link}`, { redirect: 'manual' });
      assert.equal(res.status, 303);
      bearers.push(bearerOf(res));
    }
    const alive = await Promise.all(bearers.map(live));
    const cap = DEFAULTS.sessionsPerJoinLink;
    assert.deepEqual(
      alive,
      bearers.map((_, i) => i >= bearers.length - cap),
      'only the newest sessions still work',
    );
    assert.equal(await storedSessions(spaceId), cap, 'and only those are stored');
  });

  it('gives a browser that already joined through the link its session back on reload', async () => {
    const { link, spaceId } = await joinLink(env.tool.url);
    const browser = new LtiBrowser(env.tool.url);
    const first = bearerOf(await browser.get(link));
    for (let i = 0; i < 5; i += 1) assert.equal(bearerOf(await browser.get(link)), first, `reload ${i + 1}`);
    assert.ok(await live(first));
    assert.equal(await storedSessions(spaceId), 1);
  });

  it('reuses the session after a passcode without asking again; another browser still must enter it', async () => {
    const { link, t } = await joinLink(env.tool.url, { passcode: 'open-sesame' });
    const browser = new LtiBrowser(env.tool.url);
    assert.equal((await browser.get(link)).status, 200, 'the passcode page');
    const bearer = bearerOf(await browser.postForm('/space/join', { t, passcode: 'open-sesame' }));
    assert.equal(bearerOf(await browser.get(link)), bearer);
    const stranger = await new LtiBrowser(env.tool.url).get(link);
    assert.equal(stranger.status, 200);
    assert.match(await stranger.text(), /name="passcode"/);
  });

  it('answers joins past the per-address limit with a readable 429 page and Retry-After', async () => {
    const limited = await useTestEnvironment({ SPACE_JOIN_RATE_LIMIT: '3' });
    const { link } = await joinLink(limited.tool.url);
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await fetch(`${limited.tool.url}${link}`, { redirect: 'manual' })).status, 303, `join ${i + 1}`);
    }
    const refused = await fetch(`${limited.tool.url}${link}`, { redirect: 'manual' });
    const html = await refused.text();
    assert.equal(refused.status, 429, html);
    assert.match(refused.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.ok(html.includes('<code>RATE_LIMITED</code>'), html);
  });
});
