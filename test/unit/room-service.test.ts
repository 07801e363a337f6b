import assert from 'node:assert/strict';
import type { AppError } from '../../src/errors.js';
import { lobbyName } from '../../src/rooms/room-service.js';
import { fakeRooms } from '../support/fakes/rooms.js';

const refusal = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  assert.fail('expected a refusal');
};

describe('room service (fakes)', () => {
  it('mints a token for the room it creates on first join, with the role attribute set by the tool', async () => {
    const f = fakeRooms();
    const grant = await f.rooms.join(f.member('instructor', 'teacher'));
    assert.equal(grant.room, f.roomKey);
    assert.ok(f.livekit.rooms.has(f.roomKey));
    const minted = f.livekit.tokens[0];
    assert.deepEqual(minted?.attributes, { role: 'instructor' });
    assert.equal(minted?.grants.roomAdmin, false);
    assert.equal((await f.store.get(f.roomKey))?.state, 'created');
  });

  it('refuses by the first reason that applies: ended, removed, locked, no instructor, full', async () => {
    const f = fakeRooms({ joinBeforeInstructor: false, maxParticipants: 2 });
    const teacher = f.member('instructor', 'teacher');
    const student = f.member('participant', 'student');
    await f.rooms.ensureRoom(teacher);
    assert.equal((await refusal(f.rooms.join(student))).code, 'ROOM_WAITING_FOR_INSTRUCTOR');
    await f.connect(teacher);
    await f.connect(f.member('participant', 'other'));
    assert.equal((await refusal(f.rooms.join(student))).code, 'ROOM_FULL');
    await f.store.change(f.roomKey, { kind: 'locked', value: true });
    assert.equal((await refusal(f.rooms.join(student))).code, 'ROOM_LOCKED');
    await f.store.change(f.roomKey, { kind: 'removed', identity: f.identity(student), value: true });
    assert.equal((await refusal(f.rooms.join(student))).code, 'ROOM_PARTICIPANT_REMOVED');
    await f.store.change(f.roomKey, { kind: 'ended', value: true });
    assert.equal((await refusal(f.rooms.join(student))).code, 'ROOM_ENDED');
  });

  it('lets an instructor reopen an ended room', async () => {
    const f = fakeRooms();
    const teacher = f.member('instructor', 'teacher');
    await f.rooms.ensureRoom(teacher);
    await f.store.change(f.roomKey, { kind: 'ended', value: true });
    await f.rooms.join(teacher);
    assert.equal((await f.store.get(f.roomKey))?.state, 'created');
    await f.rooms.join(f.member('participant', 'student'));
  });

  it('queues a participant in the lobby once, tells the instructors, and lets them in when admitted', async () => {
    const f = fakeRooms({ waitingRoom: true });
    const teacher = f.member('instructor', 'teacher');
    const student = f.member('participant', 'student');
    await f.connect(teacher);
    const first = await refusal(f.rooms.join(student));
    assert.equal(first.code, 'ROOM_IN_WAITING_ROOM');
    assert.equal((first.details as { lobby: { room: string } }).lobby.room, lobbyName(f.roomKey));
    f.tick();
    await refusal(f.rooms.join(student));
    const queue = await f.rooms.waitingQueue(f.roomKey);
    assert.deepEqual(
      queue.map((q) => [q.identity, q.name, q.role]),
      [[f.identity(student), 'student', 'participant']],
    );
    assert.equal(f.livekit.sent.filter((s) => s.topic === 'waiting-room').length, 1, 'pushed once, for the one knock');
    assert.equal(await f.store.decideWaiting(f.roomKey, f.identity(student), 'admitted'), 'admitted');
    assert.ok((await f.rooms.join(student)).token);
  });

  it('prepares an early token only where joining would change nothing: someone there, no refusal, knock or reopen', async () => {
    const f = fakeRooms({ joinBeforeInstructor: false });
    const teacher = f.member('instructor', 'teacher');
    const student = f.member('participant', 'student');
    assert.equal(await f.rooms.prepare(teacher), undefined, 'an empty room: creating it would open a session');
    assert.equal(f.livekit.rooms.has(f.roomKey), false);
    assert.equal(await f.rooms.prepare(student), undefined, 'waiting for the instructor');
    await f.connect(teacher);
    const early = await f.rooms.prepare(student);
    assert.equal(early?.room, f.roomKey);
    const earlyGrants = f.livekit.tokens.at(-1)?.grants;
    await f.rooms.join(student);
    assert.deepEqual(earlyGrants, f.livekit.tokens.at(-1)?.grants, 'the same grants as Join');
    await f.store.change(f.roomKey, { kind: 'locked', value: true });
    assert.equal(await f.rooms.prepare(student), undefined, 'locked');
    await f.store.change(f.roomKey, { kind: 'ended', value: true });
    assert.equal(await f.rooms.prepare(f.member('instructor', 'other-teacher')), undefined, 'would reopen');
    assert.equal((await f.store.get(f.roomKey))?.state, 'ended');

    const w = fakeRooms({ waitingRoom: true });
    await w.connect(w.member('instructor', 'teacher'));
    assert.equal(await w.rooms.prepare(w.member('participant', 'student')), undefined, 'would knock');
    assert.deepEqual(await w.rooms.waitingQueue(w.roomKey), []);
  });

  it('raises and lowers the own hand through the tool (the time on the tool clock)', async () => {
    const f = fakeRooms();
    const student = f.member('participant', 'student');
    const code = (await refusal(f.rooms.setHand(student, true))).code;
    assert.equal(code, 'ROOM_NOT_JOINED');
    await f.connect(student);
    await f.rooms.setHand(student, true);
    assert.equal(f.livekit.participant(f.roomKey, f.identity(student))?.attributes.hand, f.now().toISOString());
    await f.rooms.setHand(student, false);
    assert.equal(f.livekit.participant(f.roomKey, f.identity(student))?.attributes.hand, undefined);
    assert.equal((await refusal(f.rooms.setHand(f.member('observer', 'o'), true))).code, 'FORBIDDEN');
  });
});
