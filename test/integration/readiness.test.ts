import assert from 'node:assert/strict';
import request from 'supertest';
import { startFerretDb } from '../../src/dev/stack/ferretdb.js';
import { sleep } from '../../src/dev/stack/child-process.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';
import path from 'node:path';

async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<request.Response> {
  const deadline = Date.now() + timeoutMs;
  let last: request.Response | undefined;
  while (Date.now() < deadline) {
    last = await request(url).get('/readyz');
    if (last.status === status) return last;
    await sleep(250);
  }
  assert.fail(`/readyz stayed ${last?.status} ${JSON.stringify(last?.body)} instead of ${status}`);
}

describe('readiness follows the store', function () {
  this.timeout(120_000);
  let env: TestEnvironment;
  before(async () => {
    env = await useTestEnvironment();
  });

  it('answers 503 naming the database while the store is stopped, and 200 once it is back', async () => {
    const ferret = env.stack.ferretdb;
    assert.ok(ferret, 'the test environment starts its own FerretDB');
    await waitForStatus(env.tool.url, 200, 10_000);
    await ferret.stop();
    try {
      const down = await waitForStatus(env.tool.url, 503, 10_000);
      assert.deepEqual(down.body.down, ['database']);
      assert.equal(down.body.checks.database.ok, false);
      assert.equal(down.body.checks.livekit.ok, true);
    } finally {
      // Same port and data: the tool's driver reconnects by itself.
      env.stack.ferretdb = await startFerretDb({ dataDir: path.join(env.workDir, 'ferretdb'), port: ferret.port });
    }
    const up = await waitForStatus(env.tool.url, 200, 30_000);
    assert.deepEqual(up.body.down, []);
  });
});
