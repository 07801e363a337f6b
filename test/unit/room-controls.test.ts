import assert from 'node:assert/strict';
import type { AppError } from '../../src/errors.js';
import { lobbyName } from '../../src/rooms/room-service.js';
import { fakeRooms } from '../support/fakes/rooms.js';

const code = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (err: AppError) => err.code,
  );

/** A live class: the teacher and one student connected (the student publishing a microphone and camera). */
async function liveClass(settings = {}) {
  const f = fakeRooms(settings);
  const teacher = f.member('instructor', 'teacher');
  const student = f.member('participant', 'student');
  await f.connect(teacher);
  await f.store.openClassSession(f.roomKey, undefined, f.now());
  await f.connect(student, [
    { sid: 'TR_mic', source: 'microphone' },
    { sid: 'TR_cam', source: 'camera' },
  ]);
  const s = f.identity(student);
  const onSfu = () => f.livekit.participant(f.roomKey, s);
  return { f, teacher, student, s, onSfu };
}

describe('room controls (fakes)', () => {
  it('refuses non-instructors and targets that are not in this room', async () => {
    const { f, student } = await liveClass();
    assert.equal(await code(f.controls.room(student, 'lock')), 'FORBIDDEN');
    assert.equal(await code(f.controls.participant(student, 'x-00000000', 'remove')), 'FORBIDDEN');
    const teacher = f.member('instructor', 'teacher');
    assert.equal(await code(f.controls.participant(teacher, 'x-00000000', 'mute-audio')), 'ROOM_PARTICIPANT_UNKNOWN');
    assert.equal(await code(f.controls.waiting(teacher, 'x-00000000', 'admit')), 'ROOM_PARTICIPANT_UNKNOWN');
  });

  it('mutes a source (permission and track) until allowed again, and audits each action', async () => {
    const { f, teacher, s, onSfu } = await liveClass();
    await f.controls.participant(teacher, s, 'mute-audio');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, ['camera']);
    assert.equal(onSfu()?.tracks.find((t) => t.sid === 'TR_mic')?.muted, true);
    await f.controls.participant(teacher, s, 'mute-video');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, []);
    assert.deepEqual((await f.store.get(f.roomKey))?.controls[s]?.mutedSources, ['camera', 'microphone']);
    await f.controls.participant(teacher, s, 'allow-audio');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, ['microphone']);
    const log = await f.audit.log(f.roomKey);
    assert.deepEqual(
      log.map((e) => [e.action, e.target]),
      [
        ['mute-audio', s],
        ['mute-video', s],
        ['allow-audio', s],
      ],
    );
    assert.ok(log.every((e) => e.sessionId?.startsWith('ses_')));
  });

  it('promotes and demotes in webinar mode, removes, and lowers a hand', async () => {
    const { f, teacher, s, onSfu } = await liveClass({ publishers: 'instructors' });
    assert.deepEqual(onSfu()?.permission?.canPublishSources, []);
    await f.controls.participant(teacher, s, 'promote');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, ['camera', 'microphone']);
    await f.controls.participant(teacher, s, 'demote');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, []);
    await f.livekit.updateParticipant(f.roomKey, s, { attributes: { hand: 'now' } });
    await f.controls.participant(teacher, s, 'lower-hand');
    assert.equal(onSfu()?.attributes.hand, undefined);
    assert.equal(onSfu()?.attributes.role, 'participant');
    await f.controls.participant(teacher, s, 'remove');
    assert.equal(onSfu(), undefined);
    assert.equal((await f.store.get(f.roomKey))?.controls[s]?.removed, true);
    // Removed and gone from the SFU: still a target (the removal is recorded), say to mute before a return.
    await f.controls.participant(teacher, s, 'mute-audio');
  });

  it('locks and unlocks (metadata follows), switches chat for participants only', async () => {
    const { f, teacher, onSfu } = await liveClass();
    const metadata = () => JSON.parse(f.livekit.rooms.get(f.roomKey)?.info.metadata || '{}');
    await f.controls.room(teacher, 'lock');
    assert.equal(metadata().locked, true);
    await f.controls.room(teacher, 'chat-off');
    assert.equal(onSfu()?.permission?.canPublishData, false);
    assert.equal(f.livekit.participant(f.roomKey, f.identity(teacher))?.permission?.canPublishData, true);
    assert.deepEqual([metadata().locked, metadata().chatEnabled], [true, false]);
    await f.controls.room(teacher, 'unlock');
    await f.controls.room(teacher, 'chat-on');
    assert.equal(onSfu()?.permission?.canPublishData, true);
    assert.deepEqual([metadata().locked, metadata().chatEnabled], [false, true]);
  });

  it('mutes everyone but instructors', async () => {
    const { f, teacher, s, onSfu } = await liveClass();
    await f.controls.bulk(teacher, 'mute-all');
    assert.deepEqual(onSfu()?.permission?.canPublishSources, ['camera']);
    assert.equal(onSfu()?.tracks.find((t) => t.sid === 'TR_mic')?.muted, true);
    assert.equal((await f.store.get(f.roomKey))?.controls[f.identity(teacher)], undefined);
    assert.deepEqual((await f.store.get(f.roomKey))?.controls[s]?.mutedSources, ['microphone']);
  });

  it('ends the class: rooms deleted, session closed, the next class starts clean', async () => {
    const { f, teacher, s } = await liveClass();
    await f.controls.room(teacher, 'lock');
    await f.controls.room(teacher, 'chat-off');
    await f.controls.participant(teacher, s, 'mute-audio');
    await f.controls.room(teacher, 'end');
    assert.ok(f.livekit.calls.includes(`deleteRoom ${f.roomKey}`));
    const ended = await f.store.get(f.roomKey);
    assert.deepEqual([ended?.state, ended?.locked, ended?.chatEnabled, ended?.controls], ['ended', false, true, {}]);
    assert.ok((await f.store.currentClassSession(f.roomKey))?.endedAt);
    await f.rooms.join(teacher);
    assert.equal((await f.store.get(f.roomKey))?.state, 'created');
  });

  it('admits or denies a waiting participant once, pushing the decision to the lobby', async () => {
    const f = fakeRooms({ waitingRoom: true });
    const teacher = f.member('instructor', 'teacher');
    await f.connect(teacher);
    const a = f.member('participant', 'a');
    const b = f.member('participant', 'b');
    await f.rooms.join(a).catch(() => undefined);
    await f.rooms.join(b).catch(() => undefined);
    await f.controls.waiting(teacher, f.identity(a), 'admit');
    await f.controls.waiting(teacher, f.identity(a), 'deny');
    await f.controls.waiting(teacher, f.identity(b), 'deny');
    const pushed = f.livekit.sent.filter((m) => m.room === lobbyName(f.roomKey));
    assert.deepEqual(
      pushed.map((m) => [m.to?.[0], (m.payload as { type: string }).type]),
      [
        [f.identity(a), 'admitted'],
        [f.identity(a), 'admitted'],
        [f.identity(b), 'denied'],
      ],
    );
    assert.ok((await f.rooms.join(a)).token);
    assert.equal(await code(f.rooms.join(b)), 'ROOM_WAITING_DENIED');
    assert.deepEqual(await f.rooms.waitingQueue(f.roomKey), []);
  });
});
