import assert from 'node:assert/strict';
import type { DemoPlatform } from '../../src/dev/demo-platform.js';
import { openDatabase, type Database } from '../../src/db/connection.js';
import { createLogger } from '../../src/log.js';
import { createLaunchStore } from '../../src/lti/launch-store.js';
import { demoLoginParams } from '../support/lti-launch.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

/**
 * Two writers meeting on one store: two tool instances (the default test tool and a second one sharing its
 * database) or two store instances on their own connections (two processes' worth of stores, without any
 * in-process queue between them). FerretDB v1 makes only unique-key inserts atomic (docs/architecture.md,
 * "Stores"), so each race here ends with exactly the facts one writer would have left.
 */
describe('concurrency: two writers on one store', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let other: TestEnvironment;
  let dbs: Database[] = [];

  before(async () => {
    env = await useTestEnvironment();
    other = await useTestEnvironment({ LOG_LEVEL: 'error' });
    const open = () =>
      openDatabase({ uri: env.stack.mongoUri, serverSelectionTimeoutMs: 2000, logger: createLogger('silent') });
    dbs = await Promise.all([open(), open()]);
  });
  after(async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });

  describe('launch state', () => {
    it('lets exactly one of many concurrent consumers of one state through', async () => {
      const stores = dbs.map((db) => createLaunchStore(db.connection));
      // Several states at once, each raced by several consumers on two connections.
      const states = Array.from({ length: 10 }, (_, i) => `st-race-${Date.now()}-${i}`);
      for (const state of states) {
        await stores[0]!.saveLogin({
          state,
          nonce: 'n',
          issuer: 'https://lms.example',
          clientId: 'c',
          platformId: 'p',
          expiresAt: new Date(Date.now() + 60_000),
        });
      }
      const results = await Promise.all(
        states.flatMap((state) =>
          Array.from({ length: 5 }, (_, i) =>
            stores[i % 2]!.consumeLogin(state, 60_000).then((r) => [state, r.status]),
          ),
        ),
      );
      for (const state of states) {
        const statuses = results.filter(([s]) => s === state).map(([, status]) => status);
        assert.deepEqual(
          statuses.filter((s) => s === 'ok'),
          ['ok'],
          `${state}: ${statuses.join(',')}`,
        );
      }
    });

    it('accepts one launch when the same state is posted to two tools at once', async () => {
      const demo = env.tool.demo as DemoPlatform;
      const login = await fetch(
        `${env.tool.url}/lti/login?${new URLSearchParams(demoLoginParams(demo, env.config.server.publicUrl, { login_hint: 'student-1' }))}`,
        { redirect: 'manual' },
      );
      assert.equal(login.status, 302);
      const state = new URL(login.headers.get('location') as string).searchParams.get('state') as string;
      const nonce = new URL(login.headers.get('location') as string).searchParams.get('nonce') as string;
      const cookie = login.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      const body = new URLSearchParams({
        id_token: demo.sign(demo.idTokenClaims({ role: 'student', nonce })),
        state,
      }).toString();
      const post = (url: string) =>
        fetch(`${url}/lti/launch`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body,
        });
      // The id_token names the default tool as its target, so the second tool would refuse it later on
      // (LTI_TARGET_LINK_INVALID): what counts is that exactly one request gets past the state.
      const answers = await Promise.all([post(env.tool.url), post(other.tool.url), post(env.tool.url)]);
      const outcomes = await Promise.all(
        answers.map(async (r) => (r.status === 303 ? 'ok' : /<code>([A-Z_]+)<\/code>/.exec(await r.text())?.[1])),
      );
      assert.equal(outcomes.filter((o) => o !== 'LTI_STATE_REUSED').length, 1, outcomes.join(','));
    });
  });
});
