import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startCleanupJob } from '../../src/db/cleanup-job.js';
import type { Database } from '../../src/db/connection.js';
import { ensureIndexes } from '../../src/db/indexes.js';
import { createPollStore, POLL_INDEXES, POLL_VOTES, pollRetentionIndexes } from '../../src/db/poll-store.js';
import { retentionOf } from '../../src/db/retention.js';
import { eraseUser } from '../../src/db/user-erasure.js';
import { createLogger } from '../../src/log.js';
import { pollIdOf, type Poll } from '../../src/polls/poll.js';
import { openTestDatabase, useTestEnvironment } from '../support/test-tool.js';

const DAY_MS = 24 * 60 * 60_000;

/** Poll votes go with the class's attendance: purged after attendance.retentionDays, erased with a person. */
describe('poll retention and erasure', function () {
  this.timeout(60_000);
  const logger = createLogger('silent');
  const retention = retentionOf(1);
  let db: Database;
  before(async () => {
    db = await openTestDatabase(await useTestEnvironment());
  });
  after(() => db?.close());

  const run = randomUUID().slice(0, 8);
  const pollAt = (name: string, at: Date): Poll => ({
    pollId: pollIdOf(`ses_${run}${name}`, 1),
    roomKey: `lc-polls-${run}`,
    sessionId: `ses_${run}${name}`,
    seq: 1,
    question: 'Q?',
    options: ['a', 'b'],
    multiple: false,
    anonymous: false,
    createdBy: `t-${run}`,
    createdAt: at,
  });

  it('purges an old poll, its facts and votes by their bucket, and keeps a fresh one', async () => {
    const specs = [...POLL_INDEXES, ...pollRetentionIndexes(retention)];
    const result = await ensureIndexes(db.connection, specs, logger);
    const store = createPollStore(db.connection, { retentionDays: 1 });
    const t0 = Date.now();
    const old = pollAt('old', new Date(t0 - DAY_MS + 30_000));
    const fresh = pollAt('fresh', new Date(t0));
    for (const p of [old, fresh]) {
      assert.equal(await store.create(p), true);
      assert.equal(await store.create(p), false, 'the seq-th poll of a session is inserted once');
      await store.mark(p.pollId, 'closed', p.createdAt);
      await store.vote(p, { pollId: p.pollId, identity: `s-${run}`, name: 'Ada', choices: [0], at: p.createdAt });
    }
    const stored = async (p: Poll) => ({
      poll: (await store.get(p.pollId)) !== undefined,
      closed: (await store.facts([p.pollId])).get(p.pollId)?.closedAt !== undefined,
      votes: (await store.votes([p.pollId])).length,
    });
    const all = { poll: true, closed: true, votes: 1 };
    if (result.ttlSupported) {
      for (const spec of pollRetentionIndexes(retention)) {
        const indexes = await db.connection.collection(spec.collection).indexes();
        assert.equal(indexes.find((i) => i.name === spec.name)?.expireAfterSeconds, retention.seconds, spec.name);
      }
      return;
    }
    assert.deepEqual(
      result.expiryRules.map((r) => `${r.collection}.${r.field}:${r.maxAgeSeconds}:${r.bucketed}`).sort(),
      ['room_poll_facts.at:86400:true', 'room_poll_votes.at:86400:true', 'room_polls.createdAt:86400:true'],
    );
    const job = startCleanupJob(db.connection, result.expiryRules, 60_000, logger);
    try {
      await job.runOnce(new Date(t0));
      assert.deepEqual(await stored(old), all, 'not due yet');
      await job.runOnce(new Date(t0 + 150_000));
      assert.deepEqual(await stored(old), { poll: false, closed: false, votes: 0 });
      assert.deepEqual(await stored(fresh), all);
    } finally {
      await job.stop();
    }
  });

  it("erases one person's votes and no one else's", async () => {
    const store = createPollStore(db.connection);
    const p = pollAt('erase', new Date());
    await store.create(p);
    const gone = `s-${run}gone`;
    const kept = `s-${run}kept`;
    for (const identity of [gone, kept]) {
      await store.vote(p, { pollId: p.pollId, identity, name: identity, choices: [1], at: new Date() });
    }
    const erased = await eraseUser(
      db.connection,
      { namespace: `plat-${run}`, userId: 'u', identity: gone },
      async () => {},
    );
    assert.equal(erased.pollVotes, 1);
    assert.deepEqual(
      (await store.votes([p.pollId])).map((v) => v.identity),
      [kept],
    );
    assert.equal(await db.connection.collection(POLL_VOTES).countDocuments({ identity: gone }), 0);
  });
});
