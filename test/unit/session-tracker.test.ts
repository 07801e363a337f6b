import assert from 'node:assert/strict';
import type { ParticipantGrants, ParticipantInfo } from '../../src/livekit/gateway.js';
import { grantsFor, ROLE_ATTRIBUTE } from '../../src/rooms/grants.js';
import { lobbyName } from '../../src/rooms/room-service.js';
import { fakeRooms } from '../support/fakes/rooms.js';

type Fake = ReturnType<typeof fakeRooms>;
const person = (f: Fake, identity: string, chat = true): ParticipantInfo & { permission: ParticipantGrants } => ({
  identity,
  sid: `PA_${identity}`,
  name: identity,
  metadata: '',
  attributes: { [ROLE_ATTRIBUTE]: 'participant' },
  joinedAt: f.now(),
  tracks: [],
  permission: grantsFor('participant', f.member('participant', 'x').settings, { chatEnabled: chat }),
});

describe('session tracker (fakes)', () => {
  it('opens a session on the first join, records joins once per webhook id, closes on room_finished', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    const join = f.webhook('participant_joined', { participant: person(f, 'u-1') });
    assert.equal(await f.tracker.handle(join), true);
    assert.equal(await f.tracker.handle(join), false, 'a redelivery is skipped');
    await f.tracker.handle(f.webhook('participant_joined', { participant: person(f, 'u-2') }));
    const open = await f.store.currentClassSession(f.roomKey);
    assert.deepEqual([...(open?.present ?? [])].sort(), ['u-1', 'u-2']);
    assert.equal((await f.store.get(f.roomKey))?.state, 'live');
    f.tick();
    await f.tracker.handle(f.webhook('room_finished'));
    assert.equal((await f.store.get(f.roomKey))?.state, 'created');
    const closed = await f.store.currentClassSession(f.roomKey);
    assert.deepEqual([closed?.present, closed?.peakParticipants], [[], 2]);
    assert.deepEqual(
      f.events.map((e) => e.type),
      ['session.started', 'participant.joined', 'participant.joined', 'session.ended'],
    );
  });

  it('tolerates a leave delivered before its join (same second): the participant is gone', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    await f.tracker.handle(f.webhook('room_started'));
    await f.tracker.handle(f.webhook('participant_left', { participant: person(f, 'u-1') }));
    await f.tracker.handle(f.webhook('participant_joined', { participant: person(f, 'u-1') }));
    assert.deepEqual((await f.store.currentClassSession(f.roomKey))?.present, []);
  });

  it('starts each session with fresh controls, carrying pending waits over', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    await f.tracker.handle(f.webhook('room_started'));
    await f.store.change(f.roomKey, { kind: 'removed', identity: 'u-gone', value: true });
    await f.store.change(f.roomKey, { kind: 'knock', identity: 'u-wait', name: 'W', role: 'participant' });
    f.tick();
    await f.tracker.handle(f.webhook('room_finished'));
    f.tick();
    await f.tracker.handle(f.webhook('room_started'));
    const controls = (await f.store.get(f.roomKey))?.controls ?? {};
    assert.deepEqual(Object.keys(controls), ['u-wait']);
    assert.equal(controls['u-wait']?.waiting, 'pending');
  });

  it('turns away a joiner of a locked room or a removed one, and fixes a stale chat permission', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    f.livekit.connect(f.roomKey, person(f, 'u-removed'));
    f.livekit.connect(f.roomKey, person(f, 'u-chatty'));
    await f.store.change(f.roomKey, { kind: 'removed', identity: 'u-removed', value: true });
    await f.store.change(f.roomKey, { kind: 'chat', value: false });
    await f.tracker.handle(f.webhook('participant_joined', { participant: person(f, 'u-removed') }));
    await f.tracker.handle(f.webhook('participant_joined', { participant: person(f, 'u-chatty') }));
    assert.equal(f.livekit.participant(f.roomKey, 'u-removed'), undefined);
    assert.equal(f.livekit.participant(f.roomKey, 'u-chatty')?.permission?.canPublishData, false);
    await f.store.change(f.roomKey, { kind: 'locked', value: true });
    f.livekit.connect(f.roomKey, person(f, 'u-late', false));
    await f.tracker.handle(f.webhook('participant_joined', { participant: person(f, 'u-late', false) }));
    assert.equal(f.livekit.participant(f.roomKey, 'u-late'), undefined);
  });

  it('ignores lobby rooms and rooms the tool did not create', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    const lobby = { name: lobbyName(f.roomKey), sid: 'RM_l', numParticipants: 1 };
    await f.tracker.handle(f.webhook('participant_joined', { room: lobby, participant: person(f, 'u-1') }));
    assert.equal(await f.store.currentClassSession(f.roomKey), undefined);
    assert.deepEqual(f.events, []);
  });

  it('leaves LiveKit Egress out: a recorder joining or leaving is nobody in class', async () => {
    const f = fakeRooms();
    await f.rooms.ensureRoom(f.member('instructor', 't'));
    await f.tracker.handle(f.webhook('room_started'));
    const egress = {
      ...person(f, 'EG_abc'),
      permission: { ...person(f, 'EG_abc').permission, recorder: true, hidden: true },
    };
    await f.tracker.handle(f.webhook('participant_joined', { participant: egress }));
    assert.deepEqual((await f.store.currentClassSession(f.roomKey))?.present, []);
    assert.deepEqual(await f.store.participantEvents(f.roomKey), []);
    await f.tracker.handle(f.webhook('participant_left', { participant: egress }));
    assert.deepEqual(
      f.events.map((e) => e.type),
      ['session.started'],
    );
  });
});
