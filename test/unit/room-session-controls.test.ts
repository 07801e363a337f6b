import assert from 'node:assert/strict';
import type { AppError } from '../../src/errors.js';
import type { ControlEvent } from '../../src/rooms/room-actions.js';
import { applied, attributesFor, replacement } from '../../src/rooms/room-data.js';
import { arrange, featuredOf, viewFor } from '../../client/src/room/layout.js';
import { fakeRooms } from '../support/fakes/rooms.js';

const code = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (err: AppError) => err.code,
  );

/** A live class: the teacher and three students connected. */
async function liveClass() {
  const f = fakeRooms();
  const teacher = f.member('instructor', 'teacher');
  await f.connect(teacher);
  await f.store.openClassSession(f.roomKey, undefined, f.now());
  const students = ['a', 'b', 'c'].map((n) => f.member('participant', n));
  for (const s of students) await f.connect(s, [{ sid: `TR_${s.userId}`, source: 'microphone' }]);
  const ids = students.map((s) => f.identity(s));
  return { f, teacher, ids, onSfu: (id: string) => f.livekit.participant(f.roomKey, id) };
}

describe('room-session controls (fakes)', () => {
  it('reaches people in a breakout: members lists them once, deaf acts in the room they are in', async () => {
    const { f, teacher, ids } = await liveClass();
    const [a] = ids as [string];
    const breakout = `${f.roomKey}-b1-1`;
    const inMain = f.livekit.participant(f.roomKey, a)!;
    // a is in the breakout and, for a moment (moving over), still in the main room.
    f.livekit.connect(breakout, { ...inMain, permission: inMain.permission!, tracks: [] });
    const controls = f.controlsWith({
      breakouts: { end: async () => [], evict: async () => undefined, roomNames: async () => [breakout] },
    });
    const members = await controls.members(teacher);
    assert.equal(members.filter((m) => m.identity === a).length, 1);
    await controls.participant(teacher, a, 'deaf');
    assert.equal(f.livekit.participant(breakout, a)?.permission?.canSubscribe, false, 'deaf in the breakout');
    assert.equal(f.livekit.participant(f.roomKey, a)?.permission?.canSubscribe, false, 'and in the main room');
    assert.deepEqual(
      (await f.audit.log(f.roomKey)).map((e) => [e.action, e.target]),
      [['deaf', a]],
      'audited once',
    );
  });

  it('deafens: no subscribe permission, the deaf attribute, the next token deaf', async () => {
    const { f, teacher, ids, onSfu } = await liveClass();
    const [a] = ids as [string];
    await f.controls.participant(teacher, a, 'deaf');
    assert.equal(onSfu(a)?.permission?.canSubscribe, false);
    assert.equal(onSfu(a)?.attributes.deaf, 'true');
    assert.equal(onSfu(a)?.attributes.role, 'participant');
    assert.equal((await f.store.get(f.roomKey))?.controls[a]?.deaf, true);
    await f.controls.participant(teacher, a, 'undeaf');
    assert.equal(onSfu(a)?.permission?.canSubscribe, true);
    assert.equal(onSfu(a)?.attributes.deaf, undefined);
    const log = await f.audit.log(f.roomKey);
    assert.deepEqual(
      log.map((e) => e.action),
      ['deaf', 'undeaf'],
    );
  });

  it('acts on everyone but leaders and the excluded, or on those named; answers whom', async () => {
    const { f, teacher, ids, onSfu } = await liveClass();
    const [a, b, c] = ids as [string, string, string];
    assert.deepEqual((await f.controls.bulk(teacher, 'remove-all', { exclude: [c] })).sort(), [a, b].sort());
    assert.deepEqual([onSfu(a), onSfu(b), onSfu(c)?.identity], [undefined, undefined, c]);
    assert.ok(onSfu(f.identity(teacher)), 'the leader stays');
    assert.deepEqual(await f.controls.bulk(teacher, 'mute-all-video', { participants: [c] }), [c]);
    assert.equal(await code(f.controls.bulk(teacher, 'deaf-all', { participants: [a] })), 'ROOM_NO_TARGETS');
    assert.deepEqual(await f.controls.bulk(teacher, 'mute-all', { exclude: [c] }), [], 'everyone may be nobody');
  });

  it('stores the layout, pushes it in the room metadata and tells the webhooks', async () => {
    const { f, teacher } = await liveClass();
    const events: ControlEvent[] = [];
    const controls = f.controlsWith({ onChange: async (e) => void events.push(e) });
    const layout = await controls.layout(teacher, { mode: 'speaker', hideCameraOff: true });
    assert.deepEqual(layout, { mode: 'speaker', hideCameraOff: true, raisedHandsFirst: false, locked: false });
    const metadata = JSON.parse(f.livekit.rooms.get(f.roomKey)?.info.metadata || '{}');
    assert.deepEqual(metadata.layout, layout);
    assert.deepEqual(
      events.map((e) => [e.type, e.action]),
      [['layout.changed', 'layout']],
    );
  });

  it('keeps room metadata and the layout for the next class session; member metadata in their attributes', async () => {
    const { f, teacher, ids, onSfu } = await liveClass();
    const [a] = ids as [string];
    await f.controls.roomMetadata(teacher, { topic: 'Fractions' });
    await f.controls.layout(teacher, { mode: 'grid' });
    await f.controls.memberMetadata(teacher, a, { seat: 'A4' });
    assert.equal(onSfu(a)?.attributes['meta.seat'], 'A4');
    await f.controls.memberMetadata(teacher, a, { seat: null });
    assert.equal(onSfu(a)?.attributes['meta.seat'], undefined);
    await f.controls.room(teacher, 'end');
    const next = await f.store.get(f.roomKey);
    assert.deepEqual([next?.metadata, next?.layout.mode], [{ topic: 'Fractions' }, 'grid']);
    const tooMany = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(await code(f.controls.roomMetadata(teacher, tooMany)), 'ROOM_METADATA_TOO_LARGE');
  });

  it('metadata helpers: PUT as a patch, bounds, attributes that delete what is gone', () => {
    assert.deepEqual(replacement({ a: '1', b: '2' }, { b: '3' }), { a: null, b: '3' });
    assert.deepEqual(applied({ a: '1' }, { a: null, b: '2' }), { b: '2' });
    assert.throws(() => applied({}, { k: 'x'.repeat(17 * 1024) }), /too large/);
    assert.deepEqual(attributesFor('participant', { metadata: { x: '1' } }, { 'meta.y': '2', deaf: 'true' }), {
      'meta.y': '',
      'meta.x': '1',
      role: 'participant',
      deaf: '',
    });
  });
});

describe('class layout on the page (pure)', () => {
  const person = (
    identity: string,
    o: Partial<{ cameraOn: boolean; handRaisedAt: number; isLocal: boolean; role: string }> = {},
  ) => ({
    identity,
    isLocal: o.isLocal ?? false,
    role: o.role ?? 'participant',
    lastSpokeAt: 0,
    cameraOn: o.cameraOn ?? true,
    handRaised: o.handRaisedAt !== undefined,
    handRaisedAt: o.handRaisedAt ?? 0,
  });

  it('follows the leader unless left to each page or chosen since, and a lock wins', () => {
    assert.equal(viewFor(undefined, undefined), 'gallery');
    assert.equal(viewFor({ mode: 'speaker' }, undefined), 'speaker');
    assert.equal(viewFor({ mode: 'presentation' }, undefined), 'presentation');
    assert.equal(viewFor({ mode: 'grid' }, undefined), 'gallery');
    assert.equal(viewFor({ mode: 'presentation', locked: true }, 'speaker'), 'presentation');
    assert.equal(viewFor({ mode: 'speaker' }, 'gallery'), 'gallery');
    assert.equal(viewFor({ mode: 'speaker', locked: true }, 'gallery'), 'speaker');
    assert.equal(viewFor({ mode: 'auto', locked: true }, 'speaker'), 'speaker');
  });

  it('hides camera-off tiles (never your own) and puts raised hands first in the order they went up', () => {
    const people = [
      person('me', { isLocal: true, cameraOn: false }),
      person('x', { cameraOn: false }),
      person('late', { handRaisedAt: 20 }),
      person('early', { handRaisedAt: 10 }),
    ];
    assert.deepEqual(
      arrange(people, { hideCameraOff: true }).map((p) => p.identity),
      ['me', 'late', 'early'],
    );
    assert.deepEqual(
      arrange(people, { raisedHandsFirst: true }).map((p) => p.identity),
      ['early', 'late', 'me', 'x'],
    );
  });

  it('in presentation view keeps a camera-off teacher (the large spot), and hides them in the other views', () => {
    const people = [person('t', { role: 'instructor', cameraOn: false }), person('x', { cameraOn: false })];
    assert.deepEqual(
      arrange(people, { hideCameraOff: true }, 'presentation').map((p) => p.identity),
      ['t'],
    );
    assert.deepEqual(
      featuredOf(arrange(people, { hideCameraOff: true }, 'presentation'), 'presentation')?.identity,
      't',
    );
    for (const view of ['gallery', 'speaker'] as const)
      assert.deepEqual(arrange(people, { hideCameraOff: true }, view), [], view);
  });
});
