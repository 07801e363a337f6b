import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../src/log.js';
import { createSessionSweeper } from '../../src/rooms/session-sweeper.js';
import type { TrackedEvent } from '../../src/rooms/session-tracker.js';
import { useSfuFixture, waitUntil } from '../support/room-client.js';

describe('session sweeper: a lost room_finished, against the real SFU and store', function () {
  this.timeout(60_000);
  const sfu = useSfuFixture('sweep');

  it('closes an open session whose room the SFU no longer has, and leaves a live class open', async () => {
    const teacher = await sfu.launch('instructor');
    const { grant } = await sfu.connect(teacher);
    await waitUntil(async () => (await sfu.store.get(grant.room))?.state === 'live', 10_000, 'the class is live');

    // A room whose session was opened by its webhooks, then vanished from the SFU with room_finished lost.
    const lost = `sweep-lost-${randomUUID()}`;
    await sfu.store.ensure({
      key: lost,
      owner: { kind: 'lti', platformId: 'p', deploymentId: 'd', resourceLinkId: lost },
    });
    const session = await sfu.store.openClassSession(lost, 'RM_gone', new Date(Date.now() - 60_000));

    const ended: TrackedEvent[] = [];
    const sweeper = createSessionSweeper({
      store: sfu.store,
      livekit: sfu.gateway,
      logger: createLogger('silent'),
      onEvent: async (e) => void ended.push(e),
      graceMs: 0,
    });
    await sweeper.runOnce();
    assert.equal((await sfu.store.get(lost))?.state, 'live', 'first sighting only notes it');
    await sweeper.runOnce();

    const closed = await sfu.store.currentClassSession(lost);
    assert.equal(closed?.sessionId, session.sessionId);
    assert.ok(closed?.endedAt, 'the lost room’s session is closed');
    assert.equal((await sfu.store.get(lost))?.state, 'created');
    assert.deepEqual(
      ended.filter((e) => e.room.key === lost).map((e) => [e.type, e.sessionId]),
      [['session.ended', session.sessionId]],
    );
    assert.equal((await sfu.store.get(grant.room))?.state, 'live', 'the class the SFU still has stays open');
    assert.ok(!ended.some((e) => e.room.key === grant.room));
  });
});
