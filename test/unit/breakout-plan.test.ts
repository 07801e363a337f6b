import assert from 'node:assert/strict';
import { manualPlan, randomPlan, roomsOf, smallestRoom } from '../../src/rooms/breakout-plan.js';
import { factId, roundOf, type BreakoutFact } from '../../src/rooms/breakout-store.js';
import { breakoutName, parseBreakoutName } from '../../src/rooms/breakouts.js';

/** A seeded source, so a random split is the same in every run. */
const seeded = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const people = (n: number) => Array.from({ length: n }, (_, i) => `u-${String(i).padStart(8, '0')}`);

describe('breakout plan', () => {
  const sizes = (placements: Record<string, number>, count: number) =>
    roomsOf({ count, placements }).map((r) => r.identities.length);

  for (const [learners, count, expected] of [
    [3, 2, [2, 1]],
    [10, 3, [4, 3, 3]],
    [1, 2, [1, 0]],
    [0, 2, [0, 0]],
    [100, 50, new Array<number>(50).fill(2)],
  ] as Array<[number, number, number[]]>) {
    it(`splits ${learners} learners into ${count} rooms whose sizes differ by at most one`, () => {
      const plan = randomPlan(people(learners), count, seeded(learners));
      assert.equal(Object.keys(plan.placements).length, learners);
      assert.deepEqual(sizes(plan.placements, count), expected);
    });
  }

  it('is random: two seeds split the same class differently, and a repeated name is placed once', () => {
    const a = randomPlan(people(12), 3, seeded(1)).placements;
    const b = randomPlan(people(12), 3, seeded(2)).placements;
    assert.notDeepEqual(a, b);
    assert.equal(Object.keys(randomPlan(['u-a', 'u-a', 'u-b'], 2).placements).length, 2);
  });

  it('keeps a hand-made plan and puts whoever it left out into the smallest room', () => {
    const plan = manualPlan(['a', 'b', 'c', 'd'], 3, { a: 1, b: 1, c: 2 });
    assert.deepEqual(plan, { count: 3, placements: { a: 1, b: 1, c: 2, d: 3 } });
    assert.deepEqual(manualPlan(['a'], 2, { a: 3 }), { error: 'room-out-of-range', identity: 'a' });
    assert.deepEqual(manualPlan(['a'], 2, { a: 0 }), { error: 'room-out-of-range', identity: 'a' });
    assert.deepEqual(manualPlan(['a'], 2, { a: 1.5 }), { error: 'room-out-of-range', identity: 'a' });
  });

  it('names the rooms "Room 1"... and lists their people in order', () => {
    assert.deepEqual(roomsOf({ count: 2, placements: { z: 2, y: 2, x: 1 } }), [
      { room: 1, title: 'Room 1', identities: ['x'] },
      { room: 2, title: 'Room 2', identities: ['y', 'z'] },
    ]);
    assert.equal(smallestRoom({ a: 1, b: 2, c: 1 }, 3), 3);
    assert.equal(smallestRoom({}, 3), 1);
  });

  it('names breakout rooms after their class and reads the name back', () => {
    const name = breakoutName('lc-0123abcd', 4, 12);
    assert.equal(name, 'lc-0123abcd-b4-12');
    assert.deepEqual(parseBreakoutName(name), { roomKey: 'lc-0123abcd', round: 4, room: 12 });
    assert.equal(parseBreakoutName('lc-0123abcd'), undefined);
    assert.equal(parseBreakoutName('lc-0123abcd-lobby'), undefined);
  });
});

describe('breakout round from its facts', () => {
  const at = new Date('2030-01-01T09:00:00Z');
  const opened: BreakoutFact = {
    kind: 'opened',
    roomKey: 'lc-1',
    round: 2,
    sessionId: 'ses_1',
    count: 3,
    placements: { a: 1, b: 2 },
    names: { a: 'Ann', b: 'Bob' },
    at,
  };
  const placed = (identity: string, room: number, seq: number): BreakoutFact => ({
    kind: 'placed',
    roomKey: 'lc-1',
    round: 2,
    identity,
    name: identity.toUpperCase(),
    room,
    seq,
    at,
  });

  it('has no round without its opening', () => {
    assert.equal(roundOf([]), undefined);
    assert.equal(roundOf([placed('a', 2, 1)]), undefined);
  });

  it('takes each person’s latest placement by seq, in whatever order the facts come', () => {
    const round = roundOf([placed('a', 3, 2), opened, placed('a', 2, 1), placed('c', 1, 1)]);
    assert.deepEqual(round?.placements, { a: 3, b: 2, c: 1 });
    assert.deepEqual(round?.seqs, { a: 2, b: 0, c: 1 });
    assert.equal(round?.names.c, 'C');
    assert.equal(round?.closedAt, undefined);
  });

  it('is closed by its closing fact, with the time everyone is back', () => {
    const returnAt = new Date(at.getTime() + 30_000);
    const round = roundOf([opened, { kind: 'closed', roomKey: 'lc-1', round: 2, at, returnAt }]);
    assert.deepEqual([round?.closedAt, round?.returnAt], [at, returnAt]);
  });

  it('gives each fact a natural id: one opening and closing per round, one placement per person and seq', () => {
    assert.equal(factId(opened), 'lc-1 2 opened');
    assert.equal(factId(placed('a', 3, 2)), 'lc-1 2 placed a 2');
    assert.notEqual(factId(placed('a', 3, 2)), factId(placed('a', 3, 3)));
  });
});
