import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.js';
import { createSessionSweeper } from '../../src/rooms/session-sweeper.js';
import type { TrackedEvent } from '../../src/rooms/session-tracker.js';
import { fakeRooms } from '../support/fakes/rooms.js';

const GRACE = 120_000;

async function liveClass() {
  const f = fakeRooms();
  const teacher = f.member('instructor', 't');
  await f.rooms.ensureRoom(teacher);
  await f.livekit.createRoom({ name: f.roomKey });
  await f.tracker.handle(f.webhook('room_started'));
  const swept: TrackedEvent[] = [];
  const sweeper = createSessionSweeper({
    store: f.store,
    livekit: f.livekit,
    logger: createLogger('silent'),
    onEvent: async (e) => void swept.push(e),
    graceMs: GRACE,
    now: f.now,
  });
  const join = async (identity: string) => {
    const participant = {
      identity,
      sid: `PA_${identity}`,
      name: identity,
      metadata: '',
      attributes: {},
      joinedAt: f.now(),
      tracks: [],
    };
    await f.tracker.handle(f.webhook('participant_joined', { participant }));
    return participant;
  };
  return { f, sweeper, swept, join };
}

describe('session sweeper (fakes)', () => {
  it('leaves a session alone while the SFU has its room', async () => {
    const { f, sweeper, swept } = await liveClass();
    for (let i = 0; i < 3; i++) {
      assert.equal(await sweeper.runOnce(), 0);
      f.tick(GRACE);
    }
    assert.equal((await f.store.get(f.roomKey))?.state, 'live');
    assert.deepEqual(swept, []);
  });

  it('closes a session whose room_finished was lost at the last leave, after the grace, once', async () => {
    const { f, sweeper, swept, join } = await liveClass();
    const student = await join('u-1');
    f.tick(60_000);
    await f.tracker.handle(f.webhook('participant_left', { participant: student }));
    const lastLeave = f.now();
    await f.livekit.deleteRoom(f.roomKey);
    f.tick(30_000);
    assert.equal(await sweeper.runOnce(), 0, 'first seen gone: noted, not closed');
    f.tick(GRACE - 1);
    assert.equal(await sweeper.runOnce(), 0, 'still within the grace');
    f.tick(1);
    assert.equal(await sweeper.runOnce(), 1);
    const session = await f.store.currentClassSession(f.roomKey);
    assert.equal(session?.endedAt?.getTime(), lastLeave.getTime());
    assert.equal((await f.store.get(f.roomKey))?.state, 'created');
    assert.deepEqual(
      swept.map((e) => [e.type, e.sessionId, e.at.getTime()]),
      [['session.ended', session?.sessionId, lastLeave.getTime()]],
    );
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 0, 'nothing left to sweep');
  });

  it('closes where the room was first seen gone when leaves were lost too', async () => {
    const { f, sweeper, join } = await liveClass();
    await join('u-1');
    await f.livekit.deleteRoom(f.roomKey);
    f.tick(5_000);
    const firstSeen = f.now();
    await sweeper.runOnce();
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 1);
    const session = await f.store.currentClassSession(f.roomKey);
    assert.equal(session?.endedAt?.getTime(), firstSeen.getTime());
    assert.deepEqual(session?.present, [], 'the open visit is closed at the end');
  });

  it('keeps a class whose main room is gone while its people are in breakout rooms', async () => {
    const { f, sweeper, swept } = await liveClass();
    await f.livekit.createRoom({ name: `${f.roomKey}-b1-2` });
    await f.livekit.deleteRoom(f.roomKey);
    await sweeper.runOnce();
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 0);
    assert.equal((await f.store.get(f.roomKey))?.state, 'live');
    await f.livekit.deleteRoom(`${f.roomKey}-b1-2`);
    await sweeper.runOnce();
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 1, 'with the breakouts gone too, the class is over');
    assert.equal(swept.length, 1);
  });

  it('forgets a room that came back (an SFU restart the participants rejoined)', async () => {
    const { f, sweeper, swept } = await liveClass();
    await f.livekit.deleteRoom(f.roomKey);
    await sweeper.runOnce();
    await f.livekit.createRoom({ name: f.roomKey });
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 0);
    await f.livekit.deleteRoom(f.roomKey);
    f.tick(GRACE);
    assert.equal(await sweeper.runOnce(), 0, 'gone again: the grace starts over');
    assert.deepEqual(swept, []);
  });

  it('marks nothing when the SFU does not answer', async () => {
    const { f, sweeper } = await liveClass();
    await f.livekit.deleteRoom(f.roomKey);
    const listRooms = f.livekit.listRooms.bind(f.livekit);
    f.livekit.listRooms = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await assert.rejects(sweeper.runOnce());
    f.tick(GRACE);
    f.livekit.listRooms = listRooms;
    assert.equal(await sweeper.runOnce(), 0, 'first real sighting');
  });
});
