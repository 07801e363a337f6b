import assert from 'node:assert/strict';
import request from 'supertest';
import path from 'node:path';
import { sleep } from '../../src/dev/stack/child-process.js';
import { startFerretDb } from '../../src/dev/stack/ferretdb.js';
import { startPostgres } from '../../src/dev/stack/postgres.js';
import { useTestEnvironment, type TestEnvironment } from '../support/test-tool.js';

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

  async function expectDatabaseDown(): Promise<void> {
    const down = await waitForStatus(env.tool.url, 503, 10_000);
    assert.deepEqual(down.body.down, ['database']);
    assert.equal(down.body.checks.database.ok, false);
    assert.equal(down.body.checks.livekit.ok, true);
  }

  it('reports recording without requiring it: this stack runs no Egress, and the tool is ready all the same', async () => {
    const ready = await waitForStatus(env.tool.url, 200, 10_000);
    assert.deepEqual(ready.body.down, []);
    assert.deepEqual(ready.body.degraded, ['recording']);
    assert.deepEqual(
      [ready.body.checks.recording.ok, ready.body.checks.recording.error, ready.body.checks.recording.optional],
      [false, 'RECORDING_OFF', true],
    );
  });

  it('answers 503 naming the database while FerretDB is stopped, and 200 once it is back', async () => {
    const { ferretdb: ferret, postgres } = env.stack;
    assert.ok(ferret && postgres, 'the test environment starts its own FerretDB on its own PostgreSQL');
    await waitForStatus(env.tool.url, 200, 10_000);
    await ferret.stop();
    try {
      await expectDatabaseDown();
    } finally {
      // Same port and data: the tool's driver reconnects by itself.
      env.stack.ferretdb = await startFerretDb({
        stateDir: path.join(env.workDir, 'ferretdb'),
        postgresUrl: postgres.url,
        port: ferret.port,
      });
    }
    const up = await waitForStatus(env.tool.url, 200, 30_000);
    assert.deepEqual(up.body.down, []);
  });

  it('answers 503 while the PostgreSQL under FerretDB is stopped, and 200 once it is back', async () => {
    const postgres = env.stack.postgres;
    assert.ok(postgres, 'the test environment starts its own PostgreSQL');
    await waitForStatus(env.tool.url, 200, 10_000);
    await postgres.stop();
    try {
      await expectDatabaseDown();
    } finally {
      // Same cluster and port: FerretDB reconnects by itself.
      env.stack.postgres = await startPostgres({ dir: postgres.dir, port: postgres.port });
    }
    const up = await waitForStatus(env.tool.url, 200, 30_000);
    assert.deepEqual(up.body.down, []);
  });
});
