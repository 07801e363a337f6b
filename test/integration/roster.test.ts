import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.js';
import { createPlatformService } from '../../src/db/platform-store.js';
import { setupLtiProvider } from '../../src/lti/provider.js';
import { createRosterService } from '../../src/lti/roster.js';
import { createSessionStore } from '../../src/db/launch-session-store.js';
import { launchThroughDemo, LtiBrowser } from '../support/lti-launch.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

describe('course roster through NRPS', function () {
  this.timeout(60_000);

  it('returns every member across all pages, with mapped roles', async () => {
    const env = await useTestEnvironment();
    const launch = await launchThroughDemo(new LtiBrowser(env.tool.url), { role: 'instructor' });
    assert.equal(launch.status, 303, launch.body);

    const logger = createLogger('silent');
    const db = await openTestDatabase(env);
    try {
      const session = await createSessionStore(db.connection).authenticate(launch.token as string);
      assert.ok(session);
      // The same (process-wide) ltijs provider the tool uses: it signs the client-credentials assertion.
      const lti = await setupLtiProvider({
        encryptionKey: env.config.lti.encryptionKey,
        mongoUri: env.stack.mongoUri,
        logger,
      });
      // Our handle only: ltijs stays open for the tool until it stops too.
      const roster = await createRosterService(lti, createPlatformService(db.connection, lti))
        .getRoster(session)
        .finally(() => lti.close());

      // The demo course has 25 members served 10 per page: all three pages must be read.
      assert.equal(roster.length, 25);
      assert.equal(new Set(roster.map((m) => m.userId)).size, 25);
      const count = (role: string) => roster.filter((m) => m.role === role).length;
      assert.equal(count('instructor'), 2, 'the instructor and the teaching assistant lead');
      assert.equal(count('observer'), 1, 'the mentor observes');
      assert.equal(count('participant'), 22);
      assert.ok(roster.every((m) => m.name && m.ltiRoles.length > 0));
    } finally {
      await db.close();
    }
  });
});
