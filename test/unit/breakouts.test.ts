import assert from 'node:assert/strict';
import { createLogger } from '../../src/log.js';
import { ROLE_ATTRIBUTE } from '../../src/rooms/grants.js';
import { breakoutName, createBreakouts } from '../../src/rooms/breakouts.js';
import { createSessionTracker } from '../../src/rooms/session-tracker.js';
import { MemoryBreakoutStore } from '../support/fakes/breakout-store.js';
import { fakeRooms } from '../support/fakes/rooms.js';

/** The breakouts service and the webhook path on fakes: which room each token names, and what joins count. */
describe('breakouts (fakes)', () => {
  const setup = async () => {
    const f = fakeRooms();
    const logger = createLogger('silent');
    const store = new MemoryBreakoutStore();
    const breakouts = createBreakouts({
      store,
      rooms: f.rooms,
      livekit: f.livekit,
      audit: f.audit,
      logger,
      now: f.now,
    });
    const tracker = createSessionTracker({
      store: f.store,
      webhooks: f.webhooks,
      livekit: f.livekit,
      logger,
      breakouts,
    });
    const teacher = f.member('instructor', 't');
    const [ann, bob] = [f.member('participant', 'ann'), f.member('participant', 'bob')];
    await f.rooms.ensureRoom(teacher);
    for (const m of [teacher, ann, bob]) {
      const p = await f.connect(m);
      await tracker.handle(f.webhook('participant_joined', { participant: p }));
    }
    return { f, store, breakouts, tracker, teacher, ann, bob };
  };
  const inRoom = (f: ReturnType<typeof fakeRooms>, room: string, identity: string) => ({
    identity,
    sid: `PA_${identity}`,
    name: identity,
    metadata: '',
    attributes: { [ROLE_ATTRIBUTE]: 'participant' },
    joinedAt: f.now(),
    tracks: [],
    permission: {
      roomAdmin: false,
      canPublish: true,
      canPublishSources: [],
      canSubscribe: true,
      canPublishData: true,
      canUpdateOwnMetadata: false,
      hidden: false,
      recorder: false,
    },
    room,
  });

  it('opens a round by hand: the plan is stored as facts, each breakout a real SFU room, everyone told', async () => {
    const { f, store, breakouts, teacher, ann, bob } = await setup();
    const [a, b] = [f.identity(ann), f.identity(bob)];
    await breakouts.open(teacher, { mode: 'manual', count: 2, assignment: { [a]: 2, [b]: 1 } });
    assert.deepEqual([...store.facts.keys()], [`${f.roomKey} 1 opened`]);
    assert.ok(f.livekit.rooms.has(breakoutName(f.roomKey, 1, 1)) && f.livekit.rooms.has(breakoutName(f.roomKey, 1, 2)));
    assert.deepEqual(
      f.livekit.sent.map((s) => [s.room, s.topic, (s.payload as { type: string }).type]),
      [[f.roomKey, 'breakout', 'opened']],
    );
    assert.equal((await breakouts.token(ann)).room, breakoutName(f.roomKey, 1, 2));
    assert.equal((await breakouts.token(teacher)).room, f.roomKey, 'a leader stays in the main room');
    assert.equal((await breakouts.token(teacher, 1)).room, breakoutName(f.roomKey, 1, 1));
    const state = await breakouts.state(ann);
    assert.equal(state.place, 2);
    assert.deepEqual(
      state.round?.rooms.map((r) => r.people.map((p) => p.identity)),
      [[b], [a]],
    );
  });

  it("records breakout joins as the class's, turns away whoever is not placed there, keeps the session open", async () => {
    const { f, breakouts, tracker, teacher, ann, bob } = await setup();
    const [a, b] = [f.identity(ann), f.identity(bob)];
    await breakouts.open(teacher, { mode: 'manual', count: 2, assignment: { [a]: 1, [b]: 2 } });
    const one = breakoutName(f.roomKey, 1, 1);
    f.livekit.connect(one, inRoom(f, one, a));
    f.livekit.connect(one, inRoom(f, one, b));
    const room = { name: one, sid: 'RM_b', numParticipants: 1 };
    await tracker.handle(f.webhook('participant_joined', { room, participant: inRoom(f, one, a) }));
    await tracker.handle(f.webhook('participant_joined', { room, participant: inRoom(f, one, b) }));
    const events = await f.store.participantEvents(f.roomKey);
    const session = await f.store.latestClassSession(f.roomKey);
    assert.equal(events.filter((e) => e.identity === a && e.kind === 'joined').length, 2);
    assert.ok(events.every((e) => e.sessionId === session?.sessionId));
    assert.ok(f.livekit.calls.includes(`removeParticipant ${one} ${b}`), 'Bob is placed in Room 2, not 1');
    assert.ok(!f.livekit.calls.includes(`removeParticipant ${one} ${a}`));

    // Out of the main room in the same (whole) second as into the breakout: still present.
    const main = { name: f.roomKey, sid: 'RM_1', numParticipants: 0 };
    await tracker.handle(f.webhook('participant_left', { room: main, participant: inRoom(f, f.roomKey, a) }));
    assert.ok((await f.store.currentClassSession(f.roomKey))?.present.includes(a), 'Ann is in her breakout');

    // Everyone in breakouts: the main room finishing does not end the class.
    await tracker.handle(f.webhook('room_finished'));
    assert.equal((await f.store.get(f.roomKey))?.state, 'live');
    await breakouts.close(teacher, 0);
    f.tick();
    assert.equal((await breakouts.token(ann)).room, f.roomKey, 'back to the main room');
    await tracker.handle(f.webhook('participant_joined', { room, participant: inRoom(f, one, a) }));
    assert.ok(f.livekit.calls.includes(`removeParticipant ${one} ${a}`), 'a closed round holds nobody');
    breakouts.stop();
  });

  it('moves by a new placement fact (the latest seq wins) and refuses what does not fit the round', async () => {
    const { f, store, breakouts, teacher, ann, bob } = await setup();
    const a = f.identity(ann);
    await assert.rejects(breakouts.move(teacher, a, 1), { code: 'BREAKOUT_NOT_OPEN' });
    await breakouts.open(teacher, { mode: 'random', count: 2 });
    await assert.rejects(breakouts.open(teacher, { mode: 'random', count: 2 }), { code: 'BREAKOUT_ALREADY_OPEN' });
    await assert.rejects(breakouts.open(ann, { mode: 'random', count: 2 }), { code: 'FORBIDDEN' });
    await assert.rejects(breakouts.token(bob, 1), { code: 'FORBIDDEN' });
    await assert.rejects(breakouts.move(teacher, a, 3), { code: 'BREAKOUT_ROOM_UNKNOWN' });
    await assert.rejects(breakouts.move(teacher, 'u-nobody', 1), { code: 'BREAKOUT_PERSON_UNKNOWN' });
    const from = (await breakouts.state(ann)).place;
    const to = from === 1 ? 2 : 1;
    await breakouts.move(teacher, a, to);
    await breakouts.move(teacher, a, from);
    assert.ok(store.facts.has(`${f.roomKey} 1 placed ${a} 2`));
    assert.equal((await breakouts.state(ann)).place, from);
    breakouts.stop();
  });
});
