import assert from 'node:assert/strict';
import { createReloadTokens } from '../../src/lti/reload-tokens.js';
import { createReloadTokenStore } from '../../src/db/reload-token-store.js';
import { createSessionStore } from '../../src/db/launch-session-store.js';
import type { Database } from '../../src/db/connection.js';
import { randomToken, sha256 } from '../../src/lti/tokens.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { openTestDatabase, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/** A reload of the LMS frame keeps the launch: a single-use, short-lived reload token for a bearer token. */
describe('launch reload tokens (real store, the demo LMS)', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
  });
  after(() => db?.close());

  const post = (path: string, body?: unknown, token?: string) =>
    fetch(`${env.tool.url}/api/session${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const me = (token: string) => fetch(`${env.tool.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  async function launch(): Promise<string> {
    const result = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'student', user: 'reload-student' });
    assert.equal(result.status, 303, result.body);
    return result.token as string;
  }

  async function reloadTokenFor(bearer: string): Promise<{ reloadToken: string; expiresAt: string }> {
    const res = await post('/reload-token', undefined, bearer);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('cache-control'), 'no-store');
    return (await res.json()) as { reloadToken: string; expiresAt: string };
  }

  it('trades a reload token once for a bearer token of the same launch, which ends when the launch does', async () => {
    const bearer = await launch();
    const before = (await (await me(bearer)).json()) as Record<string, any>;
    const { reloadToken, expiresAt } = await reloadTokenFor(bearer);
    const ttl = Date.parse(expiresAt) - Date.now();
    assert.ok(ttl > 60_000 && ttl <= 5 * 60_000, `a reload token lasts minutes (${ttl} ms)`);

    const res = await post('/reload', { reloadToken });
    assert.equal(res.status, 200, await res.clone().text());
    const exchanged = (await res.json()) as { token: string; sessionExpiresAt: string };
    assert.notEqual(exchanged.token, bearer);
    assert.notEqual(exchanged.token, reloadToken);
    const after = (await (await me(exchanged.token)).json()) as Record<string, any>;
    assert.deepEqual(after.user, before.user);
    assert.deepEqual(after.context, before.context);
    assert.deepEqual(after.resourceLink, before.resourceLink);
    assert.equal(after.activity.id, before.activity.id);
    const drift = Date.parse(exchanged.sessionExpiresAt) - Date.parse(before.sessionExpiresAt as string);
    assert.ok(Math.abs(drift) < 1000, `the launch ends when it did (${drift} ms later)`);
    // The launch's own token keeps working (the frame that held it is gone; it lapses by itself).
    assert.equal((await me(bearer)).status, 200);

    // Single use: the same reload token again is refused.
    const again = await post('/reload', { reloadToken });
    assert.equal(again.status, 401);
    assert.equal(await errorCode(again), 'SESSION_RELOAD_INVALID');
  });

  it('only one of many concurrent exchanges of one reload token wins (a unique insert, no update)', async () => {
    const { reloadToken } = await reloadTokenFor(await launch());
    const answers = await Promise.all(Array.from({ length: 12 }, () => post('/reload', { reloadToken })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array<number>(11).fill(401)]);
  });

  it('refuses unknown and malformed reload tokens with stable codes, and issuing without a bearer', async () => {
    const unknown = await post('/reload', { reloadToken: randomToken(32) });
    assert.equal(unknown.status, 401);
    assert.equal(await errorCode(unknown), 'SESSION_RELOAD_INVALID');
    for (const body of [
      {},
      { reloadToken: 'short' },
      { reloadToken: 42 },
      { reloadToken: randomToken(32), extra: 1 },
    ]) {
      const bad = await post('/reload', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(await errorCode(bad), 'VALIDATION_FAILED');
    }
    const noBearer = await post('/reload-token');
    assert.equal(noBearer.status, 401);
    assert.equal(await errorCode(noBearer), 'UNAUTHENTICATED');
  });

  it('refuses an expired reload token, and never outlives its launch', async () => {
    const sessions = createSessionStore(db.connection);
    const store = createReloadTokenStore(db.connection);
    let clock = new Date();
    const tokens = createReloadTokens({
      store,
      sessions,
      ttlMs: 5 * 60_000,
      randomToken: () => randomToken(32),
      hash: sha256,
      now: () => clock,
    });
    const bearer = await launch();
    const launched = await sessions.authenticate(bearer);
    assert.ok(launched);

    const { reloadToken } = await tokens.issue(launched);
    clock = new Date(clock.getTime() + 5 * 60_000 + 1);
    await assert.rejects(tokens.redeem(reloadToken), { code: 'SESSION_RELOAD_INVALID' });

    // A launch about to end: its reload token ends with it.
    clock = new Date(launched.expiresAt.getTime() - 1000);
    const late = await tokens.issue(launched);
    assert.equal(late.expiresAt.getTime(), launched.expiresAt.getTime());
  });
});
