import assert from 'node:assert/strict';
import { ADMITTED_HOLD_MS, LINE_ALIVE_MS, seatFor, type WaitlistEntry } from '../../src/rooms/waitlist.js';
import { fakeRooms } from '../support/fakes/rooms.js';

const now = new Date('2030-01-01T09:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const entry = (identity: string, enteredMsAgo: number, extra: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  identity,
  name: identity,
  enteredAt: ago(enteredMsAgo),
  seenAt: ago(1_000),
  ...extra,
});
const seat = (entries: WaitlistEntry[], present: string[], identity: string, maxParticipants = 3) =>
  seatFor({ entries, present: new Set(present), identity, maxParticipants, now });

describe('waitlist: who gets a seat in a full class', () => {
  const line = [entry('ann', 30_000), entry('bob', 20_000), entry('cy', 10_000)];

  it('lets a newcomer in while the class has room and nobody waits', () => {
    assert.deepEqual(seat([], ['t', 's1'], 'new'), { admit: true, fromLine: false });
  });

  it('queues a newcomer at capacity, behind everyone in line', () => {
    assert.deepEqual(seat([], ['t', 's1', 's2'], 'new'), { admit: false, position: 1 });
    assert.deepEqual(seat(line, ['t', 's1', 's2'], 'new'), { admit: false, position: 4 });
  });

  it('gives a freed seat to the first in line, not to whoever asks first', () => {
    assert.deepEqual(seat(line, ['t', 's1'], 'bob'), { admit: false, position: 2 });
    assert.deepEqual(seat(line, ['t', 's1'], 'new'), { admit: false, position: 4 });
    assert.deepEqual(seat(line, ['t', 's1'], 'ann'), { admit: true, fromLine: true });
  });

  it('holds a seat given from the line while its person connects, then offers it to the next', () => {
    const held = [entry('ann', 30_000, { admittedAt: ago(5_000) }), ...line.slice(1)];
    assert.deepEqual(seat(held, ['t', 's1'], 'bob'), { admit: false, position: 1 });
    assert.deepEqual(seat(held, ['t', 's1'], 'ann'), { admit: true, fromLine: true }, 'ann may ask again');
    const lapsed = [entry('ann', 30_000, { admittedAt: ago(ADMITTED_HOLD_MS + 1), seenAt: ago(LINE_ALIVE_MS + 1) })];
    assert.deepEqual(seat([...lapsed, ...line.slice(1)], ['t', 's1'], 'bob'), { admit: true, fromLine: true });
  });

  it('forgets a place whose page stopped asking', () => {
    const gone = [entry('ann', 30_000, { seenAt: ago(LINE_ALIVE_MS + 1) }), ...line.slice(1)];
    assert.deepEqual(seat(gone, ['t', 's1'], 'bob'), { admit: true, fromLine: true });
  });

  it('lets two seats go to the first two, and someone connected always back in', () => {
    assert.deepEqual(seat(line, ['t'], 'bob'), { admit: true, fromLine: true });
    assert.deepEqual(seat(line, ['t'], 'cy'), { admit: false, position: 3 });
    assert.deepEqual(seat(line, ['t', 's1', 's2', 's3'], 's1'), { admit: true, fromLine: false });
  });

  it('orders entries of the same instant by identity, the same in every process', () => {
    const tie = [entry('zed', 10_000), entry('amy', 10_000)];
    assert.deepEqual(seat(tie, ['t', 's1'], 'amy'), { admit: true, fromLine: true });
    assert.deepEqual(seat(tie, ['t', 's1'], 'zed'), { admit: false, position: 2 });
  });
});

describe('waitlist in the room service (fakes)', () => {
  it('refuses a full class with a place in line, then lets the first in as a seat frees', async () => {
    const f = fakeRooms({ maxParticipants: 2 });
    await f.connect(f.member('instructor', 'teacher'));
    const seated = f.member('participant', 'seated');
    await f.connect(seated);
    const [first, second] = [f.member('participant', 'first'), f.member('participant', 'second')];
    const refusal = async (m: ReturnType<typeof f.member>) =>
      f.rooms.join(m).then(
        () => assert.fail('expected ROOM_FULL'),
        (err: { code: string; details: { position: number } }) => [err.code, err.details.position],
      );
    assert.deepEqual(await refusal(first), ['ROOM_FULL', 1]);
    f.tick();
    assert.deepEqual(await refusal(second), ['ROOM_FULL', 2]);
    assert.equal(await f.rooms.prepare(first), undefined, 'no early grant for a place in line');

    f.livekit.rooms.get(f.roomKey)?.participants.delete(f.identity(seated));
    assert.deepEqual(await refusal(second), ['ROOM_FULL', 2], 'the freed seat is not the second one');
    assert.ok((await f.rooms.join(first)).token);
    assert.ok((await f.waitlist.entries(f.roomKey)).find((e) => e.identity === f.identity(first))?.admittedAt);
    assert.deepEqual(await refusal(second), ['ROOM_FULL', 1], 'the seat is held while the first connects');
  });
});
