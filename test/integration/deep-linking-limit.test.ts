import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { openTestDatabase, testEnv, useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

const MAX = loadConfig({ env: testEnv() }).limits.activitiesPerDeepLinkingLaunch;

describe('deep linking: a bounded number of activities per launch', function () {
  this.timeout(60_000);
  let env: TestEnvironment;
  let db: Database;
  before(async () => {
    env = await useTestEnvironment();
    db = await openTestDatabase(env);
  });
  after(() => db?.close());

  const create = (toolUrl: string, token: string, title: string) =>
    fetch(`${toolUrl}/api/deep-linking`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    });
  const teacherToken = async () => {
    const launch = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor', message: 'deeplink' });
    assert.equal(launch.status, 303, launch.body);
    return launch.token as string;
  };
  const storedWith = (title: string) =>
    db.connection.collection('activities').countDocuments({ 'settings.title': title });

  it(`creates at most ${MAX} activities with one launch's token, then answers 429 LTI_DEEP_LINKING_LIMIT`, async () => {
    const token = await teacherToken();
    const title = `Replayed ${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < MAX; i += 1) assert.equal((await create(env.tool.url, token, title)).status, 201, `#${i + 1}`);
    const refused = await create(env.tool.url, token, title);
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'LTI_DEEP_LINKING_LIMIT');
    assert.equal(await storedWith(title), MAX);
    // Another launch (the teacher opens the dialog again) has its own allowance.
    assert.equal((await create(env.tool.url, await teacherToken(), title)).status, 201);
  });

  it('holds across two tool processes posting the same token at once', async () => {
    const other = await useTestEnvironment({ ACTIVITIES_PER_DEEP_LINKING_LAUNCH: String(MAX) });
    const token = await teacherToken();
    const title = `Raced ${randomUUID().slice(0, 8)}`;
    const statuses = await Promise.all(
      Array.from({ length: 3 * MAX }, (_, i) =>
        create(i % 2 === 0 ? env.tool.url : other.tool.url, token, title).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    assert.equal(statuses.filter((s) => s === 201).length, MAX, statuses.join(' '));
    assert.equal(statuses.filter((s) => s === 429).length, 2 * MAX, statuses.join(' '));
    assert.equal(await storedWith(title), MAX);
  });
});
