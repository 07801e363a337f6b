import assert from 'node:assert/strict';
import {
  countdownText,
  roomNumberOf,
  spread,
  targetRoom,
  titleOf,
} from '../../client/src/room/breakouts/breakout-model.js';
import { mayAct } from '../../client/src/room/data-policy.js';
import type { BreakoutState } from '../../src/http/contract.js';
import { breakoutName } from '../../src/rooms/breakouts.js';

const NOW = Date.parse('2030-01-01T09:00:00Z');
const later = (ms: number) => new Date(NOW + ms).toISOString();
const round = (extra: Partial<NonNullable<BreakoutState['round']>> = {}): BreakoutState['round'] => ({
  round: 1,
  count: 3,
  openedAt: later(-60_000),
  rooms: [1, 2, 3].map((room) => ({ room, title: `Room ${room}`, people: [] })),
  ...extra,
});

describe('client breakouts model', () => {
  it('reads the breakout number from the room name the server gives (0: the main room)', () => {
    assert.equal(roomNumberOf(breakoutName('lc-abc', 3, 12)), 12);
    assert.equal(roomNumberOf('lc-abc'), 0);
    assert.equal(roomNumberOf('lc-abc-lobby'), 0);
  });

  for (const [what, state, leader, visit, expected] of [
    ['no round: everyone in the main room', { place: 0 }, false, undefined, 0],
    ['a placed learner goes to their room', { place: 2, round: round() }, false, undefined, 2],
    ['a learner left out stays in the main room', { place: 0, round: round() }, false, undefined, 0],
    ['a leader stays in the main room unless visiting', { place: 0, round: round() }, true, undefined, 0],
    ['a leader visits the room they chose', { place: 0, round: round() }, true, 3, 3],
    ['a visit to a room the round lacks is the main room', { place: 0, round: round() }, true, 7, 0],
    ['during the countdown learners stay', { place: 2, round: round({ returnAt: later(5_000) }) }, false, undefined, 2],
    ['after the countdown learners are back', { place: 2, round: round({ returnAt: later(-1) }) }, false, undefined, 0],
    ['after the countdown the visitor is back', { place: 0, round: round({ returnAt: later(0) }) }, true, 1, 0],
  ] as Array<[string, BreakoutState, boolean, number | undefined, number]>) {
    it(what, () => assert.equal(targetRoom(state, leader, visit, NOW), expected));
  }

  it('counts down in minutes and seconds, never below zero', () => {
    assert.equal(countdownText(later(25_000), NOW), '0:25');
    assert.equal(countdownText(later(24_001), NOW), '0:25');
    assert.equal(countdownText(later(90_000), NOW), '1:30');
    assert.equal(countdownText(later(-5_000), NOW), '0:00');
  });

  it('names a room of the round and none for the main room', () => {
    const state = { place: 1, round: round() };
    assert.equal(titleOf(state, 2), 'Room 2');
    assert.equal(titleOf(state, 0), undefined);
    assert.equal(titleOf({ place: 0 }, 1), undefined);
  });

  it('spreads a hand-made plan over the rooms and keeps what the leader picked', () => {
    assert.deepEqual(spread(['a', 'b', 'c'], 2, {}), { a: 1, b: 2, c: 1 });
    assert.deepEqual(spread(['a', 'b', 'c'], 2, { c: 2 }), { a: 1, b: 2, c: 2 });
    assert.deepEqual(spread(['a'], 2, { a: 5 }), { a: 1 }, 'a pick beyond the rooms is dropped');
  });

  it('acts on breakout pushes from the tool only', () => {
    assert.equal(mayAct('breakout', {}), true);
    assert.equal(mayAct('breakout', { identity: 'u-1', role: 'instructor' }), false);
  });
});
